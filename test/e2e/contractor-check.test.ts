import { describe, expect, it } from 'vitest';
import { pdf } from '#test/fixtures/files.js';
import { thisFiscalYear as fy } from '#test/support/duty-data.js';
import { expectAccessible, fireDuty, settled, useE2e } from './harness.js';

/**
 * 委託先 (001 第22条): the 市民課長 (保護管理者) registers a contractor with a 再委託先 in the
 * browser, which opens this 年度's check with a task (第22条第4項: 少なくとも年1回以上; the
 * yearly duty, run for the 年度 afterwards, finds it done and opens no second); from the
 * inbox the 課長 records a remote check (with the reason 第22条第4項 asks for), how the
 * 再委託先 was checked (第22条第5項: 委託先を通じて又は委託元自ら), the results and a PDF of
 * the record.
 */
const running = useE2e();

describe('委託先 and their yearly check in the browser', () => {
  it('the 保護管理者 registers a contractor and completes the check with evidence', async () => {
    const e2e = running();
    const page = await e2e.newPage();
    await e2e.signIn(page, 'citizens-manager', '/contractors');
    await page.getByRole('button', { name: '委託先を登録' }).waitFor();
    await settled(page);
    await expectAccessible(page, 'the contractors');
    await page.getByRole('button', { name: '委託先を登録' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: '委託先を登録' }) });
    await form.getByLabel('委託先の名称').fill('株式会社○○情報サービス');
    expect(await form.getByLabel('委託元の課').inputValue()).toBe('citizens');
    await form.getByLabel('取り扱う個人情報').fill('住民基本台帳の入力データ（氏名・住所・生年月日）');
    await form.getByLabel('契約開始日').fill(`${fy}-04-01`);
    await form.getByLabel('契約終了日').fill(`${fy + 1}-03-31`);
    await form.getByLabel('連絡先').fill('担当 山田 024-000-0000');
    await form.getByRole('button', { name: '再委託先を追加' }).click();
    const sub = form.getByRole('group', { name: '再委託先 1' });
    await sub.getByLabel('再委託先の名称').fill('株式会社△△データ');
    await sub.getByLabel('再委託される業務・個人情報').fill('入力データの照合');
    // 第22条第9項: a 許諾 is recorded when given; half of one is refused at its field.
    await sub.getByLabel('許諾した者').fill('市民課長');
    await form.getByRole('button', { name: '保存' }).click();
    await sub.locator('.field-error').waitFor();
    await expectAccessible(page, 'the contractor form with an error');
    await sub.getByLabel('許諾日').fill(`${fy}-04-01`);
    await form.getByRole('button', { name: '保存' }).click();
    await page.waitForURL((url) => /^\/contractors\/[0-9A-HJKMNP-TV-Z]{26}$/.test(url.pathname));
    const contractorId = new URL(page.url()).pathname.split('/')[2] as string;
    await page.getByRole('heading', { level: 1, name: '委託先: 株式会社○○情報サービス' }).waitFor();
    await page.getByText('市民課（citizens）').waitFor();
    const subs = page.getByRole('region', { name: '再委託先' });
    await subs.getByRole('heading', { name: '再委託先（第22条第5項）' }).waitFor();
    await subs.getByText('株式会社△△データ').waitFor();
    await subs.getByText(/許諾 .*市民課長（第22条第9項）/).waitFor();
    await settled(page);
    await expectAccessible(page, 'the contractor');

    const run = await fireDuty(e2e.stack, 'contractor-check', `${fy}-04-01T00:00:00+09:00`);
    expect(run).toMatchObject({ period: `FY${fy}`, created: 0, alreadyDone: 1 });

    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'タスク' }).click();
    await page.getByRole('link', { name: /株式会社○○情報サービス/ }).click();
    await page.waitForURL((url) => url.pathname === `/contractors/${contractorId}` && url.searchParams.get('fiscalYear') === String(fy));
    const check = page.getByRole('form', { name: `株式会社○○情報サービスの${fy}年度の検査結果` });
    await check.getByLabel('検査の方法').selectOption({ label: '書面・映像等による確認' });
    await check.getByLabel('実地検査によらない理由').fill('委託先が県外にあり映像で確認した');
    await check.getByLabel('結果').selectOption({ label: '適合' });
    await check.getByLabel('検査の内容').fill('入力データの保管庫と消去の手順を映像で確認した');
    await expectAccessible(page, 'the check form');
    await check.getByRole('button', { name: '検査結果を記録' }).click();
    await check
      .getByText(/株式会社△△データ.*（第22条第5項）/)
      .first()
      .waitFor();
    const answer = check.getByRole('group', { name: '再委託先「株式会社△△データ」の確認（第22条第5項）' });
    await answer.getByLabel('確認の方法').selectOption({ label: '委託先を通じて' });
    await answer.getByLabel('適否').selectOption({ label: '適合' });
    await check.getByLabel('写真を撮影・ファイルを選択').setInputFiles({ name: '検査記録.pdf', mimeType: 'application/pdf', buffer: pdf });
    await check.locator('.uploader').getByText('検証済み').waitFor();
    await check.getByRole('button', { name: '検査結果を記録' }).click();

    await page.getByRole('status').filter({ hasText: '検査結果を記録しました' }).waitFor();
    await page.getByText('書面・映像等による確認').waitFor();
    await page.getByText('委託先を通じて・適合').waitFor();
    await page.getByRole('link', { name: '検査記録.pdf' }).waitFor();
    await settled(page);
    await e2e.screenshot(page, 'contractor-check-completed');
    await expectAccessible(page, 'the completed check');

    const checks = await e2e.stack.call('GET', `/contractor-checks?fiscalYear=${fy}`, { as: 'citizens-manager' });
    expect(checks.body.items).toEqual([
      expect.objectContaining({
        contractorId,
        status: 'completed',
        method: 'remote',
        remoteReason: '委託先が県外にあり映像で確認した',
        result: 'compliant',
        subcontractors: [expect.objectContaining({ name: '株式会社△△データ', via: 'throughContractor', result: 'compliant' })],
        completedBy: 'citizens-manager',
        evidenceIds: [expect.any(String)],
      }),
    ]);
    const evidence = await e2e.stack.call('GET', `/evidence/${checks.body.items[0].evidenceIds[0] as string}`, { as: 'citizens-manager' });
    expect(evidence.body).toMatchObject({ fileName: '検査記録.pdf', status: 'verified' });
    const inbox = await e2e.stack.call('GET', '/tasks?mine=true', { as: 'citizens-manager' });
    expect(inbox.body.items.filter((t: { kind: string }) => t.kind === 'contractorCheck')).toEqual([]);
  });
});
