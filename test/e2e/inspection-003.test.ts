import { describe, expect, it } from 'vitest';
import { expectAccessible, fireDuty, settled, useE2e } from './harness.js';

/**
 * 003 第30条 on the 点検 page: 総括責任者及び事務取扱責任者が…点検し. The 総括責任者 opens the
 * task the yearly 点検 gave them, answers the checklist with the 課 and may attach a photo;
 * the submission stays the 事務取扱責任者's.
 */
const running = useE2e(
  async ({ stack }) => {
    const run = await fireDuty(stack, 'section-inspection', '2027-04-01T00:00:00+09:00');
    expect(run).toMatchObject({ period: 'FY2027', outcome: 'completed', created: 1 });
  },
  { profileId: '003' },
);

describe('a joint 点検 under 003', () => {
  it('the 総括責任者 fills it in from their task; the 事務取扱責任者 submits it', async () => {
    const e2e = running();
    const page = await e2e.newPage();
    await e2e.signIn(page, 'vice-mayor', '/tasks');
    await page
      .getByRole('link', { name: '総務課 令和9年度の点検及び安全管理措置の見直し（総括責任者及び事務取扱責任者、第30条）' })
      .click();
    await page.waitForURL((url) => url.pathname.startsWith('/inspections/'));
    const inspectionId = new URL(page.url()).pathname.split('/')[2] as string;
    await page.getByRole('heading', { level: 1, name: '総務課（general-affairs） 令和9年度の点検' }).waitFor();
    await page.getByText('点検者: 総括責任者及び事務取扱責任者').waitFor();

    await page.getByRole('group', { name: '保管場所', exact: true }).getByLabel('適正').check();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '保存しました。' }).waitFor();
    await page.getByLabel('写真を撮影・ファイルを選択').waitFor();
    await page.getByText('提出は、この課の事務取扱責任者が行います（第30条）。').waitFor();
    await settled(page);
    expect(await page.getByRole('button', { name: '提出', exact: true }).count()).toBe(0);
    await expectAccessible(page, 'the joint 点検');

    const saved = await e2e.stack.call('GET', `/inspections/${inspectionId}`, { as: 'vice-mayor' });
    expect(saved.body).toMatchObject({ status: 'open', lastEditedBy: 'vice-mayor' });
    expect(saved.body.checklist[5]).toMatchObject({ item: '保管場所', result: 'ok' });
  });
});
