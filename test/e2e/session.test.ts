import { describe, expect, it } from 'vitest';
import { expectAccessible, settled, useE2e } from './harness.js';

/**
 * The session in the browser: with ID tokens of 66 seconds, the app renews them
 * silently with the refresh token (oidc-client-ts asks 60 seconds before expiry) and
 * keeps working; once the provider's session has ended (ログアウト in another tab), the
 * next renewal is refused and the app says the session has expired.
 */
const running = useE2e(undefined, { tokenTtlSeconds: 66 });

describe('the session', () => {
  it('renews the ID token with the refresh token, and shows the expired page once the session has ended', async () => {
    const e2e = running();
    const base = e2e.stack.webUrl as string;
    const page = await e2e.newPage();
    const isRefresh = (r: { url(): string; request(): { postData(): string | null } }) =>
      r.url() === `${base}/oidc/token` && (r.request().postData() ?? '').includes('grant_type=refresh_token');

    const renewal = page.waitForResponse(isRefresh, { timeout: 60_000 });
    await e2e.signIn(page, 'policy-director');
    expect((await renewal).status()).toBe(200);
    await page.getByRole('link', { name: '監査計画' }).click();
    await page.getByRole('heading', { level: 1, name: '監査計画' }).waitFor();
    await settled(page);
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectAccessible(page, 'the plans');

    const other = await page.context().newPage();
    await other.goto(`${base}/oidc/session/end`);
    await other.getByRole('button', { name: 'ログアウト', exact: true }).click();
    await other.getByRole('heading', { name: 'ログアウトしました' }).waitFor();

    const refused = page.waitForResponse(isRefresh, { timeout: 60_000 });
    expect((await refused).status()).toBe(400);
    await page.getByRole('heading', { name: 'セッションの有効期限が切れました' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/session-expired');
    await e2e.screenshot(page, 'session-expired');
    await expectAccessible(page, 'the expired session');
  });
});
