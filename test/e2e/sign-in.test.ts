import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type E2e, settled, startE2e } from './harness.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

/** Smoke test: the real provider's login page, the dashboard, a reload on a deep link, sign-out. */
let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e?.close();
});

describe('signing in through the local OpenID provider', () => {
  it('signs in as the 監査責任者, shows the dashboard, survives a reload on a deep link, and signs out', async () => {
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
