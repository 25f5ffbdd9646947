import { authorizeIn } from './authorize.js';
import type { AuditEvent, EntityType } from '#lib/domain/audit.js';
import { NotFound } from '#lib/domain/errors.js';
import type { Actor } from '#lib/domain/roles.js';
import type { Deps, Page, PageRequest } from './ports.js';

/** The trail of one entity, oldest first. An entity with no trail does not exist: 404. */
export async function getAuditTrail(
  deps: Deps,
  actor: Actor,
  query: { entityType: EntityType; entityId: string } & PageRequest,
): Promise<Page<AuditEvent>> {
  authorizeIn(deps, actor, 'auditLog:read');
  const page = await deps.auditTrail.list(query.entityType, query.entityId, query);
  if (page.items.length === 0 && !query.cursor) {
    throw new NotFound('指定された対象の監査証跡は見つかりません。', 'audit-trail-not-found');
  }
  return page;
}
