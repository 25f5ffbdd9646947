import { parse } from 'csv-parse/sync';
import { InvalidInput, UnsupportedMediaType } from './errors.js';
import { type CreateStaffInput, type Staff, type StaffAttributes, createStaffSchema, staffAttributeKeys } from './staff.js';
import type { Role } from './roles.js';

/**
 * The HR department's CSV of a 課's register (lib/app/staff.ts imports it): decoded (UTF-8 with or
 * without BOM, else Shift_JIS/CP932, as spreadsheets on Japanese Windows save it), read with
 * Japanese headers, each row checked by the register's own schema (a Japanese error per bad
 * row), then compared with the 課's current register on 職員番号. Pure: no I/O.
 */

/** Largest CSV the import takes, in bytes (a 課's register is a few hundred rows). */
export const importMaxBytes = 1024 * 1024;

export type CsvEncoding = 'UTF-8' | 'UTF-8 (BOM)' | 'Shift_JIS';

/** The bytes as text, and the encoding they were read in. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const decoded = decodeBytes(bytes);
  // A replacement character stands for bytes lost before the file came (Shift_JIS read as UTF-8 on the way, or saved so): names would be wrong.
  if (decoded.text.includes('\uFFFD'))
    throw new UnsupportedMediaType(
      'CSV に読み取れない文字（�）があります。文字コードの変換で文字が失われています。元のファイルを UTF-8（BOM 付きも可）か Shift_JIS で保存し直して送信してください。',
    );
  return decoded;
}

function decodeBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // A BOM says UTF-8: bytes behind it that are not (Shift_JIS saved after one) would be read as replacement characters.
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3)), encoding: 'UTF-8 (BOM)' };
    } catch {
      throw new UnsupportedMediaType(
        'CSV の先頭は UTF-8 の印（BOM）ですが、本文に UTF-8 でない文字があります。UTF-8（BOM 付きも可）か Shift_JIS のどちらか一方で保存し直して送信してください。',
      );
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    // Not UTF-8: the other encoding HR systems write.
  }
  try {
    return { text: new TextDecoder('shift_jis', { fatal: true }).decode(bytes), encoding: 'Shift_JIS' };
  } catch {
    throw new UnsupportedMediaType(
      'CSV の文字コードを判別できません。UTF-8（BOM 付きも可）か Shift_JIS で保存したファイルを送信してください。',
    );
  }
}

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

/** One error of one row (`row`: its line in the file, the header being line 1). */
export interface RowError {
  row: number;
  path: string;
  message: string;
}

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

/** YYYY-MM-DD or YYYY/M/D as YYYY-MM-DD; anything else as written (the schema words its error). */
function dateOf(value: string): string {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : value;
}

/**
 * Read the text as the register's CSV: an unknown or missing header fails the whole file (400);
 * each bad row gives its errors, and the good rows are read.
 */
export function readStaffCsv(
  text: string,
  wording: ImportWording,
  defaults: { department: string; from: string },
): { rows: ImportRow[]; errors: RowError[]; count: number } {
  let records: string[][];
  /** Each record's first line in the file (blank lines skipped and line breaks inside quoted fields counted). */
  let lines: number[];
  try {
    const read = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    records = read.map((r) => r.record);
    lines = read.map((r) => r.info.lines - r.record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0));
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new InvalidInput(
      `CSV として読めません${line === undefined ? '' : `（${line}行目付近）`}。引用符（"）の対応を確認してください。`,
      [{ path: '', message: 'CSV の形式に誤りがあります。' }],
    );
  }
  const [header, ...data] = records;
  if (!header || header.every((h) => h === '')) throw new InvalidInput('CSV が空です。1行目に見出しを入れてください。', []);
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
  data.forEach((cells, i) => {
    const row = lines[i + 1] ?? i + 2;
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
    errors.push({ row, path: '事務取扱担当者', message: 'この規程には事務取扱担当者の指定がありません。空欄にしてください。' });
  const employeeNumber = cell('職員番号') ?? '';
  if (employeeNumber === '') errors.push({ row, path: '職員番号', message: '職員番号を入力してください（取込は職員番号で照合します）。' });
  const kindText = cell('区分') ?? '';
  const duties = cell('事務') ?? '';
  const fromText = cell('開始日') ?? '';
  const toText = cell('終了日') ?? '';
  const toDate = toText === '' ? null : dateOf(toText);
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
    from: fromText !== '' ? dateOf(fromText) : toDate !== null && toDate < defaults.from ? toDate : defaults.from,
    to: toDate,
  };
  const parsed = createStaffSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as Field | 'department' | undefined;
      const path = field === undefined || field === 'department' ? '' : headerOf[field];
      // A flag already reported above is not reported again in the schema's words.
      if (errors.some((e) => e.path === path)) continue;
      errors.push({ row, path, message: issue.message });
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
