import type { Role } from './roles.js';

/**
 * 監査証跡: one append-only event per change, written in the same transaction as the
 * change itself. Events are never updated or deleted.
 */
export const entityTypes = ['plan', 'finding', 'action', 'evidence', 'disposal'] as const;
export type EntityType = (typeof entityTypes)[number];

export interface AuditEvent {
  eventId: string;
  entityType: EntityType;
  entityId: string;
  /** e.g. `plan.created`, `plan.approved`. */
  action: string;
  actor: { sub: string; name: string; roles: readonly Role[]; department: string };
  at: string;
  /** The entity's version after the change. */
  version: number;
  /** Changed top-level fields before and after (null before a creation). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  /** 差戻しの理由, 承認コメント … where the action has one. */
  reason?: string;
}

/** JSON with object keys sorted at every depth: equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The top-level fields that differ between two snapshots, as before/after halves. */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): { before: Record<string, unknown> | null; after: Record<string, unknown> } {
  if (before === null) return { before: null, after: { ...after } };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (canonicalJson(before[key]) !== canonicalJson(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}
