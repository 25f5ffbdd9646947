import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planAttendanceImport, readAttendanceCsv } from '#lib/domain/attendance-import.js';
import { decodeCsv } from '#lib/domain/csv.js';
import { InvalidInput } from '#lib/domain/errors.js';
import type { AttendanceRoll } from '#lib/domain/training.js';

/** An e-learning system's attendance CSV: its header variants, dates with a time, statuses, and matching the 課's audience. */

const sjis = readFileSync(new URL('../fixtures/elearning-attendance-sjis.csv', import.meta.url));

describe('readAttendanceCsv', () => {
  it('a Shift_JIS export with extra columns: 職員番号, 氏名, 受講状況 and 修了日 with a time are read, a 未受講 row is skipped', () => {
    const { text, encoding } = decodeCsv(sjis);
    expect(encoding).toBe('Shift_JIS');
    expect(readAttendanceCsv(text)).toEqual({
      rows: [
        { row: 2, employeeNumber: 'A001', name: '安積一郎', attendedOn: '2026-07-15' },
        { row: 3, employeeNumber: 'A002', name: '熱海 次郎', attendedOn: null },
      ],
      errors: [],
      count: 2,
      dateHeader: '修了日',
    });
  });

  it.each([
    ['受講日', '状態', '受講済', '2026-07-01', '2026-07-01'],
    ['完了日', 'ステータス', '完了', '2026/7/1', '2026-07-01'],
    ['修了日', '受講状況', '修了', '2026/07/01 9:05:30', '2026-07-01'],
    ['受講日', '状態', '', '2026-07-01T09:05', '2026-07-01'],
  ])('date under 「%s」, status under 「%s」 (%s): %s', (dateHeader, statusHeader, status, date, attendedOn) => {
    const read = readAttendanceCsv(`職員番号,${statusHeader},${dateHeader}\nA001,${status},${date}`);
    expect(read.errors).toEqual([]);
    expect(read.rows).toEqual([{ row: 2, employeeNumber: 'A001', name: null, attendedOn }]);
    expect(read.dateHeader).toBe(dateHeader);
  });

  it('未受講, 未修了, 未完了 rows and rows without a day (no status) are skipped, not errors', () => {
    const read = readAttendanceCsv('職員番号,状態,完了日\nA1,未受講,\nA2,未修了,2026-07-01\nA3,未完了,\n\nA4,,');
    expect(read.errors).toEqual([]);
    expect(read.rows.map((r) => [r.row, r.attendedOn])).toEqual([
      [2, null],
      [3, null],
      [4, null],
      // after the blank line: the line a spreadsheet shows
      [6, null],
    ]);
  });

  it('bad rows are errors of their row, in Japanese; the good rows are read', () => {
    const read = readAttendanceCsv(
      '職員番号,状態,修了日\n,修了,2026-07-01\nA2,修了,\nA3,修了,2026-02-30\nA4,途中,2026-07-01\nA5,修了,2026-07-02',
    );
    expect(read.errors.map((e) => [e.row, e.path])).toEqual([
      [2, '職員番号'],
      [3, '修了日'],
      [4, '修了日'],
      [5, '状態'],
    ]);
    for (const e of read.errors) expect(e.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    expect(read.rows.map((r) => r.employeeNumber)).toEqual(['A5']);
  });

  it('without 職員番号 or a date column the whole file is refused (400)', () => {
    for (const text of ['氏名,修了日\n安積,2026-07-01', '職員番号,氏名\nA1,安積', ''])
      expect(() => readAttendanceCsv(text)).toThrow(InvalidInput);
  });
});

describe('planAttendanceImport', () => {
  const training = { trainingId: '01JTRAINING0000000000000000', fiscalYear: 2026, timing: { from: '2026-07-01', to: '2026-07-31' } };
  const a = { staffId: 'A', name: '安積 一郎', employeeNumber: 'A001' };
  const b = { staffId: 'B', name: '熱海 次郎', employeeNumber: 'A002' };
  const c = { staffId: 'C', name: '本宮 三郎', employeeNumber: 'A003' };
  const by = { sub: 'kacho', at: '2026-09-01T00:00:00Z', today: '2026-09-01' };
  const plan = (text: string, before: AttendanceRoll | null = null) =>
    planAttendanceImport(readAttendanceCsv(text), { training, department: 'shimin', register: [a, b, c], audience: [a, b], before, by });

  it('matches the audience on 職員番号 (氏名 without its space), earliest day first; a second row of a person is already recorded', () => {
    const out = plan('職員番号,氏名,修了日\nA002,熱海次郎,2026-07-20\nA001,安積 一郎,2026-07-10\nA002,熱海 次郎,2026-07-05');
    expect(out.errors).toEqual([]);
    expect(out.changes).toEqual([
      { row: 2, staffId: 'B', name: '熱海 次郎', attendedOn: '2026-07-20', action: 'already' },
      { row: 3, staffId: 'A', name: '安積 一郎', attendedOn: '2026-07-10', action: 'record' },
      { row: 4, staffId: 'B', name: '熱海 次郎', attendedOn: '2026-07-05', action: 'record' },
    ]);
    expect(out.roll).toMatchObject({
      version: 1,
      attended: [
        { staffId: 'B', attendedOn: '2026-07-05' },
        { staffId: 'A', attendedOn: '2026-07-10' },
      ],
    });
  });

  it('on an existing roll: those on it are already recorded, a later day after the session is a 再受講; the roll goes one version up', () => {
    const before = plan('職員番号,修了日\nA001,2026-07-10').roll as AttendanceRoll;
    const out = plan('職員番号,修了日\nA001,2026-07-11\nA002,2026-08-20', before);
    expect(out.changes.map((x) => x.action)).toEqual(['already', 'record']);
    expect(out.roll).toMatchObject({
      version: 2,
      attended: [
        { staffId: 'A', attendedOn: '2026-07-10' },
        { staffId: 'B', attendedOn: '2026-08-20' },
      ],
    });
  });

  it('not on the register, not of the audience, another 氏名, or a day the roll refuses: errors of their row', () => {
    const out = plan(
      '職員番号,氏名,修了日\nZ999,,2026-07-10\nA003,本宮 三郎,2026-07-10\nA001,安積 太郎,2026-07-10\nA002,,2026-06-30\nA002,,2026-09-02',
    );
    expect(out.errors.map((e) => [e.row, e.path])).toEqual([
      [2, '職員番号'],
      [3, '職員番号'],
      [4, '氏名'],
      [5, '修了日'],
      [6, '修了日'],
    ]);
    expect(out.errors[0]!.message).toContain('職員名簿にいません');
    expect(out.errors[1]!.message).toContain('対象者ではありません');
  });

  it('skipped rows name whom they can, and record nothing', () => {
    const out = plan('職員番号,氏名,状態,修了日\nA001,,未受講,\nZ9,誰か,未修了,');
    expect(out.changes).toEqual([
      { row: 2, staffId: 'A', name: '安積 一郎', attendedOn: null, action: 'skip' },
      { row: 3, staffId: null, name: '誰か', attendedOn: null, action: 'skip' },
    ]);
    expect(out.roll).toBeNull();
  });
});
