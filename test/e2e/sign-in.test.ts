import { describe, expect, it } from 'vitest';
import { demoPassword } from '#lib/local/demo-users.js';
import { expectAccessible, settled, useE2e } from './harness.js';

/** Smoke test: the real provider's login page, the dashboard, a reload on a deep link, sign-out. */
const running = useE2e();

describe('signing in through the local OpenID provider', () => {
  it('signs in as the 監査責任者, shows the dashboard, survives a reload on a deep link, and signs out', async () => {
    const e2e = running();
    const page = await e2e.newPage();
    await e2e.signIn(page, 'policy-director');
    await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor();
    await settled(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await e2e.screenshot(page, 'sign-in-dashboard');
    await expectAccessible(page, 'the dashboard');

    await page.goto(`${e2e.stack.webUrl}/plans`);
    await page.getByRole('heading', { level: 1, name: '監査計画' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/plans');
    await settled(page);
    await expectAccessible(page, 'the plans');

    await e2e.signOut(page);
    expect(new URL(page.url()).pathname).toBe('/');
    await expectAccessible(page, 'the signed-out home page');
    // Signed out at the provider too: the next sign-in asks for the password again.
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
    await page.getByLabel('パスワード').waitFor();
    await expectAccessible(page, "the provider's login page");
  });

  it('can be used with the keyboard alone: Tab to the users, arrow to the next one, Tab to the password, Enter', async () => {
    const e2e = running();
    const page = await e2e.newPage();
    await page.goto(`${e2e.stack.webUrl}/`);
    await page.getByRole('button', { name: 'ログイン', exact: true }).press('Enter');
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
    await page.keyboard.press('Tab'); // the first user: 郡山 一郎（副市長）
    await page.keyboard.press('ArrowDown'); // the next: 安積 花子（政策開発部長）
    await page.keyboard.press('Tab');
    await page.keyboard.type(demoPassword);
    await page.keyboard.press('Enter');
    await page.getByText('安積 花子（').waitFor();
    expect(new URL(page.url()).origin).toBe(e2e.stack.webUrl);
  });
});
