// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { User } from 'oidc-client-ts';
import { createAuth } from '../../web/src/auth.js';
import type { AppConfig } from '../../web/src/config.js';
import { json, startServer, type TestServer } from './support.js';

/** A provider with Cognito's shape: discovery without end-session or revocation endpoints, /oauth2/revoke for refresh tokens. */
let cognito: TestServer;

beforeAll(async () => {
  cognito = await startServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: cognito.baseUrl,
        authorization_endpoint: `${cognito.baseUrl}/oauth2/authorize`,
        token_endpoint: `${cognito.baseUrl}/oauth2/token`,
        jwks_uri: `${cognito.baseUrl}/.well-known/jwks.json`,
      });
    }
    if (req.url === '/oauth2/revoke' && req.method === 'POST') {
      res.writeHead(200);
      return res.end();
    }
    return json(res, 404, { status: 404 });
  });
});
afterAll(() => cognito.close());
afterEach(() => {
  sessionStorage.clear();
  vi.restoreAllMocks();
});

function config(): AppConfig {
  return {
    apiBaseUrl: 'https://api.example',
    oidc: {
      authority: cognito.baseUrl,
      clientId: 'spa-client',
      scope: 'openid profile email',
      logoutEndpoint: `${cognito.baseUrl}/logout`,
      revocationEndpoint: `${cognito.baseUrl}/oauth2/revoke`,
    },
    environment: 'aws',
  };
}

/** A signed-in user as oidc-client-ts stores it. */
function storeUser(cfg: AppConfig): void {
  const user = new User({
    id_token: 'id.token.value',
    access_token: 'access-token',
    refresh_token: 'refresh-token-1',
    token_type: 'Bearer',
    profile: {
      sub: 'u1',
      iss: cfg.oidc.authority,
      aud: cfg.oidc.clientId,
      exp: Math.floor(Date.now() / 1000) + 600,
      iat: Math.floor(Date.now() / 1000),
    },
    expires_at: Math.floor(Date.now() / 1000) + 600,
  });
  sessionStorage.setItem(`oidc.user:${cfg.oidc.authority}:${cfg.oidc.clientId}`, user.toStorageString());
}

describe('sign-out against Cognito (config.json names its /logout and /oauth2/revoke)', () => {
  it('revokes the refresh token, forgets the tokens and ends the hosted-login session at /logout with client_id and logout_uri', async () => {
    const cfg = config();
    storeUser(cfg);
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    const auth = createAuth(cfg, () => undefined);
    expect(await auth.idToken()).toBe('id.token.value');

    await auth.signOut();

    const revoke = cognito.requests.find((r) => r.url === '/oauth2/revoke');
    expect(revoke && Object.fromEntries(new URLSearchParams(revoke.body))).toMatchObject({
      token: 'refresh-token-1',
      token_type_hint: 'refresh_token',
      client_id: 'spa-client',
    });
    expect(cognito.requests.some((r) => r.url.includes('access-token') || r.body.includes('access-token'))).toBe(false);
    expect(await auth.idToken()).toBeUndefined();
    expect(assign).toHaveBeenCalledTimes(1);
    const target = new URL(String(assign.mock.calls[0]?.[0]));
    expect(`${target.origin}${target.pathname}`).toBe(`${cognito.baseUrl}/logout`);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      client_id: 'spa-client',
      logout_uri: `${window.location.origin}/signed-out`,
    });
  });

  it('still ends the session when the revocation fails', async () => {
    const cfg = config();
    cfg.oidc.revocationEndpoint = `${cognito.baseUrl}/no-such-endpoint`;
    storeUser(cfg);
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    const auth = createAuth(cfg, () => undefined);

    await auth.signOut();

    expect(await auth.idToken()).toBeUndefined();
    expect(String(assign.mock.calls[0]?.[0])).toContain(`${cognito.baseUrl}/logout?client_id=spa-client`);
  });
});
