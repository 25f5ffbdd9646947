import { describe, expect, it } from 'vitest';
import { changedFields } from '#lib/domain/audit.js';

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
