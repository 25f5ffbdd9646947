import { describe, expect, it } from 'vitest';
import { expectAccessible, settled, useE2e } from './harness.js';

/** 003 (甲賀広域行政組合) has no 監査: no plan screens, and the screens cite its own articles. */
const running = useE2e(undefined, { profileId: '003' });

describe('a regulation without 監査, in its own words', () => {
  it('offers no 監査計画 and cites 003’s articles on the disposal form', async () => {
    const e2e = running();
    const page = await e2e.newPage();
    await e2e.signIn(page, 'citizens-staff', '/disposals');
    await page.getByRole('heading', { level: 1, name: '消去・廃棄の記録' }).waitFor();
    await settled(page);
    const menu = page.getByRole('navigation', { name: 'メインメニュー' });
    await menu.getByRole('link', { name: '消去・廃棄' }).waitFor();
    expect(await menu.getByRole('link', { name: '監査計画' }).count()).toBe(0);
    await expectAccessible(page, 'the disposals');

    await page.getByRole('button', { name: '消去・廃棄を記録' }).click();
    await page.getByRole('heading', { level: 2, name: '消去・廃棄を記録（第35条）' }).waitFor();
    const certificate = page.getByRole('textbox', { name: '証明書番号' });
    expect(await certificate.getAttribute('aria-describedby')).toBeTruthy();
    await page.getByText('委託した場合は、証明書等で完了とします（第35条第2項）').waitFor();
    expect(await page.getByText(/第18条/).count()).toBe(0);
    await e2e.screenshot(page, 'no-audits-disposal');
    await expectAccessible(page, 'the disposal form');

    await page.goto(`${e2e.stack.webUrl}/plans`);
    await page.getByRole('heading', { level: 1, name: '監査計画' }).waitFor();
    await page.getByText('この規程には監査の定めがありません。点検（第30条）を行います。').waitFor();
    expect(await page.getByRole('button', { name: /起案/ }).count()).toBe(0);
  });

  // The chief (副市長) and a 課長 may list plans and 改善措置 under a regulation with 監査: here the
  // menu, the dashboard and /plans leave them out because 003 has none.
  it.each([
    ['vice-mayor', '副市長'],
    ['general-manager', '総務課長'],
  ])('offers %s (%s) no 監査計画 nor 改善措置, and /plans and /actions say why', async (userId) => {
    const e2e = running();
    const page = await e2e.newPage();
    await e2e.signIn(page, userId, '/');
    await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor();
    await settled(page);
    const menu = page.getByRole('navigation', { name: 'メインメニュー' });
    await menu.getByRole('link', { name: '点検' }).waitFor();
    expect(await menu.getByRole('link', { name: '監査計画' }).count()).toBe(0);
    expect(await menu.getByRole('link', { name: '改善措置' }).count()).toBe(0);
    expect(await page.getByRole('heading', { level: 2, name: /改善措置|監査計画|所見/ }).count()).toBe(0);
    await e2e.screenshot(page, `no-audits-dashboard-${userId}`);
    await expectAccessible(page, `the dashboard of ${userId}`);

    await page.goto(`${e2e.stack.webUrl}/plans`);
    await page.getByRole('heading', { level: 1, name: '監査計画' }).waitFor();
    await page.getByText('この規程には監査の定めがありません。点検（第30条）を行います。').waitFor();
    expect(await page.getByRole('button', { name: /起案/ }).count()).toBe(0);
    await expectAccessible(page, 'the plans without 監査');

    // An address typed by hand says the same on the 改善措置 page.
    await page.goto(`${e2e.stack.webUrl}/actions`);
    await page.getByRole('heading', { level: 1, name: '改善措置' }).waitFor();
    await page.getByText('この規程には監査の定めがありません。点検（第30条）を行います。').waitFor();
    await expectAccessible(page, 'the actions without 監査');
  });
});
