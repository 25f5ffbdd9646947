import { type AuditEvent, type ChainProblem, type EntityType, entityTypes, linkedChain } from './audit.js';
import * as z from './zod.js';

/**
 * Anchors of the audit trail outside the table (kansa's own practice, not a duty of the
 * regulation). Each entity's events form a hash chain whose head the entity records
 * (lib/domain/audit.ts); someone who can write the table could still rewrite an entity,
 * its events and its head consistently. So once a day the anchor duty writes, for the
 * Japan day before, the head of every chain that changed that day to the evidence
 * bucket, whose Object Lock keeps every object version for years:
 *
 * - `anchors/<date>.json`: the day's manifest, every (entityType, entityId, eventId,
 *   version, head) and one Merkle root over them;
 * - `anchors/entities/<entityType>/<entityId>/<date>.json`: the same entry for each of
 *   those entities alone, with the manifest's key and root.
 *
 * `GET /audit-log/verify` finds an entity's latest anchor by listing its own prefix in
 * the bucket (one ListObjectsV2 of the days that entity changed, dates sort as text),
 * reads that object from S3 and requires its head to be an event of the chain, at its
 * version. Nothing of the table is trusted for that lookup: a pointer kept in the table
 * would be rewritten with the rest. The latest anchor suffices: its head's hash covers
 * every event before it.
 */

/** The prefix of every anchor object in the evidence bucket. */
export const anchorPrefix = 'anchors/';

/** `anchors/<date>.json`: the manifest of one Japan day. */
export function anchorManifestKey(date: string): string {
  return `${anchorPrefix}${date}.json`;
}

/** `anchors/entities/<entityType>/<entityId>/`: where one entity's anchors are, one object per day it changed. */
export function entityAnchorPrefix(entityType: EntityType, entityId: string): string {
  return `${anchorPrefix}entities/${entityType}/${entityId}/`;
}

/** `anchors/entities/<entityType>/<entityId>/<date>.json`. */
export function entityAnchorKey(entityType: EntityType, entityId: string, date: string): string {
  return `${entityAnchorPrefix(entityType, entityId)}${date}.json`;
}

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

/** One chain's head at the end of the day: its last event of that day. */
export const anchorEntrySchema = z.object({
  entityType: z.enum(entityTypes),
  entityId: z.string().check(z.minLength(1)),
  eventId: z.string().check(z.minLength(1)),
  version: z.number().check(z.int(), z.positive()),
  head: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type AnchorEntry = z.infer<typeof anchorEntrySchema>;

/** `anchors/<date>.json`. */
export const anchorManifestSchema = z.object({
  kind: z.literal('kansa.auditTrailAnchor'),
  date: isoDate,
  /** Sorted by entity type, then id. */
  entries: z.array(anchorEntrySchema),
  /** Merkle root (SHA-256) over the entries' leaf hashes, in order; null for a day without changes. */
  root: z.nullable(z.string()),
  /** How leaves and nodes are hashed, in words, for whoever checks the root without kansa. */
  hashing: z.string(),
});
export type AnchorManifest = z.infer<typeof anchorManifestSchema>;

/** `anchors/entities/<entityType>/<entityId>/<date>.json`. */
export const entityAnchorSchema = z.extend(anchorEntrySchema, {
  kind: z.literal('kansa.auditTrailAnchor.entity'),
  date: isoDate,
  /** The day's manifest and its root, which this entry is one leaf of. */
  manifest: z.string(),
  root: z.string(),
});
export type EntityAnchor = z.infer<typeof entityAnchorSchema>;

/**
 * A Merkle root over `leaves` (hex hashes) with `hashPair`: pairs are hashed level by
 * level, an odd last node goes up as it is. Null for no leaves.
 */
export function merkleRoot(leaves: readonly string[], hashPair: (left: string, right: string) => string): string | null {
  if (leaves.length === 0) return null;
  let level = [...leaves];
  while (level.length > 1) {
    const up: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as string;
      const right = level[i + 1];
      up.push(right === undefined ? left : hashPair(left, right));
    }
    level = up;
  }
  return level[0] ?? null;
}

/**
 * The day's head of each chain among one day's events: the last event of each entity
 * in chain order. Sorted by entity type, then id, so the same events always give the
 * same entries (a repeated run writes the same objects).
 */
export function dayHeads(events: readonly AuditEvent[]): AnchorEntry[] {
  const byEntity = new Map<string, AuditEvent[]>();
  for (const e of events) {
    const id = `${e.entityType}#${e.entityId}`;
    byEntity.set(id, [...(byEntity.get(id) ?? []), e]);
  }
  const entries: AnchorEntry[] = [];
  for (const trail of byEntity.values()) {
    // The day's events of one entity are a stretch of its chain, walked from the day's
    // first event; the last one walked is the day's head. Events that do not link up at
    // all (forged rows: one linking to itself, two to each other) still get anchored, by
    // their highest version, so no row in the table can keep a day from being anchored.
    const last =
      linkedChain(trail).at(-1) ?? ([...trail].sort((a, b) => b.version - a.version || (a.eventId < b.eventId ? 1 : -1))[0] as AuditEvent);
    entries.push({ entityType: last.entityType, entityId: last.entityId, eventId: last.eventId, version: last.version, head: last.hash });
  }
  const key = (e: AnchorEntry) => `${e.entityType}#${e.entityId}`;
  return entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Whether an entity's trail still holds what its latest anchor recorded: the anchored
 * head must be an event on the trail's chain ({@link linkedChain}), with the anchored
 * event id and version. A chain rewritten with recomputed hashes, truncated or replaced
 * after the anchor was written has no such event, and that event's content must still
 * give its hash (`hashOf`).
 */
export function anchorProblem(
  events: readonly AuditEvent[],
  anchor: EntityAnchor,
  hashOf: (e: Omit<AuditEvent, 'hash'>) => string,
): ChainProblem | undefined {
  const at = linkedChain(events).find((e) => e.hash === anchor.head);
  const intact = (e: AuditEvent) => {
    const { hash, ...rest } = e;
    return hashOf(rest) === hash;
  };
  if (at && at.eventId === anchor.eventId && at.version === anchor.version && intact(at)) return undefined;
  return { eventId: at?.eventId ?? null, problem: `外部に保管したアンカー（${anchor.date}）と一致しません（改ざんの可能性）。` };
}
