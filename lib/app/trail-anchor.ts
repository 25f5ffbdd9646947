import {
  type AnchorEntry,
  type AnchorManifest,
  type EntityAnchor,
  anchorManifestKey,
  dayHeads,
  entityAnchorKey,
  merkleRoot,
} from '#lib/domain/anchor.js';
import { type AuditEvent, canonicalJson } from '#lib/domain/audit.js';
import { addDays } from '#lib/domain/task.js';
import { type DutyResult, type DutyRun, allPages, eachUnit } from './duty-units.js';
import { AlreadyClaimed, type Deps } from './ports.js';
import { sha256Hex as sha256 } from './trail-hash.js';

/** How the manifest's root is computed, written into it for whoever checks it without kansa. */
export const anchorHashing =
  'leaf = SHA-256 (hex) of the entry as canonical JSON (keys sorted, no spaces); node = SHA-256 (hex) of the left and right hex strings joined; an odd last node goes up unchanged';

/** The Merkle root of a day's entries, as {@link anchorHashing} says. */
export function manifestRoot(entries: readonly AnchorEntry[]): string | null {
  return merkleRoot(
    entries.map((e) => sha256(canonicalJson(e))),
    (left, right) => sha256(left + right),
  );
}

/** The anchor objects of one Japan day: the manifest and one object per chain, all from the day's events alone. */
export function anchorObjects(date: string, events: readonly AuditEvent[]): { manifest: AnchorManifest; entities: EntityAnchor[] } {
  const entries = dayHeads(events);
  const root = manifestRoot(entries);
  const manifestKey = anchorManifestKey(date);
  return {
    manifest: { kind: 'kansa.auditTrailAnchor', date, entries, root, hashing: anchorHashing },
    entities: entries.map((e) => ({ kind: 'kansa.auditTrailAnchor.entity', date, ...e, manifest: manifestKey, root: root as string })),
  };
}

/**
 * Put an anchor object once. A key that exists must hold these very bytes (an earlier
 * delivery of the same day wrote it); anything else was put by someone other than the
 * duty, ahead of it, and the run fails (the schedule's retries, then its dead-letter
 * queue and alarm) rather than anchor beside a forgery.
 */
async function putOrSame(deps: Pick<Deps, 'anchors'>, key: string, body: string): Promise<void> {
  if (await deps.anchors.putOnce(key, body)) return;
  const existing = await deps.anchors.get(key);
  if (existing === undefined || canonicalJson(existing) !== body) {
    throw new Error(`anchor ${key} exists with other content than this day's events give: written by someone other than the anchor duty`);
  }
}

/**
 * The anchor duty (a system duty: kansa's practice, 運用, under every profile): shortly
 * after midnight Japan time it anchors the day before, D-1. It reads D-1's audit events
 * from their index (`TRAIL#<date>`, one Query per page; no Scan), takes the day's last
 * event of each chain that changed (lib/domain/anchor.ts `dayHeads`) and writes to the
 * evidence bucket one object per chain, `anchors/entities/<type>/<id>/<D-1>.json`, then
 * the day's manifest `anchors/<D-1>.json` with the Merkle root over them, and last the
 * claim `(duty, period, anchors/<D-1>.json)`.
 *
 * Once: a delivery that finds the claim writes nothing. One that died before the claim
 * is resumed by the next delivery, which writes the same objects again: their content
 * depends only on D-1's events (no clock, no run instant), and S3 refuses a key that
 * exists (`If-None-Match: *`), so nothing is written twice. Concurrent deliveries write
 * the same bytes and one of them gets the claim.
 *
 * Counts: `created` is the number of chains anchored by this run (0 for a day without
 * changes: its manifest, with no entries, is written all the same), `alreadyDone` 1 when
 * the claim existed. No event goes on the bus.
 */
export async function anchorTrails(deps: Deps, run: Pick<DutyRun, 'duty' | 'period' | 'today'>): Promise<DutyResult> {
  const result: DutyResult = { created: 0, alreadyDone: 0, skipped: 0, events: [], republished: 0 };
  const date = addDays(run.today, -1);
  const claim = { duty: run.duty, period: run.period, subject: anchorManifestKey(date) };
  if (await deps.claims.get(claim.duty, claim.period, claim.subject)) {
    result.alreadyDone = 1;
    return result;
  }

  const events = await allPages((p) => deps.auditTrail.ofDay(date, p));
  const { manifest, entities } = anchorObjects(date, events);

  // Each chain's object, then the manifest, then the claim: whatever a dead run left is written again, identically.
  await eachUnit(entities, (a) => putOrSame(deps, entityAnchorKey(a.entityType, a.entityId, a.date), canonicalJson(a)));
  await putOrSame(deps, claim.subject, canonicalJson(manifest));
  try {
    await deps.writer.commit([], [], [claim]);
  } catch (err) {
    if (!(err instanceof AlreadyClaimed)) throw err;
    result.alreadyDone = 1;
    return result;
  }
  result.created = entities.length;
  return result;
}
