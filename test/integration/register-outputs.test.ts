import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '#lib/domain/staff.js';
import type { Training } from '#lib/domain/training.js';
import { deps } from '#lib/runtime/ports.js';
import { changeStaff, seedAttendance, seedStaff, seedTraining } from '#test/support/register-data.js';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';

/**
 * 様式第1号・第2号・第3号 and the audit links over HTTP against DynamoDB Local (profile 001). The
 * registers and sessions are written through the handlers' own writer (`deps()`: the local
 * gateway runs them in this process), as their use cases commit them.
 */

let stack: TestStack;
let training: Training;
let suzuki: Staff;
let planId: string;
const formula = '=HYPERLINK("http://x","開く")';

const person = (department: string, over: Record<string, unknown> = {}) => ({
  department,
  name: '鈴木 一郎',
  title: '主査',
  kind: 'regular',
  handler: true,
  handlerDuties: '住民基本台帳事務',
  from: '2026-04-01',
  ...over,
});

beforeAll(async () => {
  stack = await startTestStack();
  const d = deps();
  suzuki = await seedStaff(d, person('citizens', { employeeNumber: '100' }));
  await seedStaff(d, person('citizens', { name: formula, title: '<script>alert(1)</script>', kind: 'dispatched', employeeNumber: '200' }));
  await seedStaff(d, person('citizens', { name: '高橋 次郎', handler: false, handlerDuties: null }));
  const later = await seedStaff(d, person('resident-tax', { name: '田中 三郎', handler: false, handlerDuties: null }));
  await changeStaff(d, later, { handler: true, handlerDuties: '個人住民税賦課事務', effectiveFrom: '2026-10-01' });
  training = await seedTraining(d, {
    fiscalYear: 2026,
    name: '事務取扱担当者研修',
    timing: { from: '2026-06-01', to: '2026-06-30' },
    audience: ['handlers'],
    method: 'classroom',
    note: '',
  });
  await seedAttendance(d, training, 'citizens', [suzuki.staffId], '2026-06-15');

  planId = (await stack.call('POST', '/plans', { as: 'policy-director', body: planBody() })).body.planId;
  await stack.call('POST', `/plans/${planId}/submit`, { as: 'policy-director' });
  await stack.call('POST', `/plans/${planId}/approve`, { as: 'vice-mayor' });
  await stack.call('POST', `/plans/${planId}/start`, { as: 'policy-director' });
});
afterAll(async () => {
  await stack.close();
});

async function download(path: string, as: string): Promise<{ wb: ExcelJS.Workbook; fileName: string }> {
  const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${await stack.token(as)}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  return { wb, fileName: decodeURIComponent(res.headers.get('content-disposition') ?? '') };
}

/** Every value of the workbook's first sheet, checking each is a string (merged cells aside). */
function cells(wb: ExcelJS.Workbook): string[] {
  const values: string[] = [];
  wb.worksheets[0]?.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.type === ExcelJS.ValueType.Merge) return;
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      values.push(cell.value as string);
    }),
  );
  return values;
}

describe('様式第1号・第2号 over HTTP', () => {
  it('the 課’s 保護管理者 downloads its 様式第1号 as XLSX, Japanese intact, every cell text, under a Japanese file name', async () => {
    const { wb, fileName } = await download('/staff/form1?department=citizens&asOf=2026-11-20&format=xlsx', 'citizens-manager');
    expect(fileName).toContain('事務取扱担当者一覧（個人単位）_市民課_2026-11-20.xlsx');
    expect(wb.worksheets[0]?.name).toBe('様式第1号');
    expect(wb.worksheets[0]?.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait' });
    const values = cells(wb);
    expect(values).toEqual(
      expect.arrayContaining([
        '様式第1号（第8条関係）',
        '令和8年11月20日',
        '事務取扱担当者一覧（個人単位）',
        '市民部',
        '市民課',
        '鈴木 一郎',
      ]),
    );
    expect(values).toEqual(expect.arrayContaining([formula, '<script>alert(1)</script>', '派遣労働者']));
    expect(values).not.toContain('高橋 次郎');
  });

  it('without a 課, the 保護管理者 gets their own; another 課 is a 404 like an unknown one', async () => {
    const own = await stack.call('GET', '/staff/form2?format=html', { as: 'citizens-manager' });
    expect(own.status).toBe(200);
    expect(own.text).toContain('市民課');
    expect(own.text).not.toContain('市民税課');
    for (const department of ['resident-tax', 'no-such-section']) {
      const other = await stack.call('GET', `/staff/form1?department=${department}`, { as: 'citizens-manager' });
      expect(other.status).toBe(404);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      expect(other.body.detail).toBe('指定された課の職員名簿は見つかりません。');
    }
  });

  it('the 総括保護管理者 prints 様式第2号 of every 課 as of a date, in 和暦, with the 課’s 事務', async () => {
    const before = await stack.call('GET', '/staff/form2?asOf=2026-09-30&format=html', { as: 'vice-mayor' });
    expect(before.status).toBe(200);
    expect(before.headers.get('content-type')).toContain('text/html');
    expect(before.text).toContain('<p class="form">様式第2号（第8条関係）</p>');
    expect(before.text).toContain('<p class="date">令和8年9月30日</p>');
    expect(before.text).toContain('<td>市民課</td><td>住民基本台帳事務</td><td>2名</td>');
    expect(before.text).toContain('<td>市民税課</td><td></td><td>指定なし</td>');
    const after = await stack.call('GET', '/staff/form2?asOf=2026-11-20', { as: 'vice-mayor' });
    expect(after.text).toContain('<td>市民税課</td><td>個人住民税賦課事務</td><td>1名</td>');
  });

  it('escapes what was typed in the printable page', async () => {
    const r = await stack.call('GET', '/staff/form1?department=citizens', { as: 'citizens-staff' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.text).not.toContain('<script>');
  });

  it('a bad date is a Japanese 400', async () => {
    const r = await stack.call('GET', '/staff/form1?asOf=2026-02-30', { as: 'vice-mayor' });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('様式第3号 over HTTP', () => {
  it('any 職員 downloads the 年度’s plan; the chief’s print names their 部 and 課', async () => {
    const { wb, fileName } = await download('/trainings/form3?fiscalYear=2026&format=xlsx', 'clerk');
    expect(fileName).toContain('研修計画_2026年度_様式第3号.xlsx');
    expect(cells(wb)).toEqual(
      expect.arrayContaining([
        '様式第3号（第11条関係）',
        '令和8年度\u3000特定個人情報等に関する研修計画',
        '令和8年6月1日〜令和8年6月30日',
        '事務取扱担当者研修',
        '事務取扱担当者',
        '集合研修',
      ]),
    );
    const chief = await stack.call('GET', '/trainings/form3?fiscalYear=2026', { as: 'vice-mayor' });
    expect(chief.text).toContain('部\u3000政策開発部<br>課\u3000副市長室');
  });
});

describe('links from audits over HTTP', () => {
  const finding = (over: Record<string, unknown>) => ({
    department: 'citizens',
    rating: 'minor',
    title: '指定の記録が古い',
    observation: '様式第1号が更新されていない',
    ...over,
  });

  it('a finding on 第8条 cites the 課’s register; on another article it is a 400 naming 第8条; an unknown session is a 400', async () => {
    const record = { type: 'staffRegister', department: 'citizens', asOf: '2026-11-20' };
    const ok = await stack.call('POST', `/plans/${planId}/findings`, {
      as: 'dx-manager',
      body: finding({ article: '第8条第1項', record }),
    });
    expect(ok.status).toBe(201);
    expect(ok.body.record).toEqual(record);
    const off = await stack.call('POST', `/plans/${planId}/findings`, { as: 'dx-manager', body: finding({ article: '第9条', record }) });
    expect(off.status).toBe(400);
    expect(off.body.detail).toContain('第8条');
    const unknown = await stack.call('POST', `/plans/${planId}/findings`, {
      as: 'dx-manager',
      body: finding({
        article: '第11条第5項',
        record: { type: 'trainingAttendance', trainingId: '01KANSA000000000000000ZZZZ', asOf: '2026-11-20' },
      }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.type).toBe('urn:kansa:problem:training-not-found');
  });

  it('the audit-result report, asked for its appendix, carries the completion by audited 課 and session', async () => {
    const cited = await stack.call('POST', `/plans/${planId}/findings`, {
      as: 'dx-manager',
      body: finding({
        article: '第11条第5項',
        record: { type: 'trainingAttendance', trainingId: training.trainingId, department: 'citizens', asOf: '2026-11-20' },
      }),
    });
    expect(cited.status).toBe(201);
    const r = await stack.call('GET', `/plans/${planId}/results?format=html&appendix=training`, { as: 'policy-director' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('の研修の受講状況（');
    expect(r.text).toContain('<td>市民課</td><td>事務取扱担当者研修</td><td>2</td><td>1</td><td>0</td><td>50.0%</td>');
    expect(r.text).toContain('研修「事務取扱担当者研修」の受講状況（市民課、令和8年11月20日現在）');
    const plain = await stack.call('GET', `/plans/${planId}/results?format=html`, { as: 'policy-director' });
    expect(plain.text).not.toContain('の研修の受講状況（');
    const bad = await stack.call('GET', `/plans/${planId}/results?appendix=staff`, { as: 'policy-director' });
    expect(bad.status).toBe(400);
  });
});
