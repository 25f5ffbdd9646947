import { isCalendarDate } from './calendar.js';
import { type RowError, csvDate, csvRecords } from './csv.js';
import { InvalidInput } from './errors.js';
import type { StaffOnDate } from './staff.js';
import { type AttendanceInput, type AttendanceRoll, type Training, recordAttendance } from './training.js';

/**
 * A 課's attendance of a session from an e-learning system's CSV (lib/app/trainings.ts imports
 * it): e-learning exports differ, so the file is read by the few columns that matter, under the
 * names those systems use (職員番号 to match the 課's register; 氏名 to check it; the day the
 * course was completed; its status), ignoring the others. Rows are matched to the session's
 * audience in the 課 and applied to its roll by {@link recordAttendance}, as ticks on the phone
 * are. Pure: no I/O.
 */

/** The date column, by preference: the day the course was completed, else the day it was taken. */
const dateHeaders = ['修了日', '完了日', '受講日'] as const;
const statusHeaders = ['受講状況', '状態', 'ステータス'] as const;

/** Status values that count as attended, and those whose rows are skipped (not yet completed). */
const doneWords = new Set(['修了', '完了', '受講済', '受講済み', '修了済', '修了済み', '完了済', '完了済み', '済']);
const notDoneWords = new Set(['未受講', '未修了', '未完了', '受講中', '未着手']);

/** A row as read: whom it names and, when completed, on which day. */
export interface AttendanceRow {
  row: number;
  employeeNumber: string;
  /** 氏名 as written (null without the column or when blank). */
  name: string | null;
  /** The day it was completed (null: the row says it was not, and is skipped). */
  attendedOn: string | null;
}

/**
 * Read the text as an e-learning system's attendance CSV: without 職員番号 or a date column the
 * whole file fails (400); each bad row gives its errors, and the good rows are read.
 */
export function readAttendanceCsv(text: string): { rows: AttendanceRow[]; errors: RowError[]; count: number; dateHeader: string } {
  const { header, rows: data } = csvRecords(text);
  const dateHeader = dateHeaders.find((h) => header.includes(h));
  const statusHeader = statusHeaders.find((h) => header.includes(h));
  const missing = [...(header.includes('職員番号') ? [] : ['職員番号']), ...(dateHeader ? [] : [dateHeaders.join('・')])];
  if (missing.length > 0)
    throw new InvalidInput(
      `必要な見出しがありません: ${missing.map((h) => `「${h}」`).join('、')}。職員番号と、受講日・修了日・完了日のいずれかの列が必要です（受講状況・状態・ステータス、氏名の列は任意。ほかの列は読み飛ばします）。`,
      missing.map((h) => ({ path: h, message: '見出しがありません。' })),
      'unknown-csv-header',
    );
  const at = (h: string) => header.indexOf(h);
  const rows: AttendanceRow[] = [];
  const errors: RowError[] = [];
  data.forEach(({ cells, line: row }) => {
    const cell = (h: string | undefined) => (h === undefined || at(h) < 0 ? '' : (cells[at(h)] ?? ''));
    const employeeNumber = cell('職員番号');
    const name = cell('氏名');
    const status = cell(statusHeader);
    const dateText = cell(dateHeader);
    const own: RowError[] = [];
    if (employeeNumber === '') own.push({ row, path: '職員番号', message: '職員番号を入力してください（取込は職員番号で照合します）。' });
    if (status !== '' && !doneWords.has(status) && !notDoneWords.has(status))
      own.push({
        row,
        path: statusHeader ?? '',
        message: `${statusHeader}は 修了・完了・受講済（取り込む）か 未受講・未修了・未完了（読み飛ばす）で入力してください（「${status}」）。`,
      });
    // Not completed: said so, or (without a status) no day of completion.
    const skipped = notDoneWords.has(status) || (status === '' && dateText === '');
    let attendedOn: string | null = null;
    if (!skipped) {
      const date = csvDate(dateText, true);
      if (dateText === '')
        own.push({ row, path: dateHeader ?? '', message: `${dateHeader}を入力してください（${statusHeader}が「${status}」の行）。` });
      else if (!isCalendarDate(date))
        own.push({
          row,
          path: dateHeader ?? '',
          message: `${dateHeader}は YYYY-MM-DD か YYYY/M/D（時刻つきも可）の日付で入力してください（「${dateText}」）。`,
        });
      else attendedOn = date;
    }
    errors.push(...own);
    if (own.length === 0) rows.push({ row, employeeNumber, name: name === '' ? null : name, attendedOn });
  });
  return { rows, errors, count: data.length, dateHeader: dateHeader as string };
}

/** What the import does with one row: record the attendance, nothing (already on the roll), or skip it (not completed). */
export type AttendanceImportAction = 'record' | 'already' | 'skip';

export interface AttendanceChange {
  row: number;
  /** The person of the 課's register it names (null for a skipped row of nobody on it). */
  staffId: string | null;
  name: string;
  attendedOn: string | null;
  action: AttendanceImportAction;
}

/** A name as compared: without the spaces (half- or full-width) systems put or leave out between family and given name. */
const bare = (name: string) => name.replace(/[\s\u3000]/g, '');

/**
 * Match the rows with the 課's register and the session's audience in it (as of its last day), and
 * apply them to the roll as {@link recordAttendance} records ticks, one day at a time from the
 * earliest (the first attendance counts): someone not on the register, not of the audience, or
 * whose 氏名 differs is that row's error, as is a day the roll refuses. `roll` is the roll after
 * the import (null when nothing was recorded and there was none), its version one above `before`'s.
 */
export function planAttendanceImport(
  read: { rows: readonly AttendanceRow[]; dateHeader: string },
  ctx: {
    training: Pick<Training, 'trainingId' | 'fiscalYear' | 'timing'>;
    department: string;
    register: readonly Pick<StaffOnDate, 'staffId' | 'name' | 'employeeNumber'>[];
    audience: readonly Pick<StaffOnDate, 'staffId' | 'name' | 'employeeNumber'>[];
    before: AttendanceRoll | null;
    by: { sub: string; at: string; today: string };
  },
): { changes: AttendanceChange[]; errors: RowError[]; roll: AttendanceRoll | null } {
  const inAudience = new Map(ctx.audience.filter((s) => s.employeeNumber !== null).map((s) => [s.employeeNumber as string, s]));
  const onRegister = new Map(ctx.register.filter((s) => s.employeeNumber !== null).map((s) => [s.employeeNumber as string, s]));
  const errors: RowError[] = [];
  const matched: { r: AttendanceRow; person: Pick<StaffOnDate, 'staffId' | 'name'> }[] = [];
  const changes = new Map<number, AttendanceChange>();
  for (const r of read.rows) {
    const person = inAudience.get(r.employeeNumber);
    if (r.attendedOn === null) {
      const known = person ?? onRegister.get(r.employeeNumber);
      changes.set(r.row, {
        row: r.row,
        staffId: known?.staffId ?? null,
        name: known?.name ?? r.name ?? '',
        attendedOn: null,
        action: 'skip',
      });
      continue;
    }
    if (!person) {
      const other = onRegister.get(r.employeeNumber);
      errors.push({
        row: r.row,
        path: '職員番号',
        message: other
          ? `職員番号「${r.employeeNumber}」の${other.name}さんは、この研修の対象者ではありません（研修の最終日の名簿による）。`
          : `職員番号「${r.employeeNumber}」の職員はこの課の職員名簿にいません。`,
      });
      continue;
    }
    if (r.name !== null && bare(r.name) !== bare(person.name)) {
      errors.push({
        row: r.row,
        path: '氏名',
        message: `氏名「${r.name}」が職員名簿の職員番号「${r.employeeNumber}」の氏名（${person.name}）と一致しません。`,
      });
      continue;
    }
    matched.push({ r, person });
  }
  // Day by day from the earliest: each day's rows are one record of the roll, as ticks of that day would be.
  const days = [...new Set(matched.map((m) => m.r.attendedOn as string))].sort();
  const audienceIds = new Set(ctx.audience.map((s) => s.staffId));
  const recorded = new Set((ctx.before?.attended ?? []).map((a) => a.staffId));
  let roll = ctx.before;
  for (const day of days) {
    const ofDay = matched.filter((m) => m.r.attendedOn === day);
    const input: AttendanceInput = {
      department: ctx.department,
      staffIds: [...new Set(ofDay.map((m) => m.person.staffId))],
      attendedOn: day,
      unmark: [],
    };
    try {
      roll = recordAttendance(roll, ctx.training, input, audienceIds, ctx.by);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      for (const m of ofDay)
        for (const e of err.errors)
          errors.push({ row: m.r.row, path: e.path === 'attendedOn' ? read.dateHeader : '職員番号', message: e.message });
    }
  }
  for (const m of [...matched].sort((a, b) => (a.r.attendedOn as string).localeCompare(b.r.attendedOn as string) || a.r.row - b.r.row)) {
    const action = recorded.has(m.person.staffId) ? 'already' : 'record';
    recorded.add(m.person.staffId);
    changes.set(m.r.row, { row: m.r.row, staffId: m.person.staffId, name: m.person.name, attendedOn: m.r.attendedOn, action });
  }
  errors.sort((a, b) => a.row - b.row);
  const after = roll === ctx.before || roll === null ? roll : { ...roll, version: (ctx.before?.version ?? 0) + 1, updatedAt: ctx.by.at };
  return { changes: [...changes.values()].sort((a, b) => a.row - b.row), errors, roll: after };
}
