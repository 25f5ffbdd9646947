import { type AuditAction, type EntityOf, type EntityType, changedFields } from '#lib/domain/audit.js';
import type { Actor } from '#lib/domain/roles.js';
import { Conflict, StaleVersion } from '#lib/domain/errors.js';
import type { ChangeOf, ChangeWriter, Deps } from './ports.js';
import { sealEvent } from './trail-hash.js';

/** Every entity carries the hash of its latest audit event. */
type Chained = { trailHash?: string };

/**
 * Builds the one shape every change takes: the entity at its new version plus the
 * audit event that records who changed what. Use cases hand these to the writer.
 */
export function change<T extends EntityType>(
  deps: Pick<Deps, 'ids'>,
  actor: Actor,
  at: string,
  entityType: T,
  entityId: string,
  action: AuditAction,
  before: EntityOf<T> | null,
  after: EntityOf<T>,
  reason?: string,
): ChangeOf<T> {
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

/** Preconditions the HTTP layer passes through: the version from `If-Match`. */
export interface Precondition {
  ifMatch?: number | undefined;
}

/** 412 when the caller's `If-Match` names another version than the current one. */
export function checkIfMatch(current: { version: number }, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersion(current.version);
}

/** The entity a caller acts on, and the version they named with `If-Match` (if they did). */
export interface Asked {
  entityType: EntityType;
  entityId: string;
  ifMatch: number | undefined;
}

/**
 * Commit what a caller asked for. The writer answers {@link StaleVersion} whenever an
 * entity moved after it was read; that is the caller's 412 only for the entity they act
 * on and named the version of (`If-Match`). Otherwise they named no version of what
 * moved and simply lost a race with another change: 409, to reload and try again.
 */
export async function commitAsked(
  deps: Pick<Deps, 'writer'>,
  asked: Asked | undefined,
  ...commit: Parameters<ChangeWriter['commit']>
): Promise<void> {
  try {
    await deps.writer.commit(...commit);
  } catch (err) {
    const named =
      asked?.ifMatch !== undefined &&
      (err as StaleVersion).entity?.entityId === asked.entityId &&
      (err as StaleVersion).entity?.entityType === asked.entityType;
    if (err instanceof StaleVersion && !named) {
      throw new Conflict('同じデータが同時に更新されました。最新の内容を読み込み直してから操作してください。', 'concurrent-update');
    }
    throw err;
  }
}
