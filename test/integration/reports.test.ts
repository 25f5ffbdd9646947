import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';

let stack: TestStack;
let planId: string;
const lead = 'policy-director';

beforeAll(async () => {
  stack = await startTestStack();
  planId = (await stack.call('POST', '/plans', { as: lead, body: planBody({ purpose: '保有個人情報等の適切な管理を検証する <script>' }) }))
    .body.planId;
  await stack.call('POST', `/plans/${planId}/submit`, { as: lead });
  await stack.call('POST', `/plans/${planId}/approve`, { as: 'vice-mayor' });
  await stack.call('POST', `/plans/${planId}/start`, { as: lead });
  const finding = (
    await stack.call('POST', `/plans/${planId}/findings`, {
      as: 'dx-manager',
      body: {
        department: 'citizens',
        article: '第17条の2',
        rating: 'minor',
        title: '誤送付防止の手順がない',
        observation: '二重確認の記録がない',
        recommendation: '手順を定める',
      },
    })
  ).body;
  await stack.call('POST', `/findings/${finding.findingId}/actions`, {
    as: 'dx-manager',
    body: { description: '宛先確認の手順を定める', dueDate: '2099-03-31' },
  });
});
afterAll(async () => {
  await stack.close();
});

async function workbook(path: string): Promise<ExcelJS.Workbook> {
  const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${await stack.token(lead)}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain('.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  return wb;
}

describe('reports people ask for', () => {
  it('様式第4号 as XLSX holds every item of the form', async () => {
    const wb = await workbook(`/plans/${planId}/form4?format=xlsx`);
    const sheet = wb.getWorksheet('様式第4号');
    const text = JSON.stringify(sheet?.getSheetValues());
    for (const expected of [
      '(1) 監査目的',
      '(3) 被監査部門',
      '市民課',
      '市民税課',
      '書面監査',
      '実地監査',
      '2026年度（令和8年度）',
      '郡山市保有個人情報等の取扱基準',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('the audit-result report as XLSX lists findings by scope with their actions', async () => {
    const wb = await workbook(`/plans/${planId}/results?format=xlsx`);
    const text = JSON.stringify(wb.getWorksheet('監査結果')?.getSheetValues());
    expect(text).toContain('DX戦略課長');
    expect(text).toContain('第17条の2（誤送付等の防止）');
    expect(text).toContain('要改善');
    expect(text).toContain('宛先確認の手順を定める（期限 2099-03-31、未着手）');
  });

  it('a printable HTML page in Japanese, escaping what users wrote', async () => {
    const r = await stack.call('GET', `/plans/${planId}/results?format=html`, { as: 'vice-mayor' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.text).toContain('<html lang="ja">');
    expect(r.text).toContain('@page { size: A4');
    expect(r.text).toContain('Noto Serif JP');
    expect(r.text).toContain('監査結果報告書');
    expect(r.text).toContain('&lt;script&gt;');
    expect(r.text).not.toContain('<script>');
  });

  it('the audit trail as CSV (UTF-8 with BOM), one line per event', async () => {
    const r = await stack.call('GET', `/audit-log/export?entityType=plan&entityId=${planId}`, { as: 'vice-mayor' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const raw = Buffer.from(
      await (
        await fetch(`${stack.baseUrl}/audit-log/export?entityType=plan&entityId=${planId}`, {
          headers: { authorization: `Bearer ${await stack.token('vice-mayor')}` },
        })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = r.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('日時,操作,利用者ID,氏名');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['plan.created', 'plan.submitted', 'plan.approved', 'plan.started']);
  });

  it('a formula in a progress note comes out of the trail CSV neutralised (OWASP CSV injection)', async () => {
    const finding = (
      await stack.call('POST', `/plans/${planId}/findings`, {
        as: 'dx-manager',
        body: { department: 'citizens', article: '第17条の2', rating: 'minor', title: '@件名', observation: '=1+1', recommendation: '-1' },
      })
    ).body;
    const action = (
      await stack.call('POST', `/findings/${finding.findingId}/actions`, {
        as: 'dx-manager',
        body: { description: '+手順', dueDate: '2099-03-31' },
      })
    ).body;
    const note = '=HYPERLINK("http://x","開く")';
    expect((await stack.call('POST', `/actions/${action.actionId}/progress`, { as: 'citizens-staff', body: { note } })).status).toBe(200);

    const r = await stack.call('GET', `/audit-log/export?entityType=action&entityId=${action.actionId}`, { as: 'vice-mayor' });
    expect(r.status).toBe(200);
    const progressed = r.text.split('\r\n').find((l) => l.includes(',action.progressed,'));
    expect(progressed).toContain(`,"'=HYPERLINK(""http://x"",""開く"")",`);
    expect(progressed).not.toMatch(/,"?=/);

    // The same text in the result workbook is a string cell, not a formula.
    const wb = await workbook(`/plans/${planId}/results?format=xlsx`);
    const cells: ExcelJS.Cell[] = [];
    wb.getWorksheet('監査結果')?.eachRow((row) => row.eachCell((c) => void cells.push(c)));
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
    expect(cells.find((c) => c.value === '=1+1')?.type).toBe(ExcelJS.ValueType.String);
    expect(cells.find((c) => c.value === '@件名')?.type).toBe(ExcelJS.ValueType.String);
  });

  it('only plan readers get the documents: section staff do not even see the plan (404); an auditor sees it but not its trail (403)', async () => {
    expect((await stack.call('GET', `/plans/${planId}/form4`, { as: 'citizens-staff' })).status).toBe(404);
    expect((await stack.call('GET', `/audit-log/export?entityType=plan&entityId=${planId}`, { as: 'dx-manager' })).status).toBe(403);
    expect((await stack.call('GET', `/plans/${planId}/form4?format=pdf`, { as: lead })).status).toBe(400);
  });
});
