import { describe, expect, it } from 'vitest';
import { jpeg } from '#test/fixtures/files.js';
import { expectAccessible, fireDuty, phone, settled, useE2e } from './harness.js';

/**
 * 点検 (第27条) on a phone: the quarterly duty opens a 点検 and a task per 課; the
 * 市民課長 (保護管理者) opens the task from the inbox, answers the checklist, attaches a
 * photo through the file chooser, judges that the results go to the 総括保護管理者 (第27条:
 * 必要があると認めるとき), submits, and sees the 点検 submitted, the task gone and the
 * 総括保護管理者's 見直し awaited.
 */
const running = useE2e(async ({ stack }) => {
  const run = await fireDuty(stack, 'section-inspection', '2027-04-01T00:00:00+09:00');
  expect(run).toMatchObject({ period: 'FY2027-Q1', outcome: 'completed' });
});

describe('点検 from the task inbox on a phone', () => {
  it('the 保護管理者 answers the checklist with a photo, submits it, and the task closes', async () => {
    const e2e = running();
    const page = await e2e.newPage(phone);
    await e2e.signIn(page, 'citizens-manager', '/tasks');
    const task = page.getByRole('link', { name: '市民課 令和9年度第1四半期の点検（第27条）' });
    await settled(page);
    await expectAccessible(page, 'the tasks');
    await task.tap();
    await page.waitForURL((url) => url.pathname.startsWith('/inspections/'));
    const inspectionId = new URL(page.url()).pathname.split('/')[2] as string;
    await page.getByRole('heading', { level: 1, name: '市民課（citizens） 令和9年度第1四半期の点検' }).waitFor();

    const item = (name: string) => page.getByRole('group', { name, exact: true });
    await item('記録媒体').getByLabel('適正').check();
    await item('処理経路').getByLabel('要改善').check();
    await item('処理経路').getByLabel('「処理経路」の所見').fill('処理経路図が古い');
    await item('保管方法').getByLabel('適正').check();
    await settled(page);
    await expectAccessible(page, 'the open 点検');

    const chooser = page.waitForEvent('filechooser');
    await page.getByLabel('写真を撮影・ファイルを選択').tap();
    await (await chooser).setFiles({ name: '保管庫.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.locator('.uploader').getByText('検証済み').waitFor();

    // Submitting without saying whether to report is refused at the field.
    await page.getByRole('button', { name: '提出', exact: true }).tap();
    await page.getByRole('group', { name: '総括保護管理者への報告（第27条）' }).getByText('報告の要否を指定してください。').waitFor();
    await page.getByRole('group', { name: '総括保護管理者への報告（第27条）' }).getByLabel('報告する', { exact: true }).check();
    await page.getByLabel('報告する理由').fill('処理経路図が古く、更新が必要なため');
    await page.getByRole('button', { name: '提出', exact: true }).tap();
    await page.getByRole('status').filter({ hasText: '点検を提出し、総括保護管理者に報告しました' }).waitFor();
    await page.getByText('提出済み', { exact: true }).waitFor();
    await page.getByText('総括保護管理者による安全管理措置の見直しを待っています（第28条）。').waitFor();
    await settled(page);
    expect(await page.getByRole('radio').count()).toBe(0);
    await e2e.screenshot(page, 'inspection-submitted');
    await expectAccessible(page, 'the submitted 点検');

    const inspection = await e2e.stack.call('GET', `/inspections/${inspectionId}`, { as: 'citizens-manager' });
    expect(inspection.body).toMatchObject({
      status: 'submitted',
      submittedBy: 'citizens-manager',
      evidenceIds: [expect.any(String)],
      report: { needed: true, reason: '処理経路図が古く、更新が必要なため' },
    });
    const chiefTask = await e2e.stack.call('GET', `/tasks/${inspection.body.reviewTaskId as string}`, { as: 'vice-mayor' });
    expect(chiefTask.body).toMatchObject({ title: '市民課 令和9年度第1四半期の点検結果の報告（第27条）', status: 'open' });
    expect(inspection.body.checklist.map((c: { result: string; note: string }) => [c.result, c.note])).toEqual([
      ['ok', ''],
      ['issue', '処理経路図が古い'],
      ['ok', ''],
    ]);
    const photo = await e2e.stack.call('GET', `/evidence/${inspection.body.evidenceIds[0] as string}`, { as: 'citizens-manager' });
    expect(photo.body).toMatchObject({ fileName: '保管庫.jpg', status: 'verified' });

    // The inbox no longer lists the task.
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'タスク' }).tap();
    await page.getByRole('heading', { level: 1, name: '自分のタスク' }).waitFor();
    await settled(page);
    await page.getByText('未完了のタスクはありません').waitFor();
    await expectAccessible(page, 'the empty tasks');
    expect(await task.count()).toBe(0);
    const done = await e2e.stack.call('GET', '/tasks?department=citizens&status=done', { as: 'policy-director' });
    expect(done.body.items).toEqual([
      expect.objectContaining({
        kind: 'inspection',
        status: 'done',
        closedBy: 'citizens-manager',
        subject: { type: 'inspection', id: inspectionId },
      }),
    ]);
  });
});
