import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStaff, importStaff, listStaff } from '#lib/app/staff.js';
import { InvalidInput, PayloadTooLarge, NotFound, UnsupportedMediaType } from '#lib/domain/errors.js';
import { decodeCsv, readStaffCsv } from '#lib/domain/staff-import.js';
import { createStaffSchema } from '#lib/domain/staff.js';
import { getProfile } from '#lib/profiles/index.js';
import { fakeDeps, shiminManager, shiminStaff, zeiManager } from './fakes.js';

/** The HR department's CSV of a 課's register: encodings, Japanese headers, row errors, and the import all or nothing. */

const sjis = readFileSync(new URL('../fixtures/staff-register-sjis.csv', import.meta.url));
const header = '職員番号,氏名,役職,区分,事務取扱担当者,事務,システム管理者,役割,開始日,終了日';
const utf8 = (text: string) => new TextEncoder().encode(text);
const wording = { roleTitles: getProfile('001').roleTitles, handlerTerm: '事務取扱担当者' };
const defaults = { department: 'shimin', from: '2026-06-01' };

describe('decodeCsv: UTF-8 with or without BOM, else Shift_JIS (CP932)', () => {
  it('UTF-8', () => {
    expect(decodeCsv(utf8('氏名\n安積'))).toEqual({ text: '氏名\n安積', encoding: 'UTF-8' });
  });

  it('UTF-8 with BOM: the BOM is not part of the first header', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('氏名\n安積')]);
    expect(decodeCsv(bytes)).toEqual({ text: '氏名\n安積', encoding: 'UTF-8 (BOM)' });
  });

  it('Shift_JIS bytes as a spreadsheet on Japanese Windows saves them', () => {
    const { text, encoding } = decodeCsv(sjis);
    expect(encoding).toBe('Shift_JIS');
    expect(text.startsWith(header)).toBe(true);
    expect(text).toContain('郡山 花子');
  });

  it('a UTF-8 BOM before bytes that are not UTF-8 (Shift_JIS behind a BOM) is a 415, never text with replacement characters', () => {
    const mixed = new Uint8Array([0xef, 0xbb, 0xbf, ...sjis]);
    expect(() => decodeCsv(mixed)).toThrow(UnsupportedMediaType);
  });

  it('text already holding replacement characters (bytes lost before it came: Shift_JIS read as UTF-8 on the way) is a 415, never names with �', () => {
    const mangled = utf8(new TextDecoder('utf-8').decode(sjis));
    expect(() => decodeCsv(mangled)).toThrow(UnsupportedMediaType);
    expect(() => decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...mangled]))).toThrow(UnsupportedMediaType);
  });

  it('neither: a 415 in Japanese', () => {
    expect(() => decodeCsv(new Uint8Array([0x82, 0xff, 0xff, 0x80]))).toThrow(UnsupportedMediaType);
    expect(() => decodeCsv(new Uint8Array([0x82, 0xff]))).toThrow(/文字コードを判別できません/);
  });
});

describe('readStaffCsv: Japanese headers, CRLF, quoted fields, an error per bad row', () => {
  it('reads the Shift_JIS file: CRLF, quoted commas and quotes, YYYY/M/D, the profile’s role titles, kinds by name', () => {
    const { rows, errors, count } = readStaffCsv(decodeCsv(sjis).text, wording, defaults);
    expect(errors).toEqual([]);
    expect(count).toBe(3);
    expect(rows.map((r) => [r.row, r.employeeNumber, r.attributes.name, r.attributes.kind, r.attributes.post, r.from])).toEqual([
      [2, 'A001', '安積 一郎', 'regular', 'sectionManager', '2026-04-01'],
      [3, 'A002', '郡山 花子', 'fiscalYearAppointed', null, '2026-04-01'],
      [4, 'A003', '熱海 "次郎"', 'dispatched', null, '2026-04-01'],
    ]);
    expect(rows[1]!.attributes).toMatchObject({ handler: true, handlerDuties: '住民基本台帳事務,印鑑登録事務' });
    expect(rows[2]!.attributes.systemAdmin).toBe(true);
  });

  it('a field with a line break inside quotes stays one row', () => {
    const text = `${header}\r\nA001,安積 一郎,主事,職員,○,"住民基本台帳事務\r\n印鑑登録事務",,,,\r\n`;
    const { rows, errors } = readStaffCsv(text, wording, defaults);
    expect(errors).toEqual([]);
    expect(rows[0]!.attributes.handlerDuties).toBe('住民基本台帳事務\r\n印鑑登録事務');
    expect(rows[0]!.from).toBeNull();
  });

  it('bad rows each give their line, column and a Japanese message; the good rows are read', () => {
    const text = [
      header,
      'A001,安積 一郎,主事,職員,,,,,,',
      ',名無し,主事,職員,,,,,,',
      'A003,白河 三郎,主事,アルバイト,,,,,,',
      'A004,須賀川 四郎,主事,職員,○,,,,,',
      'A005,本宮 五郎,主事,職員,たぶん,,,,2026/13/1,',
      'A006,田村 六郎,主事,職員,,,,係長,,',
      'A001,重複 太郎,主事,職員,,,,,,',
      'A008,三春 八郎,主事,職員,,,,,2026-04-01,2026-03-31',
    ].join('\n');
    const { rows, errors } = readStaffCsv(text, wording, defaults);
    expect(rows.map((r) => r.employeeNumber)).toEqual(['A001']);
    const at = (row: number) => errors.filter((e) => e.row === row).map((e) => `${e.path}: ${e.message}`);
    expect(at(3)).toEqual(['職員番号: 職員番号を入力してください（取込は職員番号で照合します）。']);
    expect(at(4)).toEqual([expect.stringMatching(/^区分: 区分は/)]);
    expect(at(5)).toEqual(['事務: 事務取扱担当者には取り扱う事務を入力してください。']);
    expect(at(6)).toEqual([
      '事務取扱担当者: 事務取扱担当者は ○ か空欄（はい・いいえ も可）で入力してください（「たぶん」）。',
      expect.stringMatching(/^開始日: 日付は実在する/),
    ]);
    expect(at(7)).toEqual([expect.stringMatching(/^役割: 役割は 保護管理者・保護担当者 か空欄/)]);
    expect(at(8)).toEqual(['職員番号: 職員番号「A001」は2行目と重複しています。']);
    expect(at(9)).toEqual(['終了日: 終了日は開始日以降の日付で指定してください。']);
  });

  it('a row’s number is its line in the file, after a blank line and after a field with a line break', () => {
    const text = [header, 'A001,安積 一郎,主事,職員,,,,,,', '', 'A002,"郡山\n花子",主事,職員,,,,,,', ',名無し,主事,職員,,,,,,'].join('\n');
    const { rows, errors } = readStaffCsv(text, wording, defaults);
    expect(rows.map((r) => [r.row, r.employeeNumber])).toEqual([
      [2, 'A001'],
      [4, 'A002'],
    ]);
    expect(errors.map((e) => [e.row, e.path])).toEqual([[6, '職員番号']]);
  });

  it('an unknown or missing header fails the whole file with a 400 naming it', () => {
    expect(() => readStaffCsv('職員番号,氏名,役職,区分,メール\nA1,a,b,職員,x', wording, defaults)).toThrow(
      /不明な見出しがあります: 「メール」/,
    );
    expect(() => readStaffCsv('職員番号,氏名\nA1,a', wording, defaults)).toThrow(/必要な見出しがありません: 「役職」、「区分」/);
    expect(() => readStaffCsv('職員番号,氏名,役職,区分\n"A1,a', wording, defaults)).toThrow(InvalidInput);
  });

  it('a handler without 事務 is named in the profile’s term (002: 特定個人情報取扱担当者)', () => {
    const nara = { roleTitles: getProfile('002').roleTitles, handlerTerm: '特定個人情報取扱担当者' };
    const { errors } = readStaffCsv(`${header}\nA001,安積 一郎,主事,職員,○,,,,,`, nara, defaults);
    expect(errors).toEqual([{ row: 2, path: '事務', message: '特定個人情報取扱担当者には取り扱う事務を入力してください。' }]);
  });

  it('where the regulation designates no 事務取扱担当者 (004), a ○ is a row error', () => {
    const { errors } = readStaffCsv(`${header}\nA001,安積 一郎,主事,職員,○,税務,,,,`, { roleTitles: {} }, defaults);
    expect(errors).toEqual([
      { row: 2, path: '事務取扱担当者', message: 'この規程には、事務ごとに取り扱う職員を指定する定めがありません。空欄にしてください。' },
    ]);
  });
});

const person = (over: Record<string, unknown> = {}) =>
  createStaffSchema.parse({
    department: 'shimin',
    name: '安積 一郎',
    title: '主事',
    kind: 'regular',
    handler: false,
    employeeNumber: 'A001',
    from: '2026-04-01',
    ...over,
  });

describe('importStaff: preview, then all or nothing in one transaction', () => {
  const csv = (lines: string[]) => utf8([header, ...lines].join('\r\n'));

  it('a dry run answers the changes and writes nothing; applying writes them with their events (reason CSV取込) in one transaction', async () => {
    const deps = fakeDeps('2026-06-01T00:00:00Z');
    const a = await createStaff(deps, shiminManager, person());
    await createStaff(deps, shiminManager, person({ employeeNumber: 'A002', name: '郡山 花子' }));
    await createStaff(deps, shiminManager, person({ employeeNumber: 'A003', name: '熱海 次郎' }));
    const file = csv([
      'A001,安積 一郎,主査,職員,○,住民基本台帳事務,,,,',
      'A002,郡山 花子,主事,職員,,,,,,2026-06-30',
      'A003,熱海 次郎,主事,職員,,,,,,',
      'A004,本宮 四郎,主事,派遣,,,,,,',
    ]);
    const commits = deps.store.commits.length;
    const preview = await importStaff(deps, shiminManager, { department: 'shimin', dryRun: true, effectiveFrom: '2026-07-01' }, file);
    expect(deps.store.commits).toHaveLength(commits);
    expect(preview).toMatchObject({ encoding: 'UTF-8', rows: 4, errors: [], counts: { add: 1, update: 1, end: 1, unchanged: 1 } });
    expect(preview.changes).toEqual([
      {
        row: 2,
        action: 'update',
        staffId: a.staffId,
        name: '安積 一郎',
        employeeNumber: 'A001',
        fields: ['役職', '事務取扱担当者', '事務'],
      },
      expect.objectContaining({ row: 3, action: 'end', fields: ['終了日'] }),
      expect.objectContaining({ row: 4, action: 'unchanged', fields: [] }),
      { row: 5, action: 'add', name: '本宮 四郎', employeeNumber: 'A004', fields: [] },
    ]);

    const summary = await importStaff(deps, shiminManager, { department: 'shimin', dryRun: false, effectiveFrom: '2026-07-01' }, file);
    expect(summary).toMatchObject({ applied: true, counts: { add: 1, update: 1, end: 1 } });
    expect(deps.store.commits).toHaveLength(commits + 1);
    const commit = deps.store.commits.at(-1)!;
    expect(commit.map((c) => [c.event.action, c.event.reason])).toEqual([
      ['staff.updated', 'CSV取込'],
      ['staff.updated', 'CSV取込'],
      ['staff.registered', 'CSV取込'],
    ]);
    // The change from 7月 kept what held before; the register of June still says so.
    expect(commit[0]!.children?.[0]).toMatchObject({ kind: 'period', id: '2026-04-01' });
    const june = await listStaff(deps, shiminManager, { limit: 20, asOf: '2026-06-15' });
    expect(june.items.find((s) => s.employeeNumber === 'A001')).toMatchObject({ title: '主事', handler: false });
    const july = await listStaff(deps, shiminManager, { limit: 20, asOf: '2026-07-01' });
    expect(july.items.map((s) => s.employeeNumber).sort()).toEqual(['A001', 'A003', 'A004']);

    // The same file again changes nothing.
    const again = await importStaff(deps, shiminManager, { department: 'shimin', dryRun: false, effectiveFrom: '2026-07-01' }, file);
    expect(again.counts).toEqual({ add: 0, update: 0, end: 0, unchanged: 4 });
    expect(deps.store.commits).toHaveLength(commits + 1);
  });

  it('one bad row: a 400 with every row’s error, and nothing written', async () => {
    const deps = fakeDeps();
    const file = csv(['A001,安積 一郎,主事,職員,,,,,,', 'A002,,主事,職員,,,,,,', 'A003,熱海 次郎,主事,正社員,,,,,,']);
    const err = await importStaff(deps, shiminManager, { department: 'shimin', dryRun: false }, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).message).toContain('取り込めない行が2行あるため、何も登録していません');
    expect((err as InvalidInput).errors.map((e) => (e as unknown as { row: number }).row)).toEqual([3, 4]);
    expect(deps.store.commits).toHaveLength(0);
  });

  it('a change dated before what holds is that row’s error', async () => {
    const deps = fakeDeps('2026-06-01T00:00:00Z');
    await createStaff(deps, shiminManager, person({ from: '2026-05-01' }));
    const file = csv(['A001,安積 一郎,主査,職員,,,,,,']);
    const preview = await importStaff(deps, shiminManager, { department: 'shimin', dryRun: true, effectiveFrom: '2026-04-01' }, file);
    expect(preview.errors).toEqual([{ row: 2, path: '', message: expect.stringContaining('2026-05-01') }]);
  });

  it('a new person whose 終了日 is before the day they would start is that row’s error', async () => {
    const deps = fakeDeps();
    const file = csv(['A009,安積 九郎,主事,職員,,,,,,2026-06-30', 'A010,安積 十郎,主事,職員,,,,,2026-04-01,2026-06-30']);
    const preview = await importStaff(deps, shiminManager, { department: 'shimin', dryRun: true, effectiveFrom: '2026-07-01' }, file);
    expect(preview.errors).toEqual([{ row: 2, path: '終了日', message: '終了日は開始日以降の日付で指定してください。' }]);
    expect(preview.counts.add).toBe(2);
  });

  it('more than one transaction holds: refused whole, giving the maximum and asking to split the file', async () => {
    const deps = fakeDeps();
    const lines = Array.from({ length: 50 }, (_, i) => `B${String(i).padStart(3, '0')},職員${i},主事,職員,,,,,,`);
    const err = await importStaff(deps, shiminManager, { department: 'shimin', dryRun: false }, csv(lines)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLarge);
    expect((err as PayloadTooLarge).message).toMatch(/上限（書込み98件.*ファイルを2つ以上に分けて/);
    expect(deps.store.commits).toHaveLength(0);
    await expect(importStaff(deps, shiminManager, { department: 'shimin', dryRun: false }, csv(lines.slice(0, 48)))).resolves.toMatchObject(
      {
        counts: { add: 48 },
      },
    );
  });

  it('another 課’s register is a 404; the 課’s 保護担当者 may not import (403)', async () => {
    const deps = fakeDeps();
    const file = csv(['A001,安積 一郎,主事,職員,,,,,,']);
    await expect(importStaff(deps, zeiManager, { department: 'shimin', dryRun: true }, file)).rejects.toThrow(NotFound);
    await expect(importStaff(deps, shiminStaff, { department: 'shimin', dryRun: true }, file)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('a file over 1 MB is a 413', async () => {
    const deps = fakeDeps();
    await expect(importStaff(deps, shiminManager, { department: 'shimin', dryRun: true }, new Uint8Array(1024 * 1024 + 1))).rejects.toThrow(
      PayloadTooLarge,
    );
  });
});
