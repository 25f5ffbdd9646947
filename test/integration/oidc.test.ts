import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, decodeJwt, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { demoPassword } from '#lib/local/demo-users.js';
import { type SigningKey, generateSigningKey, localAudience } from '#lib/local/identity.js';
import { type InProcessStack, startInProcessStack } from '#lib/local/stack.js';

/**
 * The local OpenID provider as the SPA uses it: discovery, the authorization code flow
 * with PKCE through the Japanese login page, an ID token the gateway accepts, refresh,
 * and sign-out through the end-session endpoint, all driven with fetch.
 */
let stack: InProcessStack;
let discovery: Record<string, string>;
let signingKey: SigningKey;

beforeAll(async () => {
  signingKey = await generateSigningKey();
  stack = await startInProcessStack({
    signingKey,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `kansa-oidc-${process.pid}-${Date.now().toString(36)}`,
    oidc: true,
  });
  const res = await fetch(`${stack.webUrl}/oidc/.well-known/openid-configuration`);
  discovery = (await res.json()) as Record<string, string>;
});
afterAll(async () => {
  await stack?.close();
});

/** A browser's cookies for one origin (paths are not told apart: names do not repeat across them here). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const redirectUri = () => `${stack.webUrl}/auth/callback`;

async function go(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(new URL(url, stack.webUrl), {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.take(res);
  return res;
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Starts an authorization request and returns the login page's URL. */
async function authorize(jar: CookieJar, challenge: string | undefined): Promise<Response> {
  const q = new URLSearchParams({
    client_id: localAudience,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: 'openid profile offline_access',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    ...(challenge ? { code_challenge: challenge, code_challenge_method: 'S256' } : {}),
  });
  return go(jar, `${discovery.authorization_endpoint}?${q}`);
}

async function signIn(userId: string): Promise<{ jar: CookieJar; tokens: Record<string, string> }> {
  const jar = new CookieJar();
  const { verifier, challenge } = pkce();
  const start = await authorize(jar, challenge);
  const login = start.headers.get('location') as string;
  const done = await go(jar, login, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user: userId, password: demoPassword, action: 'login' }).toString(),
  });
  expect(done.status).toBe(303);
  const back = await go(jar, done.headers.get('location') as string);
  const callback = new URL(back.headers.get('location') as string);
  expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri());
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();
  const token = await fetch(discovery.token_endpoint as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code as string,
      redirect_uri: redirectUri(),
      client_id: localAudience,
      code_verifier: verifier,
    }),
  });
  expect(token.status).toBe(200);
  return { jar, tokens: (await token.json()) as Record<string, string> };
}

async function me(idToken: string): Promise<Response> {
  return fetch(`${stack.baseUrl}/me`, { headers: { authorization: `Bearer ${idToken}` } });
}

describe('local OpenID provider', () => {
  it('publishes discovery under /oidc on the gateway port, with PKCE and end-session', () => {
    expect(discovery.issuer).toBe(stack.issuer);
    expect(discovery.issuer).toBe(`${stack.webUrl}/oidc`);
    expect(discovery.authorization_endpoint).toMatch(new RegExp(`^${stack.webUrl}/oidc/`));
    expect(discovery.token_endpoint).toMatch(new RegExp(`^${stack.webUrl}/oidc/`));
    expect(discovery.end_session_endpoint).toMatch(new RegExp(`^${stack.webUrl}/oidc/`));
    expect(discovery.code_challenge_methods_supported).toContain('S256');
    expect(discovery.id_token_signing_alg_values_supported).toContain('RS256');
  });

  it('shows a Japanese login page with the demo users and a labelled password field', async () => {
    const jar = new CookieJar();
    const start = await authorize(jar, pkce().challenge);
    expect(start.status).toBe(303);
    const page = await go(jar, start.headers.get('location') as string);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('郡山 一郎');
    expect(html).toContain('副市長（総括保護管理者）');
    expect(html).toMatch(/<label for="password">パスワード<\/label>/);
    expect(html).toMatch(/<input type="radio" id="user-0"[^>]*>\s*<label for="user-0">/);
    expect(html).not.toMatch(/ checked/);
  });

  it('signs in with code + PKCE and issues an ID token with the Cognito claims that the gateway accepts', async () => {
    const { tokens } = await signIn('policy-director');
    expect(tokens.refresh_token).toBeTruthy();
    const claims = decodeJwt(tokens.id_token as string);
    expect(claims.iss).toBe(stack.issuer);
    expect(claims.aud).toBe(localAudience);
    expect(claims.sub).toBe('policy-director');
    expect(claims.name).toBe('安積 花子');
    expect(claims['cognito:groups']).toEqual(['auditLead', 'deputyManager']);
    expect(claims['custom:department']).toBe('policy-planning');
    expect(claims.token_use).toBe('id');
    expect((claims.exp as number) - (claims.iat as number)).toBe(15 * 60);
    const res = await me(tokens.id_token as string);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sub: 'policy-director', roles: expect.arrayContaining(['auditLead', 'deputyManager']) });
  });

  it("refuses an access token of the same client and issuer, which the gateway's JWT check alone would let through", async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>) =>
      importJWK(signingKey.privateJwk, 'RS256').then((key) =>
        new SignJWT({ 'cognito:groups': ['chiefManager'], ...claims })
          .setProtectedHeader({ alg: 'RS256', kid: signingKey.privateJwk.kid ?? 'local' })
          .setSubject('vice-mayor')
          .setIssuer(stack.issuer)
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(key),
      );
    // Cognito's access token: client_id instead of aud, token_use access, no profile claims.
    const access = await me(await sign({ client_id: localAudience, token_use: 'access', scope: 'openid profile' }));
    expect(access.status).toBe(401);
    expect(access.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await access.json()) as { detail: string }).detail).toMatch(/IDトークン以外/);
    // The same token as an ID token is taken: only token_use differs.
    const id = await me(await sign({ aud: localAudience, token_use: 'id', name: '副市長' }));
    expect(id.status).toBe(200);
  });

  it('renews with the refresh token: a new ID token the gateway accepts', async () => {
    const { tokens } = await signIn('vice-mayor');
    const res = await fetch(discovery.token_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string, client_id: localAudience }),
    });
    expect(res.status).toBe(200);
    const renewed = (await res.json()) as Record<string, string>;
    const claims = decodeJwt(renewed.id_token as string);
    expect(claims).toMatchObject({ iss: stack.issuer, aud: localAudience, sub: 'vice-mayor', 'cognito:groups': ['chiefManager'] });
    expect((await me(renewed.id_token as string)).status).toBe(200);
  });

  it('refuses a wrong password, and the demo password without a user, with the page again, and issues no code', async () => {
    const jar = new CookieJar();
    const start = await authorize(jar, pkce().challenge);
    const login = start.headers.get('location') as string;
    const res = await go(jar, login, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user: 'vice-mayor', password: 'wrong-password', action: 'login' }).toString(),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('パスワードが違います。');
    const nobody = await go(jar, login, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: demoPassword, action: 'login' }).toString(),
    });
    expect(nobody.status).toBe(401);
    expect(await nobody.text()).toContain('利用者を選んでください。');
  });

  it('requires PKCE: a request without a code challenge goes back to the app with an error', async () => {
    const res = await authorize(new CookieJar(), undefined);
    const location = new URL(res.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri());
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('signs out through the end-session endpoint: back to the app, and the refresh token no longer works', async () => {
    const { jar, tokens } = await signIn('dx-manager');
    const q = new URLSearchParams({
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: `${stack.webUrl}/`,
      client_id: localAudience,
    });
    const confirm = await go(jar, `${discovery.end_session_endpoint}?${q}`);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('lang="ja"');
    expect(html).toContain('ログアウトしますか？');
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    expect(form).not.toBeNull();
    const fields = new URLSearchParams({ logout: 'yes' });
    for (const m of (form?.[2] ?? '').matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
      fields.set(m[1] as string, m[2] as string);
    const out = await go(jar, form?.[1] as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe(`${stack.webUrl}/`);
    const refresh = await fetch(discovery.token_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string, client_id: localAudience }),
    });
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('is the issuer of the tokens the stack signs for tests and `npm run token`', async () => {
    const claims = decodeJwt(await stack.token('citizens-staff'));
    expect(claims.iss).toBe(stack.issuer);
    expect((await me(await stack.token('citizens-staff'))).status).toBe(200);
  });
});
