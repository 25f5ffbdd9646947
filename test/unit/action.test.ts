import { describe, expect, it } from 'vitest';
import {
  type ActionStatus,
  type ActionTransition,
  actionStatuses,
  actionStatusLabels,
  isOverdue,
  nextActionStatus,
  pendingStatuses,
  settledStatuses,
} from '#lib/domain/action.js';
import { jstDate } from '#lib/domain/calendar.js';
import { Conflict } from '#lib/domain/errors.js';

/**
 * 改善措置 state machine (第28条), written out by hand: rows are the current status,
 * columns the transition, cells the status it leads to ('-' = 409 illegal-transition).
 * open → inProgress → submitted → verified; submitted → reopened → (inProgress |
 * submitted); riskAccepted from any status the 課 or the auditor still acts in.
 */
const transitionColumns = ['progress', 'submit', 'verify', 'reopen', 'acceptRisk'] as const satisfies readonly ActionTransition[];
const machine = `
               progress    submit     verify    reopen    acceptRisk
  open         inProgress  submitted  -         -         riskAccepted
  inProgress   inProgress  submitted  -         -         riskAccepted
  submitted    -           -          verified  reopened  riskAccepted
  verified     -           -          -         -         -
  reopened     inProgress  submitted  -         -         riskAccepted
  riskAccepted -           -          -         -         -
`;

const table = machine
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [from, ...cells] = line.trim().split(/\s+/) as [ActionStatus, ...string[]];
    if (cells.length !== transitionColumns.length) throw new Error(`row ${from} has ${cells.length} cells`);
    return [from, cells] as const;
  });

const cases = table.flatMap(([from, cells]) =>
  transitionColumns.map((t, i) => [from, t, cells[i] === '-' ? null : (cells[i] as ActionStatus)] as const),
);

describe('nextActionStatus: every status × every transition', () => {
  it('the table has every status once', () => {
    expect(table.map(([from]) => from).sort()).toEqual([...actionStatuses].sort());
    expect(cases).toHaveLength(actionStatuses.length * transitionColumns.length);
  });

  it.each(cases)('%s --%s--> %s', (from, t, to) => {
    if (to !== null) {
      expect(nextActionStatus(from, t)).toBe(to);
      return;
    }
    let err: unknown;
    try {
      nextActionStatus(from, t);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ kind: 'conflict', code: 'illegal-transition' });
    // Names the current status in Japanese.
    expect((err as Conflict).message).toContain(`状態が「${actionStatusLabels[from]}」の改善措置には`);
  });

  it('settled statuses are the final ones: nothing leaves verified or riskAccepted', () => {
    expect([...settledStatuses].sort()).toEqual(['riskAccepted', 'verified']);
    for (const s of settledStatuses) for (const t of transitionColumns) expect(() => nextActionStatus(s, t)).toThrow(Conflict);
  });
});

describe('isOverdue (Japan time; pending statuses only)', () => {
  it('pending statuses are the ones the 課 still owes work in', () => {
    expect([...pendingStatuses].sort()).toEqual(['inProgress', 'open', 'reopened']);
  });

  // Due 2026-06-01; "today" is the Japan date of the instant.
  const instants: [string, string, boolean][] = [
    ['2026-05-31T15:00:00Z', '2026-06-01 00:00 JST: due today', false],
    ['2026-06-01T14:59:59Z', '2026-06-01 23:59:59 JST: due today', false],
    ['2026-06-01T15:00:00Z', '2026-06-02 00:00 JST: due yesterday', true],
    ['2026-06-01T23:00:00Z', '2026-06-02 08:00 JST (still 06-01 in UTC): due yesterday', true],
    ['2026-05-31T14:59:59Z', '2026-05-31 23:59:59 JST: due tomorrow', false],
    ['2026-07-01T00:00:00Z', 'a month later', true],
  ];
  const overdueCases = actionStatuses.flatMap((status) =>
    instants.map(([instant, what, late]) => [status, what, instant, late && pendingStatuses.includes(status)] as const),
  );

  it.each(overdueCases)('%s, %s → %s', (status, _what, instant, overdue) => {
    expect(isOverdue({ status, dueDate: '2026-06-01' }, jstDate(new Date(instant)))).toBe(overdue);
  });

  it('across a month and a year end in Japan', () => {
    expect(isOverdue({ status: 'open', dueDate: '2026-12-31' }, jstDate(new Date('2026-12-31T14:59:59Z')))).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: '2026-12-31' }, jstDate(new Date('2026-12-31T15:00:00Z')))).toBe(true);
    expect(isOverdue({ status: 'reopened', dueDate: '2027-03-31' }, '2027-04-01')).toBe(true);
    expect(isOverdue({ status: 'submitted', dueDate: '2027-03-31' }, '2027-04-01')).toBe(false);
  });
});
