import type { Role } from './roles.js';

/**
 * 監査証跡: one append-only event per change, written in the same transaction as the
 * change itself. Events are never updated or deleted.
 */
export const entityTypes = ['plan', 'finding', 'action', 'evidence', 'disposal', 'task', 'inspection', 'contractor', 'contractorCheck'] as const;
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
  /** Hash of the entity's previous event (null for its first): the events form a chain. */
  prevHash: string | null;
  /** SHA-256 of this event's canonical JSON without `hash`. */
  hash: string;
}

/** What a chain check found wrong, in Japanese. */
export interface ChainProblem {
  eventId: string | null;
  problem: string;
}

/**
 * Check an entity's audit trail as a hash chain (tamper evidence): every event's hash
 * must match its content, each must name its predecessor's hash, the chain must run
 * from the first event to the entity's recorded head without a gap or a branch, no
 * event may stand outside it, and `events` (in stored order) must follow the chain.
 * `hashOf` computes an event's hash.
 */
export function chainProblems(events: readonly AuditEvent[], head: string | null, hashOf: (e: Omit<AuditEvent, 'hash'>) => string): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const byPrev = new Map<string | null, AuditEvent[]>();
  for (const e of events) {
    const { hash, ...rest } = e;
    if (hashOf(rest) !== hash) problems.push({ eventId: e.eventId, problem: '内容がハッシュと一致しません（改ざんの可能性）。' });
    byPrev.set(e.prevHash, [...(byPrev.get(e.prevHash) ?? []), e]);
  }
  for (const [prev, children] of byPrev) {
    if (children.length > 1) problems.push({ eventId: children[1]?.eventId ?? null, problem: `同じ直前イベント（${prev ?? '先頭'}）を指すイベントが複数あります（挿入の可能性）。` });
  }
  // Walk from the first event along the links.
  const seen = new Set<string>();
  let current: string | null = null;
  for (;;) {
    const next: AuditEvent | undefined = byPrev.get(current)?.[0];
    if (!next || seen.has(next.eventId)) break;
    seen.add(next.eventId);
    current = next.hash;
  }
  if (current !== head) problems.push({ eventId: null, problem: '証跡の末尾が記録と一致しません（削除または並べ替えの可能性）。' });
  // Stored order (by event id) must be the chain's order: swapped contents are caught here.
  const chainOrder = [...seen];
  const stored = events.map((e) => e.eventId).filter((id) => seen.has(id));
  const moved = stored.findIndex((id, i) => id !== chainOrder[i]);
  if (moved >= 0) problems.push({ eventId: stored[moved] ?? null, problem: '保存順が連鎖の順と一致しません（並べ替えの可能性）。' });
  for (const e of events) if (!seen.has(e.eventId)) problems.push({ eventId: e.eventId, problem: '連鎖から外れたイベントがあります（削除・挿入・並べ替えの可能性）。' });
  return problems;
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
  if (before === null) {
    const { trailHash: _head, ...fields } = after;
    return { before: null, after: fields };
  }
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'trailHash') continue; // bookkeeping of the chain, not a change
    if (canonicalJson(before[key]) !== canonicalJson(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}
