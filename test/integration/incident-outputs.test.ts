import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, startTestStack } from '#test/support/stack.js';
import { incidentBody } from '#test/support/incident-data.js';

/**
 * A 事案 reported by a 会計年度任用職員 (no audit role) and taken through the first steps of
 * 001's chain, then printed: its report with the items of the PPC's 漏えい等報告, for its readers;
 * the 年度's 事案 for the 評価及び見直し, for the readers of every 課.
 */

let stack: TestStack;
let incidentId: string;
let fiscalYear: number;
const summary = '=HYPERLINK("http://x","開く") 通知書を <b>別の住所</b> に誤送付した';

const post = async (path: string, as: string, body: unknown) => {
  const r = await stack.call('POST', path, { as, body, headers: { 'idempotency-key': randomUUID() } });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};

beforeAll(async () => {
  stack = await startTestStack();
  const reported = await post('/incidents', 'clerk', incidentBody('citizens', { summary, records: { subjects: 101 } }));
  incidentId = reported.incidentId;
  fiscalYear = reported.fiscalYear;
  await post(`/incidents/${incidentId}/contain`, 'citizens-manager', { measures: '誤送付先から回収した' });
  await post(`/incidents/${incidentId}/investigate`, 'citizens-manager', {
    findings: '封入の確認が一人で行われていた',
    cause: '二重確認の手順がなかった',
    secondaryHarm: '二次被害は確認されていない',
  });
  await post(`/incidents/${incidentId}/ppc-reports`, 'policy-director', {
    stage: 'preliminary',
    submittedAt: new Date().toISOString(),
    reference: 'PPC-0001',
  });
});
afterAll(async () => {
  await stack.close();
});

async function download(path: string, as: string): Promise<{ wb: ExcelJS.Workbook; disposition: string }> {
  const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${await stack.token(as)}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  return { wb, disposition: decodeURIComponent(res.headers.get('content-disposition') ?? '') };
}

describe('one 事案 with the items of the PPC’s 漏えい等報告', () => {
  it('as XLSX for its reporter: a row per item, filled from the 事案, the summary an inert string', async () => {
    const { wb, disposition } = await download(`/incidents/${incidentId}/report?format=xlsx`, 'clerk');
    expect(disposition).toContain(`漏えい等事案報告書_${fiscalYear}年度_${incidentId}.xlsx`);
    const sheet = wb.getWorksheet('漏えい等報告');
    const rows = new Map<string, ExcelJS.Cell>();
    sheet?.eachRow((row) => rows.set(String(row.getCell(1).value).trim(), row.getCell(2)));
    expect(rows.get('(1) 概要')?.value).toBe(summary);
    expect(rows.get('(1) 概要')?.type).toBe(ExcelJS.ValueType.String);
    expect(rows.get('所管課')?.value).toBe('市民課');
    expect(rows.get('(2) 漏えい等が発生し、又は発生したおそれがある保有個人情報の項目')?.value).toBe('氏名、住所');
    expect(rows.get('(3) 漏えい等が発生し、又は発生したおそれがある保有個人情報に係る本人の数')?.value).toBe('101人');
    expect(rows.get('(4) 原因')?.value).toBe('二重確認の手順がなかった');
    expect(rows.get('(5) 二次被害又はそのおそれの有無及びその内容')?.value).toBe('二次被害は確認されていない');
    expect(rows.get('(8) 再発防止のための措置')?.value).toBe('（未記録）');
    expect(rows.get('個人情報保護委員会への報告の要否（第24条）')?.value).toBe(
      '要\n・本人の数が100人を超える保有個人情報の漏えい等（施行規則第43条第4号）',
    );
    expect(String(rows.get('速報')?.value)).toContain('受付番号 PPC-0001');
    expect(String(rows.get('確報')?.value)).toMatch(/^未報告（期限 \d{4}-\d{2}-\d{2}（令和\d+年\d+月\d+日））$/);
    expect(String(rows.get('被害拡大防止の措置（第23条第2項）')?.value)).toContain('誤送付先から回収した\n記録 citizens-manager');
    const formulas: ExcelJS.Cell[] = [];
    sheet?.eachRow((row) => row.eachCell((c) => void (c.type === ExcelJS.ValueType.Formula && formulas.push(c))));
    expect(formulas).toEqual([]);
  });

  it('as printable A4 HTML for the 課, citing the 規則 the items come from, escaping what users wrote', async () => {
    const r = await stack.call('GET', `/incidents/${incidentId}/report`, { as: 'citizens-manager' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.text).toContain('@page { size: A4');
    expect(r.text).toContain('<h1>漏えい等事案報告書</h1>');
    expect(r.text).toContain('施行規則第44条第1項各号');
    expect(r.text).toContain('&lt;b&gt;別の住所&lt;/b&gt;');
    expect(r.text).not.toContain('<b>');
  });

  it('is for the 事案’s readers only: another 課 and an unknown id get a 404, an unknown format a 400', async () => {
    expect((await stack.call('GET', `/incidents/${incidentId}/report`, { as: 'tax-manager' })).status).toBe(404);
    expect((await stack.call('GET', `/incidents/${incidentId}/report`, { as: 'citizen-director' })).status).toBe(200);
    expect((await stack.call('GET', `/incidents/01KANSA0000000000000000099/report`, { as: 'vice-mayor' })).status).toBe(404);
    const bad = await stack.call('GET', `/incidents/${incidentId}/report?format=pdf`, { as: 'vice-mayor' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/[ぁ-んァ-ン一-龯]/);
  });
});

describe('the 年度’s 事案 for the 評価及び見直し', () => {
  it('as XLSX for the chief: a line per 事案 under the header, citing the review article', async () => {
    const { wb, disposition } = await download(`/incidents/review-list?fiscalYear=${fiscalYear}&format=xlsx`, 'vice-mayor');
    expect(disposition).toContain(`事案一覧_${fiscalYear}年度.xlsx`);
    const sheet = wb.getWorksheet('事案一覧');
    const lines: unknown[][] = [];
    sheet?.eachRow((row) => void lines.push((row.values as unknown[]).slice(1)));
    expect(lines).toContainEqual(['評価及び見直しの資料（第28条）']);
    const header = lines.findIndex((l) => l[0] === '発覚日');
    expect(lines[header]).toEqual(['発覚日', '課', '概要', '区分', '本人の数', 'PPC報告の要否', '速報', '確報', '状況', '完了日']);
    expect(lines[header + 1]?.slice(1, 9)).toEqual([
      '市民課',
      summary,
      '漏えい',
      '101人',
      '要',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} 報告$/),
      expect.stringMatching(/^期限 \d{4}-\d{2}-\d{2}（未報告）$/),
      '調査報告済み',
    ]);
    expect(sheet?.getRow(header + 2).getCell(3).type).toBe(ExcelJS.ValueType.String);
  });

  it('as HTML for the deputy and the auditors of 事案; a 課’s roles, the DX auditor and the reporter are refused in Japanese', async () => {
    for (const as of ['policy-director', 'pr-manager']) {
      const r = await stack.call('GET', `/incidents/review-list?fiscalYear=${fiscalYear}`, { as });
      expect(r.status).toBe(200);
      expect(r.text).toContain('A4 landscape');
      expect(r.text).toContain('通知書を &lt;b&gt;別の住所&lt;/b&gt; に誤送付した');
    }
    for (const as of ['citizens-manager', 'citizen-director', 'clerk', 'dx-manager']) {
      const r = await stack.call('GET', `/incidents/review-list?fiscalYear=${fiscalYear}`, { as });
      expect(r.status).toBe(403);
      expect(r.body.detail).toContain('のみが行えます');
    }
    expect((await stack.call('GET', '/incidents/review-list', { as: 'vice-mayor' })).status).toBe(400);
    const other = await stack.call('GET', `/incidents/review-list?fiscalYear=${fiscalYear - 1}`, { as: 'vice-mayor' });
    expect(other.text).toContain('件数 0件');
  });
});
