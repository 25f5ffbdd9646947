import { canonicalJson } from '#lib/domain/audit.js';
import { KeyReused } from '#lib/domain/errors.js';
import type { Change, ChangeWriter, Claim, IdempotencyClaim, IdempotencyRecord, Precheck } from './ports.js';
import { sha256Hex as sha256 } from './trail-hash.js';

/**
 * Idempotent creates (`Idempotency-Key`): a phone on a weak network, or a double tap,
 * sends the same create twice; the second must create nothing and answer what the
 * first created. The key is claimed in the same transaction as the creation, so no
 * crash can leave a key without its entity or an entity without its key.
 */

/** How long a key is remembered: at least 24 hours after its first use (DynamoDB's TTL removes it later still). */
export const idempotencyKeyHours = 48;

/** The claim for a create of `route` by `sub` under `key`, with what identifies the request. */
export function idempotencyClaim(input: {
  sub: string;
  key: string;
  route: string;
  params: unknown;
  body: unknown;
  now: Date;
}): IdempotencyClaim {
  const now = Math.floor(input.now.getTime() / 1000);
  return {
    scope: sha256(canonicalJson([input.sub, input.key])),
    route: input.route,
    fingerprint: sha256(canonicalJson({ route: input.route, params: input.params, body: input.body })),
    now,
    expiresAt: now + idempotencyKeyHours * 3600,
  };
}

/** The record of a key used before, if it was used for this very request; another request under the same key is a 422. */
export function sameRequest(record: IdempotencyRecord, claim: IdempotencyClaim): IdempotencyRecord {
  if (record.route !== claim.route || record.fingerprint !== claim.fingerprint) throw new KeyReused();
  return record;
}

/**
 * A writer that adds the key's claim to the first commit that creates an entity (the
 * create itself) and lands; every other commit passes through unchanged.
 */
export function idempotentWriter(inner: ChangeWriter, claim: IdempotencyClaim): ChangeWriter {
  let claimed = false;
  return {
    async commit(changes: Change[], checks?: Precheck[], claims?: Claim[]) {
      if (claimed || !changes.some((c) => c.expectedVersion === null)) return inner.commit(changes, checks, claims);
      // A cancelled commit wrote nothing, its claim included: the key goes with the next one.
      await inner.commit(changes, checks, claims, claim);
      claimed = true;
    },
    appendEvent: (event) => inner.appendEvent(event),
  };
}
