import { parse } from 'csv-parse/sync';
import { InvalidInput, PayloadTooLarge, UnsupportedMediaType } from './errors.js';

/**
 * Reading a CSV sent as a file (the register's HR export, an e-learning system's attendance
 * export): its bytes decoded (UTF-8 with or without BOM, else Shift_JIS/CP932, as spreadsheets
 * on Japanese Windows save it) and read as records, trimmed, empty lines skipped. Pure: no I/O.
 */

/** Largest CSV an import takes, in bytes (a 課's register or roll is a few hundred rows). */
export const importMaxBytes = 1024 * 1024;

export type CsvEncoding = 'UTF-8' | 'UTF-8 (BOM)' | 'Shift_JIS';

/** One error of one row (`row`: its line in the file, the header being line 1). */
export interface RowError {
  row: number;
  path: string;
  message: string;
}

/** The bytes as text, and the encoding they were read in; a file over {@link importMaxBytes} is a 413. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes.length > importMaxBytes)
    throw new PayloadTooLarge(`CSV は ${importMaxBytes / 1024 / 1024}MB までです。ファイルを分けて取り込んでください。`);
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

/**
 * The text's header and records, each with its first line in the file (blank lines skipped and
 * line breaks inside quoted fields counted), so a row's error names the line a spreadsheet shows;
 * unreadable CSV (an unbalanced quote) or an empty file is a 400.
 */
export function csvRecords(text: string): { header: string[]; rows: { line: number; cells: string[] }[] } {
  let read: { record: string[]; info: { lines: number } }[];
  try {
    read = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof read;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new InvalidInput(
      `CSV として読めません${line === undefined ? '' : `（${line}行目付近）`}。引用符（"）の対応を確認してください。`,
      [{ path: '', message: 'CSV の形式に誤りがあります。' }],
    );
  }
  // `info.lines` is the line a record ends on: less the line breaks inside its fields, the line it starts on.
  const records = read.map((r) => ({
    cells: r.record,
    line: r.info.lines - r.record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0),
  }));
  const [header, ...rows] = records;
  if (!header || header.cells.every((h) => h === '')) throw new InvalidInput('CSV が空です。1行目に見出しを入れてください。', []);
  return { header: header.cells, rows };
}

/**
 * YYYY-MM-DD or YYYY/M/D as YYYY-MM-DD (with `time`, also followed by a time of day, as
 * `2026/07/15 10:23`, which is dropped); anything else as written (the caller words its error).
 */
export function csvDate(value: string, time = false): string {
  const m = (
    time ? /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/ : /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/
  ).exec(value);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : value;
}
