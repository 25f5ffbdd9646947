import { describe, expect, it } from 'vitest';
import { type AuditEvent, chainProblems, changedFields } from '#lib/domain/audit.js';

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
    ['one scalar changed', { status: 'draft', version: 1, purpose: 'p' }, { status: 'submitted', version: 2, purpose: 'p' }, { status: 'draft', version: 1 }, { status: 'submitted', version: 2 }],
    ['a field added', { a: 1 }, { a: 1, returnReason: '日程を見直すこと' }, { returnReason: null }, { returnReason: '日程を見直すこと' }],
    ['a field removed', { a: 1, pendingRevisionId: 'r' }, { a: 1 }, { pendingRevisionId: 'r' }, { pendingRevisionId: null }],
    ['a field set to undefined counts as removed', { a: 1, b: 2 }, { a: 1, b: undefined }, { b: 2 }, { b: null }],
    ['an equal nested object is unchanged', { schedule: { from: '2026-10-01', to: '2026-11-30' } }, { schedule: { from: '2026-10-01', to: '2026-11-30' } }, {}, {}],
    [
      'a changed nested object is reported whole',
      { schedule: { from: '2026-10-01', to: '2026-11-30' } },
      { schedule: { from: '2026-10-01', to: '2026-12-15' } },
      { schedule: { from: '2026-10-01', to: '2026-11-30' } },
      { schedule: { from: '2026-10-01', to: '2026-12-15' } },
    ],
    ['an array changed', { methods: ['document'] }, { methods: ['document', 'onSite'] }, { methods: ['document'] }, { methods: ['document', 'onSite'] }],
    ['array order matters', { auditedDepartments: ['a', 'b'] }, { auditedDepartments: ['b', 'a'] }, { auditedDepartments: ['a', 'b'] }, { auditedDepartments: ['b', 'a'] }],
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

describe('chainProblems: the audit trail as a hash chain', () => {
  const hashOf = (e: Omit<AuditEvent, 'hash'>) => `h(${e.eventId},${e.prevHash ?? '-'},${e.action})`;
  const make = (ids: string[]): AuditEvent[] => {
    const out: AuditEvent[] = [];
    let prev: string | null = null;
    for (const id of ids) {
      const base: Omit<AuditEvent, 'hash'> = { eventId: id, entityType: 'plan' as const, entityId: 'p', action: `a${id}`, actor: { sub: 's', name: 'n', roles: [], department: 'd' }, at: 't', version: 1, before: null, after: {}, prevHash: prev };
      const e: AuditEvent = { ...base, hash: hashOf(base) };
      out.push(e);
      prev = e.hash;
    }
    return out;
  };
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
    ['a reordered pair', [e2, e1, e3]],
    ['an inserted branch', [...chain, { ...(make(['9'])[0] as AuditEvent), prevHash: e1.hash }]],
  ] as [string, AuditEvent[]][])('%s is caught', (_name, events) => {
    expect(chainProblems(events, head, hashOf).length).toBeGreaterThan(0);
  });
});
