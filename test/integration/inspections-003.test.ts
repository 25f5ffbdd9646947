import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutyWork } from '#lib/app/duty-work.js';
import { deps } from '#lib/runtime/ports.js';
import { dutyRun } from '#test/support/duty-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 点検 under 甲賀広域行政組合 (003): yearly (第30条), with the nine items 第27条 lists as
 * the checklist, answered and submitted over HTTP like Koriyama's three.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ profileId: '003' });
});
afterAll(async () => {
  await stack?.close();
});

describe('点検 under profile 003', () => {
  it('opens a yearly 点検 per 課 with the nine items of 第27条, due at the end of the 年度', async () => {
    const result = await dutyWork['section-inspection'](deps(), dutyRun('section-inspection', 'FY2027', '2027-04-01'));
    expect(result.created).toBeGreaterThan(0);
    const listed = await stack.call('GET', '/inspections?department=citizens&period=FY2027', { as: 'citizens-manager' });
    expect(listed.status).toBe(200);
    const [inspection] = listed.body.items as { inspectionId: string; dueDate: string; source: string; checklist: { item: string }[] }[];
    expect(inspection).toMatchObject({ dueDate: '2028-03-31', source: '第30条' });
    expect(inspection?.checklist.map((c) => c.item)).toEqual([
      '特定個人情報ファイルの種類、名称',
      '対象者及び個人情報の項目',
      '明示、公表等を行った利用目的',
      '責任者、取扱部署',
      'アクセス権を有する者',
      '保管場所',
      '保管方法',
      '保存期間',
      '削除、廃棄状況',
    ]);
    const id = inspection?.inspectionId as string;
    const answers = inspection?.checklist.map((_, index) => ({ index, result: index === 8 ? 'na' : 'ok' }));
    expect((await stack.call('PATCH', `/inspections/${id}`, { as: 'citizens-staff', body: { answers } })).status).toBe(200);
    const submitted = await stack.call('POST', `/inspections/${id}/submit`, { as: 'citizens-manager', headers: { 'if-match': '"2"' } });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('submitted');
  });

  it('003 sets no periodic contractor check: the duty is disabled in the profile', () => {
    expect(deps().profile.duties.find((d) => d.duty === 'contractor-check')?.enabled).toBe(false);
  });
});
