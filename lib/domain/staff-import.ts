import { type RowError, csvDate, csvRecords } from './csv.js';
import { InvalidInput } from './errors.js';
import {
  type CreateStaffInput,
  type Staff,
  type StaffAttributes,
  anyHandlerTerm,
  createStaffSchema,
  dutiesProblem,
  staffAttributeKeys,
} from './staff.js';
import type { Role } from './roles.js';

/**
 * The HR department's CSV of a 課's register (lib/app/staff.ts imports it): decoded (UTF-8 with or
 * without BOM, else Shift_JIS/CP932, as spreadsheets on Japanese Windows save it), read with
 * Japanese headers, each row checked by the register's own schema (a Japanese error per bad
 * row), then compared with the 課's current register on 職員番号. Pure: no I/O.
 */

export { type CsvEncoding, type RowError, decodeCsv, importMaxBytes } from './csv.js';

/** The columns the import reads, by their Japanese header. */
const columns = {
  職員番号: 'employeeNumber',
  氏名: 'name',
  役職: 'title',
  区分: 'kind',
  事務取扱担当者: 'handler',
  事務: 'handlerDuties',
  システム管理者: 'systemAdmin',
  役割: 'post',
  開始日: 'from',
  終了日: 'to',
} as const;
type Header = keyof typeof columns;
type Field = (typeof columns)[Header];
const requiredHeaders: readonly Header[] = ['職員番号', '氏名', '役職', '区分'];
const headerOf = Object.fromEntries(Object.entries(columns).map(([h, f]) => [f, h])) as Record<Field, Header>;

/** A row as read: what it says about one person, and the line it is on. */
export interface ImportRow {
  row: number;
  employeeNumber: string;
  attributes: StaffAttributes;
  /** 開始日 as written (absent: the import's effective date for a new person). */
  from: string | null;
  /** 終了日 as written (absent: none). */
  to: string | null;
}

/** What the profile says that the rows depend on: the role titles, and whether it designates 事務取扱担当者 at all. */
export interface ImportWording {
  roleTitles: Partial<Record<Role, string>>;
  handlerTerm?: string | undefined;
}

const kindWords: Record<string, StaffAttributes['kind']> = {
  職員: 'regular',
  正規職員: 'regular',
  regular: 'regular',
  派遣: 'dispatched',
  派遣労働者: 'dispatched',
  派遣職員: 'dispatched',
  dispatched: 'dispatched',
  会計年度任用: 'fiscalYearAppointed',
  会計年度任用職員: 'fiscalYearAppointed',
  fiscalYearAppointed: 'fiscalYearAppointed',
};
const yes = new Set(['○', '〇', '◯', 'はい', '有', 'true', 'TRUE', '1', 'Y', 'y']);
const no = new Set(['', '×', 'いいえ', '無', 'false', 'FALSE', '0', 'N', 'n']);

/**
 * Read the text as the register's CSV: an unknown or missing header fails the whole file (400);
 * each bad row gives its errors, and the good rows are read.
 */
export function readStaffCsv(
  text: string,
  wording: ImportWording,
  defaults: { department: string; from: string },
): { rows: ImportRow[]; errors: RowError[]; count: number } {
  const { header, rows: data } = csvRecords(text);
  const unknown = header.filter((h) => !(h in columns));
  const missing = requiredHeaders.filter((h) => !header.includes(h));
  if (unknown.length > 0 || missing.length > 0)
    throw new InvalidInput(
      [
        unknown.length > 0 ? `不明な見出しがあります: ${unknown.map((h) => `「${h}」`).join('、')}。` : '',
        missing.length > 0 ? `必要な見出しがありません: ${missing.map((h) => `「${h}」`).join('、')}。` : '',
        `見出しには ${Object.keys(columns).join('、')} を使ってください。`,
      ].join(''),
      [
        ...unknown.map((h) => ({ path: h, message: '不明な見出しです。' })),
        ...missing.map((h) => ({ path: h, message: '見出しがありません。' })),
      ],
      'unknown-csv-header',
    );
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  data.forEach(({ cells, line: row }) => {
    const cell = (h: Header): string | undefined => {
      const at = header.indexOf(h);
      return at < 0 ? undefined : (cells[at] ?? '');
    };
    const read = readRow(cell, wording, defaults, row);
    errors.push(...read.errors);
    if (!read.row) return;
    const first = seen.get(read.row.employeeNumber);
    if (first !== undefined) {
      errors.push({ row, path: '職員番号', message: `職員番号「${read.row.employeeNumber}」は${first}行目と重複しています。` });
      return;
    }
    seen.set(read.row.employeeNumber, row);
    rows.push(read.row);
  });
  return { rows, errors, count: data.length };
}

function readRow(
  cell: (h: Header) => string | undefined,
  wording: ImportWording,
  defaults: { department: string; from: string },
  row: number,
): { row?: ImportRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const flag = (h: Header): boolean | string => {
    const v = cell(h) ?? '';
    if (yes.has(v)) return true;
    if (no.has(v)) return false;
    errors.push({ row, path: h, message: `${h}は ○ か空欄（はい・いいえ も可）で入力してください（「${v}」）。` });
    return v;
  };
  const titles = Object.fromEntries(
    (['sectionManager', 'sectionStaff'] as const).flatMap((p) => [[p, p], ...(wording.roleTitles[p] ? [[wording.roleTitles[p], p]] : [])]),
  ) as Record<string, 'sectionManager' | 'sectionStaff'>;
  const postText = cell('役割') ?? '';
  if (postText !== '' && !(postText in titles))
    errors.push({
      row,
      path: '役割',
      message: `役割は ${Object.keys(titles)
        .filter((t) => !t.startsWith('section'))
        .join('・')} か空欄で入力してください（「${postText}」）。`,
    });
  const handler = flag('事務取扱担当者');
  const systemAdmin = flag('システム管理者');
  if (handler === true && wording.handlerTerm === undefined)
    errors.push({
      row,
      path: '事務取扱担当者',
      message: 'この規程には、事務ごとに取り扱う職員を指定する定めがありません。空欄にしてください。',
    });
  const employeeNumber = cell('職員番号') ?? '';
  if (employeeNumber === '') errors.push({ row, path: '職員番号', message: '職員番号を入力してください（取込は職員番号で照合します）。' });
  const kindText = cell('区分') ?? '';
  const duties = cell('事務') ?? '';
  const fromText = cell('開始日') ?? '';
  const toText = cell('終了日') ?? '';
  const toDate = toText === '' ? null : csvDate(toText);
  const candidate = {
    department: defaults.department,
    name: cell('氏名') ?? '',
    title: cell('役職') ?? '',
    kind: kindWords[kindText] ?? kindText,
    handler,
    handlerDuties: duties === '' ? null : duties,
    systemAdmin,
    post: postText === '' ? null : (titles[postText] ?? postText),
    employeeNumber: employeeNumber === '' ? null : employeeNumber,
    // Without 開始日, the span is the import's to check: against the person's start (an end) or the effective date (an add).
    from: fromText !== '' ? csvDate(fromText) : toDate !== null && toDate < defaults.from ? toDate : defaults.from,
    to: toDate,
  };
  const parsed = createStaffSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as Field | 'department' | undefined;
      const path = field === undefined || field === 'department' ? '' : headerOf[field];
      // A flag already reported above is not reported again in the schema's words.
      if (errors.some((e) => e.path === path)) continue;
      // The 事務 that does not go with the designation, in the profile's term rather than the schema's.
      const ownTerm =
        field === 'handlerDuties' && typeof handler === 'boolean'
          ? dutiesProblem({ handler, handlerDuties: candidate.handlerDuties }, wording.handlerTerm ?? anyHandlerTerm)
          : undefined;
      const message = ownTerm ?? issue.message;
      errors.push({ row, path, message });
    }
  }
  if (errors.length > 0 || !parsed.success) return { errors };
  const input: CreateStaffInput = parsed.data;
  return {
    row: {
      row,
      employeeNumber: input.employeeNumber ?? '',
      attributes: attributesOfInput(input),
      from: fromText === '' ? null : input.from,
      to: input.to,
    },
    errors,
  };
}

function attributesOfInput(s: StaffAttributes): StaffAttributes {
  return Object.fromEntries(staffAttributeKeys.map((k) => [k, s[k]])) as unknown as StaffAttributes;
}

/** What the import does to one person: add them, change them from the effective date, end them, or nothing. */
export type ImportAction = 'add' | 'update' | 'end' | 'unchanged';

export interface PlannedChange {
  row: number;
  action: ImportAction;
  /** The person on the register (absent for one added). */
  staffId?: string;
  name: string;
  employeeNumber: string;
  /** The fields that change, by their Japanese header. */
  fields: string[];
  /** What the register's PATCH would be given (for `update` and `end`); the row itself for `add`. */
  patch?: Partial<StaffAttributes> & { to?: string | null; from?: string };
}

/**
 * Compare the rows with the 課's current register, matched on 職員番号: a number not on it is
 * added; one on it whose attributes differ changes (from the effective date: what held before is
 * kept); a 終了日 ends the person on the register; the rest are unchanged. People not in the
 * file stay as they are.
 */
export function planImport(rows: readonly ImportRow[], current: readonly Staff[]): PlannedChange[] {
  const byNumber = new Map(current.filter((s) => s.employeeNumber !== null).map((s) => [s.employeeNumber as string, s]));
  return rows.map((r) => {
    const person = byNumber.get(r.employeeNumber);
    if (!person) return { row: r.row, action: 'add', name: r.attributes.name, employeeNumber: r.employeeNumber, fields: [] };
    const changed = staffAttributeKeys.filter((k) => person[k] !== r.attributes[k]);
    const patch: NonNullable<PlannedChange['patch']> = Object.fromEntries(changed.map((k) => [k, r.attributes[k]]));
    const fields: string[] = changed.map((k) => headerOf[k]);
    if (r.from !== null && r.from !== person.from) {
      patch.from = r.from;
      fields.push(headerOf.from);
    }
    if (r.to !== person.to && r.to !== null) {
      patch.to = r.to;
      fields.push(headerOf.to);
    }
    const action: ImportAction = patch.to !== undefined ? 'end' : fields.length > 0 ? 'update' : 'unchanged';
    return {
      row: r.row,
      action,
      staffId: person.staffId,
      name: person.name,
      employeeNumber: r.employeeNumber,
      fields,
      ...(fields.length > 0 ? { patch } : {}),
    };
  });
}
