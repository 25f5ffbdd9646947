import {
  type AnchorEntry,
  anchorManifestKey,
  anchorManifestSchema,
  anchorProblem,
  entityAnchorKey,
  entityAnchorPrefix,
  entityAnchorSchema,
} from '#lib/domain/anchor.js';
import { jstDate } from '#lib/domain/calendar.js';
import { type AuditEvent, type ChainProblem, type EntityType, chainProblems, placementProblems } from '#lib/domain/audit.js';
import { NotFound } from '#lib/domain/errors.js';
import type { Actor } from '#lib/domain/roles.js';
import type { Deps, Page, PageRequest } from './ports.js';
import { manifestRoot } from './trail-anchor.js';
import { hashEvent } from './trail-hash.js';
import { loadFor, readableTrail } from './visibility.js';

/**
 * The trail of one entity, oldest first. An entity the caller may not see, or with no
 * trail, does not exist: 404; one they see without reading trails: 403.
 */
export async function getAuditTrail(
  deps: Deps,
  actor: Actor,
  query: { entityType: EntityType; entityId: string } & PageRequest,
): Promise<Page<AuditEvent>> {
  await loadFor(deps, actor, query.entityType, query.entityId, 'auditLog:read', {
    notFound: () => new NotFound('指定された対象の監査証跡は見つかりません。', 'audit-trail-not-found'),
  });
  // Oldest first, one Query per page: the keys sort by version (lib/store/keys.ts), not by the writing clocks.
  const page = await deps.auditTrail.list(query.entityType, query.entityId, query);
  if (page.items.length === 0 && !query.cursor) throw new NotFound('指定された対象の監査証跡は見つかりません。', 'audit-trail-not-found');
  return page;
}

/** What the check found of the entity's latest anchor; null when none names it yet (it changed only today). */
export interface AnchorCheck {
  /** The anchor object in the evidence bucket: `anchors/entities/<entityType>/<entityId>/<date>.json`. */
  key: string;
  /** The Japan day it anchored (absent when the object could not be read as an anchor). */
  date?: string;
  eventId?: string;
  version?: number;
  head?: string;
  /** The anchored head is an intact event of the chain, at the anchored version. */
  matches: boolean;
}

/**
 * Whether an entity's anchor is one the anchor duty wrote: not dated in the future (the
 * duty anchors the day before), and a leaf of that day's manifest, whose Merkle root
 * still holds. Anchors are put only with If-None-Match (IAM condition), so a day's
 * manifest, written every day, cannot be replaced and a forged entity anchor cannot be
 * fitted into it; a manifest put ahead of the duty makes the duty fail loudly
 * (lib/app/trail-anchor.ts).
 */
async function anchorOrigin(
  deps: Deps,
  a: AnchorEntry & { date: string; manifest: string; root: string },
): Promise<ChainProblem | undefined> {
  const today = jstDate(deps.clock.now());
  if (a.date > today)
    return {
      eventId: null,
      problem: `外部に保管したアンカーの日付（${a.date}）が今日（${today}）より後です。アンカーは前日分だけが作られます（改ざんの可能性）。`,
    };
  const key = anchorManifestKey(a.date);
  const manifest = anchorManifestSchema.safeParse(await deps.anchors.get(key));
  const same = (e: AnchorEntry) =>
    e.entityType === a.entityType && e.entityId === a.entityId && e.eventId === a.eventId && e.version === a.version && e.head === a.head;
  const listed =
    manifest.success &&
    a.manifest === key &&
    manifest.data.date === a.date &&
    manifest.data.root === a.root &&
    manifestRoot(manifest.data.entries) === a.root &&
    manifest.data.entries.some(same);
  return listed
    ? undefined
    : { eventId: null, problem: `外部に保管したアンカー（${a.date}）がその日の一覧（${key}）に載っていません（改ざんの可能性）。` };
}

/**
 * The latest anchor of an entity and whether its trail still holds it. The anchor is
 * looked up in the evidence bucket itself, by the entity's own prefix (one
 * ListObjectsV2 over the days it changed, then one GetObject, and one more of that
 * day's manifest): nothing in the table points to it, since whoever can rewrite the
 * table could rewrite such a pointer too.
 */
async function checkAnchor(
  deps: Deps,
  query: { entityType: EntityType; entityId: string },
  events: readonly AuditEvent[],
): Promise<{ anchor: AnchorCheck | null; problem?: ChainProblem }> {
  const found = await deps.anchors.latest(entityAnchorPrefix(query.entityType, query.entityId));
  if (!found) return { anchor: null };
  const parsed = entityAnchorSchema.safeParse(found.body);
  if (
    !parsed.success ||
    parsed.data.entityType !== query.entityType ||
    parsed.data.entityId !== query.entityId ||
    entityAnchorKey(query.entityType, query.entityId, parsed.data.date) !== found.key
  ) {
    return {
      anchor: { key: found.key, matches: false },
      problem: { eventId: null, problem: `外部に保管したアンカー（${found.key}）を読み取れません（改ざんの可能性）。` },
    };
  }
  const a = parsed.data;
  const problem = (await anchorOrigin(deps, a)) ?? anchorProblem(events, a, hashEvent);
  return {
    anchor: { key: found.key, date: a.date, eventId: a.eventId, version: a.version, head: a.head, matches: problem === undefined },
    ...(problem ? { problem } : {}),
  };
}

/**
 * Recompute an entity's hash chain (tamper evidence): every event's hash, the links
 * between them, the head the entity records, the versions along the chain and where
 * each event is stored; then hold it against the latest anchor written outside the
 * table (lib/domain/anchor.ts): a chain rewritten consistently in the table (entity,
 * events and head) after that anchor no longer contains the anchored head. Problems
 * are listed in Japanese. `anchor` is null for an entity no anchor names yet.
 */
export async function verifyAuditTrail(deps: Deps, actor: Actor, query: { entityType: EntityType; entityId: string }) {
  const { entity, events, misfiled } = await readableTrail(
    deps,
    actor,
    query,
    () => new NotFound('指定された対象は見つかりません。', 'entity-not-found'),
  );
  const checked = await checkAnchor(deps, query, events);
  const problems = [
    ...chainProblems(events, (entity as { trailHash?: string }).trailHash ?? null, hashEvent),
    ...placementProblems(events, query, misfiled),
    ...(checked.problem ? [checked.problem] : []),
  ];
  return {
    entityType: query.entityType,
    entityId: query.entityId,
    events: events.length,
    valid: problems.length === 0,
    problems,
    anchor: checked.anchor,
  };
}
