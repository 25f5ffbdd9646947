import { describe, expect, it } from 'vitest';
import { settled, useE2e } from './harness.js';

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

    await page.goto(`${e2e.stack.webUrl}/plans`);
    await page.getByRole('heading', { level: 1, name: '監査計画' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/plans');

    await e2e.signOut(page);
    expect(new URL(page.url()).pathname).toBe('/');
    // Signed out at the provider too: the next sign-in asks for the password again.
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
    await page.getByLabel('パスワード').waitFor();
  });
});
