import { type EntityType, changedFields } from '#lib/domain/audit.js';
import type { Actor } from '#lib/domain/roles.js';
import { StaleVersion } from '#lib/domain/errors.js';
import type { Change, Deps } from './ports.js';
import { sealEvent } from './trail-hash.js';

/** Every entity carries the hash of its latest audit event. */
type Chained = { trailHash?: string };

/**
 * Builds the one shape every change takes: the entity at its new version plus the
 * audit event that records who changed what. Use cases hand these to the writer.
 */
export function change<T extends Change['entity']>(
  deps: Pick<Deps, 'ids'>,
  actor: Actor,
  at: string,
  entityType: EntityType,
  entityId: string,
  action: string,
  before: T | null,
  after: T,
  reason?: string,
): Change {
  const diff = changedFields(before as unknown as Record<string, unknown> | null, after as unknown as Record<string, unknown>);
  const event = sealEvent(
    {
    eventId: deps.ids.next(),
    entityType,
    entityId,
    action,
    actor: { sub: actor.sub, name: actor.name, roles: [...actor.roles], department: actor.department },
    at,
    version: after.version,
    before: diff.before,
    after: diff.after,
    ...(reason === undefined ? {} : { reason }),
    },
    before ? ((before as Chained).trailHash ?? null) : null,
  );
  // The entity records the head of its chain, so a deleted last event is noticed too.
  (after as Chained).trailHash = event.hash;
  return { entityType, entityId, entity: after, expectedVersion: before ? before.version : null, event };
}

/** 412 when the caller's `If-Match` names another version than the current one. */
export function checkIfMatch(current: { version: number }, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersion(current.version);
}
