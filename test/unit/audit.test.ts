import { describe, expect, it } from 'vitest';
import { type EntityAnchor, anchorProblem, dayHeads, merkleRoot } from '#lib/domain/anchor.js';
import { type AuditEvent, chainOrder, chainProblems, changedFields, placementProblems } from '#lib/domain/audit.js';
import { anchorTrails } from '#lib/app/trail-anchor.js';
import { fakeDeps, planInProgress } from './fakes.js';

type Snapshot = Record<string, unknown>;

describe('changedFields', () => {
  it('a creation has no before and the whole entity after, as a copy', () => {
    const after = { planId: 'p', status: 'draft', version: 1 };
    const diff = changedFields(null, after);
    expect(diff).toEqual({ before: null, after });
    expect(diff.after).not.toBe(after);
  });

  it.each<[string, Snapshot, Snapshot, Snapshot, Snapshot]>([
    ['nothing changed', { a: 1, b: 'x' }, { a: 1, b: 'x' }, {}, {}],
    [
      'one scalar changed',
      { status: 'draft', version: 1, purpose: 'p' },
      { status: 'submitted', version: 2, purpose: 'p' },
      { status: 'draft', version: 1 },
      { status: 'submitted', version: 2 },
    ],
    ['a field added', { a: 1 }, { a: 1, returnReason: '日程を見直すこと' }, { returnReason: null }, { returnReason: '日程を見直すこと' }],
    ['a field removed', { a: 1, pendingRevisionId: 'r' }, { a: 1 }, { pendingRevisionId: 'r' }, { pendingRevisionId: null }],
    ['a field set to undefined counts as removed', { a: 1, b: 2 }, { a: 1, b: undefined }, { b: 2 }, { b: null }],
    [
      'an equal nested object is unchanged',
      { schedule: { from: '2026-10-01', to: '2026-11-30' } },
      { schedule: { from: '2026-10-01', to: '2026-11-30' } },
      {},
      {},
    ],
    [
      'a changed nested object is reported whole',
      { schedule: { from: '2026-10-01', to: '2026-11-30' } },
      { schedule: { from: '2026-10-01', to: '2026-12-15' } },
      { schedule: { from: '2026-10-01', to: '2026-11-30' } },
      { schedule: { from: '2026-10-01', to: '2026-12-15' } },
    ],
    [
      'an array changed',
      { methods: ['document'] },
      { methods: ['document', 'onSite'] },
      { methods: ['document'] },
      { methods: ['document', 'onSite'] },
    ],
    [
      'array order matters',
      { auditedDepartments: ['a', 'b'] },
      { auditedDepartments: ['b', 'a'] },
      { auditedDepartments: ['a', 'b'] },
      { auditedDepartments: ['b', 'a'] },
    ],
    ['a number is not its string', { fiscalYear: 2026 }, { fiscalYear: '2026' }, { fiscalYear: 2026 }, { fiscalYear: '2026' }],
  ])('%s', (_name, before, after, expectedBefore, expectedAfter) => {
    expect(changedFields(before, after)).toEqual({ before: expectedBefore, after: expectedAfter });
  });

  // DynamoDB returns map attributes in its own key order (DynamoDB Local gives
  // {"userId","role"} for a team member stored as {"role","userId"}), so a PATCH that
  // resends an unchanged team or schedule must not be recorded as a change.
  it.each<[string, Snapshot, Snapshot]>([
    ['team member', { team: [{ userId: 'lead-1', role: 'auditLead' }] }, { team: [{ role: 'auditLead', userId: 'lead-1' }] }],
    [
      'schedule',
      { schedule: { byDepartment: [{ department: 'dx', from: '2026-10-01', to: '2026-10-02' }], from: '2026-10-01', to: '2026-11-30' } },
      { schedule: { from: '2026-10-01', to: '2026-11-30', byDepartment: [{ department: 'dx', from: '2026-10-01', to: '2026-10-02' }] } },
    ],
  ])('the key order inside a nested object is not a change (%s)', (_name, before, after) => {
    expect(changedFields(before, after)).toEqual({ before: {}, after: {} });
  });
});

/**
 * Builds chains of plan events hashed with `hashOf`: the events with these ids (and
 * versions, default 1), linked in the order given from `from`; `action` names an event's
 * action before it is hashed.
 */
function chainMaker(hashOf: (e: Omit<AuditEvent, 'hash'>) => string) {
  return (ids: string[], versions: number[] = [], entityId = 'p', from: string | null = null, action = (id: string) => `a${id}`) => {
    const out: AuditEvent[] = [];
    let prev = from;
    for (const [i, id] of ids.entries()) {
      const base: Omit<AuditEvent, 'hash'> = {
        eventId: id,
        entityType: 'plan',
        entityId,
        action: action(id),
        actor: { sub: 's', name: 'n', roles: [], department: 'd' },
        at: 't',
        version: versions[i] ?? 1,
        before: null,
        after: {},
        prevHash: prev,
      };
      const e: AuditEvent = { ...base, hash: hashOf(base) };
      out.push(e);
      prev = e.hash;
    }
    return out;
  };
}

describe('chainProblems: the audit trail as a hash chain', () => {
  const hashOf = (e: Omit<AuditEvent, 'hash'>) => `h(${e.eventId},${e.prevHash ?? '-'},${e.action})`;
  /** A chain of events with these ids (and versions, default 1), linked in the order given. */
  const make = chainMaker(hashOf);
  const chain = make(['1', '2', '3']);
  const [e1, e2, e3] = chain as [AuditEvent, AuditEvent, AuditEvent];
  const head = e3.hash;

  it('an intact chain has no problems', () => {
    expect(chainProblems(chain, head, hashOf)).toEqual([]);
  });
  it.each([
    ['a mutated event', [e1, { ...e2, action: 'x' }, e3]],
    ['a deleted middle event', [e1, e3]],
    ['a deleted last event', [e1, e2]],
    ['an inserted branch', [...chain, { ...(make(['9'])[0] as AuditEvent), prevHash: e1.hash }]],
    ['an event of another chain', [e1, e2, ...make(['4'], [], 'q')]],
  ] as [string, AuditEvent[]][])('%s is caught', (_name, events) => {
    expect(chainProblems(events, head, hashOf).length).toBeGreaterThan(0);
  });

  it('the order the events come in does not matter: the chain has its own', () => {
    expect(chainProblems([e3, e1, e2], head, hashOf)).toEqual([]);
    expect(chainOrder([e3, e1, e2]).map((e) => e.eventId)).toEqual(['1', '2', '3']);
  });

  it('orders by version, and within a version by the links, not by event id (clocks of two instances may disagree)', () => {
    // A change (v1), two downloads of v1 whose ids sort the other way round, then a change (v2).
    const trail = make(['05', '09', '07', '08'], [1, 1, 1, 2]);
    expect(chainOrder([...trail].reverse()).map((e) => e.eventId)).toEqual(['05', '09', '07', '08']);
    expect(
      chainProblems(
        [...trail].sort((a, b) => (a.eventId < b.eventId ? -1 : 1)),
        trail[3]?.hash ?? null,
        hashOf,
      ),
    ).toEqual([]);
  });

  it('a chain rewritten in another order, hashes and links recomputed, is caught by its versions', () => {
    const rewritten = make(['1', '3', '2'], [1, 3, 2]);
    const problems = chainProblems(rewritten, rewritten[2]?.hash ?? null, hashOf);
    expect(problems.map((p) => p.eventId)).toEqual(['3', '2']);
    expect(problems[0]?.problem).toContain('版数');
  });

  it('events stored under the key of another event, or naming another entity, are reported', () => {
    expect(placementProblems(chain, { entityType: 'plan', entityId: 'p' }, [])).toEqual([]);
    expect(placementProblems(chain, { entityType: 'plan', entityId: 'p' }, ['1', '2']).map((p) => p.eventId)).toEqual(['1', '2']);
    expect(placementProblems(chain, { entityType: 'plan', entityId: 'q' }, []).map((p) => p.eventId)).toEqual(['1', '2', '3']);
  });
});

describe('anchors: chain heads kept outside the table', () => {
  const hashOf = (e: Omit<AuditEvent, 'hash'>) => `h(${e.eventId},${e.prevHash ?? '-'},${e.action},${e.version})`;
  /** A chain linked in the order given; `action` rewrites an event's action before it is hashed. */
  const make = chainMaker(hashOf);
  const trail = make(['1', '2', '3', '4'], [1, 2, 2, 3]);
  const at = (e: AuditEvent): EntityAnchor => ({
    kind: 'kansa.auditTrailAnchor.entity',
    date: '2026-12-07',
    entityType: 'plan',
    entityId: 'p',
    eventId: e.eventId,
    version: e.version,
    head: e.hash,
    manifest: 'anchors/2026-12-07.json',
    root: 'r',
  });
  const third = trail[2] as AuditEvent;

  it('a chain that still holds the anchored head, at its version, matches (events after it do not matter)', () => {
    expect(anchorProblem(trail, at(third), hashOf)).toBeUndefined();
  });

  it.each<[string, AuditEvent[], (a: EntityAnchor) => EntityAnchor]>([
    [
      'rewritten consistently from an event before the anchor (hashes and links recomputed)',
      make(['1', '2', '3', '4'], [1, 2, 2, 3], 'p', null, (id) => (id === '2' ? 'plan.approved' : `a${id}`)),
      (a) => a,
    ],
    [
      'rewritten consistently from the anchored event itself',
      make(['1', '2', '3', '4'], [1, 2, 2, 3], 'p', null, (id) => (id === '3' ? 'plan.approved' : `a${id}`)),
      (a) => a,
    ],
    ['truncated before the anchored head', trail.slice(0, 2), (a) => a],
    ['holding the head at another version', trail, (a) => ({ ...a, version: 3 })],
    ['holding the head under another event id', trail, (a) => ({ ...a, eventId: '9' })],
    ['holding the head, but its content changed', trail.map((e) => (e.eventId === '3' ? { ...e, action: 'plan.approved' } : e)), (a) => a],
  ])('%s: does not match', (_name, events, tweak) => {
    const problem = anchorProblem(events, tweak(at(third)), hashOf);
    expect(problem?.problem).toBe('外部に保管したアンカー（2026-12-07）と一致しません（改ざんの可能性）。');
  });

  it("the day's head of each chain is its last event of the day, whatever the ids say; entries sorted by entity", () => {
    const q = make(['8', '6'], [4, 4], 'q', 'h(earlier)');
    const heads = dayHeads([...q, third, trail[3] as AuditEvent].reverse());
    expect(heads.map((h) => [h.entityId, h.eventId, h.version])).toEqual([
      ['p', '4', 3],
      ['q', '6', 4],
    ]);
  });

  it('anchors a day whose rows of one entity do not link up (a forged row linking to itself, two linking to each other), and every other entity with it', () => {
    const q = make(['8'], [2], 'q', 'h(earlier)');
    const self = { ...(q[0] as AuditEvent), eventId: '9', version: 3, hash: 'c'.repeat(64), prevHash: 'c'.repeat(64) };
    const a = { ...(q[0] as AuditEvent), eventId: 'a', version: 4, hash: 'a'.repeat(64), prevHash: 'b'.repeat(64) };
    const b = { ...(q[0] as AuditEvent), eventId: 'b', version: 4, hash: 'b'.repeat(64), prevHash: 'a'.repeat(64) };
    for (const forged of [[self], [a, b], [self, a, b]]) {
      const heads = dayHeads([...trail, ...forged]);
      expect(heads.map((h) => h.entityId)).toEqual(['p', 'q']);
      expect(heads[0]).toMatchObject({ eventId: '4', version: 3 });
      expect(heads[1]?.version).toBe(Math.max(...forged.map((e) => e.version)));
    }
  });

  it('merkleRoot: none for no leaves, the leaf for one, pairs level by level, an odd last node goes up', () => {
    const pair = (l: string, r: string) => `(${l}${r})`;
    expect(merkleRoot([], pair)).toBeNull();
    expect(merkleRoot(['a'], pair)).toBe('a');
    expect(merkleRoot(['a', 'b', 'c'], pair)).toBe('((ab)c)');
    expect(merkleRoot(['a', 'b', 'c', 'd', 'e'], pair)).toBe('(((ab)(cd))e)');
  });
});

describe('the anchor duty beside an object it did not write', () => {
  it('fails loudly when a key it would write holds other content (put there ahead of it), and passes when it holds the same bytes', async () => {
    const deps = fakeDeps('2026-06-01T01:00:00Z');
    await planInProgress(deps);
    const run = { duty: 'audit-anchor' as const, period: '2026-06-02', today: '2026-06-02' };
    deps.anchors.objects.set(
      'anchors/2026-06-01.json',
      JSON.stringify({ kind: 'kansa.auditTrailAnchor', date: '2026-06-01', entries: [], root: null, hashing: 'forged' }),
    );
    await expect(anchorTrails(deps, run)).rejects.toThrow(/anchors\/2026-06-01\.json exists with other content/);

    const fresh = fakeDeps('2026-06-01T01:00:00Z');
    await planInProgress(fresh);
    expect((await anchorTrails(fresh, run)).created).toBe(1);
    fresh.store.claims.clear();
    // A delivery resumed before its claim finds its own objects: the same bytes, so it goes on.
    expect((await anchorTrails(fresh, run)).created).toBe(1);
  });
});
