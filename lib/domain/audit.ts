import type { FollowUpAction } from './action.js';
import type { Contractor, ContractorCheck } from './contractor.js';
import type { Disposal } from './disposal.js';
import type { Evidence } from './evidence.js';
import type { Finding } from './finding.js';
import type { Incident } from './incident.js';
import type { Inspection } from './inspection.js';
import type { Plan } from './plan.js';
import type { Role } from './roles.js';
import type { Staff } from './staff.js';
import type { Task } from './task.js';
import type { AttendanceRoll, Training } from './training.js';

/**
 * 監査証跡: one append-only event per change, written in the same transaction as the
 * change itself. Events are never updated or deleted.
 */
export const entityTypes = [
  'plan',
  'finding',
  'action',
  'evidence',
  'disposal',
  'task',
  'inspection',
  'contractor',
  'contractorCheck',
  'incident',
  'staff',
  'training',
  'attendance',
] as const;
export type EntityType = (typeof entityTypes)[number];

/**
 * Each entity type's domain type. Everything keyed by entity type (a change, its item's
 * keys and indexes, who may read it) is a record over `EntityType` typed by this map, so
 * a new entity type is an entry here and in `entityTypes`, and the compiler names the rest
 * (docs/adding-an-entity-type.md).
 */
export interface Entities {
  plan: Plan;
  finding: Finding;
  action: FollowUpAction;
  evidence: Evidence;
  disposal: Disposal;
  task: Task;
  inspection: Inspection;
  contractor: Contractor;
  contractorCheck: ContractorCheck;
  incident: Incident;
  staff: Staff;
  training: Training;
  attendance: AttendanceRoll;
}

/** Every entity type has its domain type, and every entity carries its version (the writer's optimistic concurrency). */
type Checked<M extends { [T in EntityType]: { version: number } }> = M;

/** The domain type of an entity type (from {@link Entities}). */
export type EntityOf<T extends EntityType> = Checked<Entities>[T];

/**
 * Every kind of change the audit trail records, as `entity.pastTense`. The use cases
 * write only these (lib/app/changes.ts takes one); the app names each in Japanese.
 */
export const auditActions = [
  'plan.created',
  'plan.updated',
  'plan.submitted',
  'plan.approved',
  'plan.returned',
  'plan.started',
  'plan.reported',
  'plan.closed',
  'plan.superseded',
  'plan.revisionCreated',
  'plan.revisionOpened',
  'finding.created',
  'finding.updated',
  'action.created',
  'action.progressed',
  'action.submitted',
  'action.verified',
  'action.reopened',
  'action.riskAccepted',
  'action.markedOverdue',
  'action.reminded',
  'evidence.registered',
  'evidence.verified',
  'evidence.rejected',
  'evidence.expired',
  'evidence.downloaded',
  'disposal.recorded',
  'disposal.photoVerified',
  'task.created',
  'task.closed',
  'inspection.opened',
  'inspection.updated',
  'inspection.submitted',
  'inspection.reviewed',
  'contractor.registered',
  'contractor.updated',
  'contractorCheck.opened',
  'contractorCheck.completed',
  'incident.reported',
  'incident.updated',
  'incident.contained',
  'incident.investigated',
  'incident.escalated',
  'incident.preventionRecorded',
  'incident.acknowledged',
  'incident.ppcReported',
  'incident.noticeRecorded',
  'incident.closed',
  'staff.registered',
  'staff.updated',
  'training.planned',
  'training.updated',
  'attendance.recorded',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEvent {
  eventId: string;
  entityType: EntityType;
  entityId: string;
  /** e.g. `plan.created`, `plan.approved`: one of {@link auditActions} (a string: the trail is read as stored). */
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

const byVersionThenId = (a: AuditEvent, b: AuditEvent): number =>
  a.version - b.version || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/**
 * The chain from `first`: each next event is the one that names the previous one's hash
 * (of several, which only a damaged trail has: the lowest version, then event id).
 */
function follow(events: readonly AuditEvent[], first: AuditEvent | undefined): AuditEvent[] {
  const byPrev = new Map<string, AuditEvent[]>();
  for (const e of events) if (e.prevHash !== null) byPrev.set(e.prevHash, [...(byPrev.get(e.prevHash) ?? []), e]);
  const chain: AuditEvent[] = [];
  const seen = new Set<AuditEvent>();
  for (let e = first; e && !seen.has(e); e = [...(byPrev.get(e.hash) ?? [])].sort(byVersionThenId)[0]) {
    seen.add(e);
    chain.push(e);
  }
  return chain;
}

/**
 * THE order of an entity's audit trail: the chain's own. It starts at the event whose
 * predecessor is not among `events` (the one with no predecessor, for a whole trail; the
 * day's first, for one day's events) and each next event is the one that names the
 * previous one's hash. Along it the version never goes down: a change raises it by one,
 * an access (an evidence download) keeps the version it read, so the order is "by
 * version, and among the events of one version by their links". It is never the order
 * of the event ids (ULIDs carry the writing instance's clock, and two instances' clocks
 * may disagree). Events off the chain, which only a damaged trail has, follow it by
 * version, then event id.
 */
export function chainOrder(events: readonly AuditEvent[]): AuditEvent[] {
  const chain = linkedChain(events);
  const on = new Set(chain);
  return [...chain, ...events.filter((e) => !on.has(e)).sort(byVersionThenId)];
}

/** The linked part of {@link chainOrder}: from its first event as long as the links go (all of an intact trail). */
export function linkedChain(events: readonly AuditEvent[]): AuditEvent[] {
  const hashes = new Set(events.map((e) => e.hash));
  const [first] = events
    .filter((e) => e.prevHash === null || !hashes.has(e.prevHash))
    .sort((a, b) => Number(a.prevHash !== null) - Number(b.prevHash !== null) || byVersionThenId(a, b));
  return follow(events, first);
}

/**
 * Check an entity's audit trail as a hash chain (tamper evidence): every event's hash
 * must match its content, each must name its predecessor's hash, the chain must run
 * from the first event to the entity's recorded head without a gap or a branch, no
 * event may stand outside it, and along it the version may only stay (an access) or go
 * up by one (a change), so a chain rewritten in another order is caught even with its
 * hashes recomputed. The order `events` come in does not matter ({@link chainOrder}).
 * `hashOf` computes an event's hash.
 */
export function chainProblems(
  events: readonly AuditEvent[],
  head: string | null,
  hashOf: (e: Omit<AuditEvent, 'hash'>) => string,
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const byPrev = new Map<string | null, AuditEvent[]>();
  for (const e of events) {
    const { hash, ...rest } = e;
    if (hashOf(rest) !== hash) problems.push({ eventId: e.eventId, problem: '内容がハッシュと一致しません（改ざんの可能性）。' });
    byPrev.set(e.prevHash, [...(byPrev.get(e.prevHash) ?? []), e]);
  }
  for (const [prev, children] of byPrev) {
    if (children.length > 1)
      problems.push({
        eventId: children[1]?.eventId ?? null,
        problem: `同じ直前イベント（${prev ?? '先頭'}）を指すイベントが複数あります（挿入の可能性）。`,
      });
  }
  // Walk from the first event along the links.
  const chain = follow(events, byPrev.get(null)?.[0]);
  const seen = new Set(chain.map((e) => e.eventId));
  if ((chain.at(-1)?.hash ?? null) !== head)
    problems.push({ eventId: null, problem: '証跡の末尾が記録と一致しません（削除または並べ替えの可能性）。' });
  // Versions along the chain: the same (an access) or one more (a change), never down.
  for (const [i, e] of chain.entries()) {
    const before = chain[i - 1];
    if (before && e.version !== before.version && e.version !== before.version + 1) {
      problems.push({
        eventId: e.eventId,
        problem: `版数（${e.version}）が直前のイベントの版数（${before.version}）から続いていません（並べ替えの可能性）。`,
      });
    }
  }
  for (const e of events)
    if (!seen.has(e.eventId))
      problems.push({ eventId: e.eventId, problem: '連鎖から外れたイベントがあります（削除・挿入・並べ替えの可能性）。' });
  return problems;
}

/**
 * Events stored where they do not belong: under the key of another event (contents
 * swapped between two keys) or in another entity's trail. `misfiled` are the ids the
 * store found under a key naming another event.
 */
export function placementProblems(
  events: readonly AuditEvent[],
  entity: { entityType: EntityType; entityId: string },
  misfiled: readonly string[],
): ChainProblem[] {
  const problems: ChainProblem[] = misfiled.map((eventId) => ({
    eventId,
    problem: '別のイベントのキーに保存されています（並べ替えの可能性）。',
  }));
  for (const e of events) {
    if (e.entityType !== entity.entityType || e.entityId !== entity.entityId)
      problems.push({ eventId: e.eventId, problem: '別の対象のイベントが証跡に含まれています（挿入の可能性）。' });
  }
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
