import { authorizeIn } from './authorize.js';
import { type AuditEvent, type EntityType, chainProblems } from '#lib/domain/audit.js';
import { NotFound } from '#lib/domain/errors.js';
import type { Actor } from '#lib/domain/roles.js';
import type { Deps, Page, PageRequest } from './ports.js';
import { hashEvent } from './trail-hash.js';
import { loadVisible } from './visibility.js';

/**
 * The trail of one entity, oldest first. An entity the caller may not see, or with no
 * trail, does not exist: 404; one they see without reading trails: 403.
 */
export async function getAuditTrail(
  deps: Deps,
  actor: Actor,
  query: { entityType: EntityType; entityId: string } & PageRequest,
): Promise<Page<AuditEvent>> {
  await loadVisible(deps, actor, query.entityType, query.entityId, () => new NotFound('指定された対象の監査証跡は見つかりません。', 'audit-trail-not-found'));
  authorizeIn(deps, actor, 'auditLog:read');
  const page = await deps.auditTrail.list(query.entityType, query.entityId, query);
  if (page.items.length === 0 && !query.cursor) {
    throw new NotFound('指定された対象の監査証跡は見つかりません。', 'audit-trail-not-found');
  }
  return page;
}

/**
 * Recompute an entity's hash chain (tamper evidence): every event's hash, the links
 * between them and the head the entity records. Problems are listed in Japanese.
 */
export async function verifyAuditTrail(deps: Deps, actor: Actor, query: { entityType: EntityType; entityId: string }) {
  await loadVisible(deps, actor, query.entityType, query.entityId, () => new NotFound('指定された対象は見つかりません。', 'entity-not-found'));
  authorizeIn(deps, actor, 'auditLog:read');
  const head = await deps.auditTrail.head(query.entityType, query.entityId);
  if (!head) throw new NotFound('指定された対象は見つかりません。', 'entity-not-found');
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.auditTrail.list(query.entityType, query.entityId, { limit: 100, cursor });
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const problems = chainProblems(events, head.trailHash, hashEvent);
  return { entityType: query.entityType, entityId: query.entityId, events: events.length, valid: problems.length === 0, problems };
}
