import { createHash } from 'node:crypto';
import { type AuditEvent, canonicalJson } from '#lib/domain/audit.js';

/** SHA-256 of a text, in hex: the one hash of the trail, its anchors and the Idempotency-Key records. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** SHA-256 (hex) of an event's canonical JSON, without its own `hash`. */
export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  return sha256Hex(canonicalJson(event));
}

/** Seal an event onto its entity's chain: link it to `prevHash` and compute its hash. */
export function sealEvent(event: Omit<AuditEvent, 'hash' | 'prevHash'>, prevHash: string | null): AuditEvent {
  const linked = { ...event, prevHash };
  return { ...linked, hash: hashEvent(linked) };
}
