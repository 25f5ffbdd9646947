import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { localAudience } from '#lib/local/identity.js';
import { type InProcessStack, startInProcessStack } from '#lib/local/stack.js';

/**
 * One port for the app and the API, as CloudFront serves both in AWS: `/config.json`,
 * the built files, and the SPA fallback only for a browser's navigation (no
 * Authorization, Accept text/html); the API under `/api/` only, never taken by the app.
 */
let stack: InProcessStack;
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'kansa-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="ja"><title>kansa</title><div id="app"></div>');
  writeFileSync(join(dist, 'assets', 'index-AbC123.js'), 'console.log("app")');
  stack = await startInProcessStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `kansa-web-${process.pid}-${Date.now().toString(36)}`,
    web: { distDir: dist },
  });
});
afterAll(async () => {
  await stack?.close();
  rmSync(dist, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the SPA on the gateway port', () => {
  it('serves /config.json with the API base, the local issuer and the client', async () => {
    const res = await fetch(`${stack.origin}/config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual({
      apiBaseUrl: '/api',
      oidc: { authority: `${stack.webUrl}/oidc`, clientId: localAudience, scope: 'openid profile offline_access' },
      environment: 'local',
    });
  });

  it('serves index.html for / and for a reload of an app route, revalidated, with security headers', async () => {
    for (const path of ['/', '/plans/01HZZZZZZZZZZZZZZZZZZZZZZZ', '/auth/callback?code=x&state=y']) {
      const res = await fetch(`${stack.webUrl}${path}`, { headers: html });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain(`; connect-src 'self' ${new URL(stack.s3.endpoint).origin};`);
      expect(res.headers.get('permissions-policy')).toMatch(/^camera=\(self\), microphone=\(\), geolocation=\(\)/);
      expect(await res.text()).toContain('<html lang="ja">');
    }
  });

  it('sends a browser that came by 127.0.0.1 to localhost, where the issuer and redirect URIs are', async () => {
    const res = await fetch(`${stack.origin}/plans?x=1`, { headers: html, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${stack.webUrl}/plans?x=1`);
  });

  it('caches hashed assets for a year, and serves a rebuild without a restart', async () => {
    const res = await fetch(`${stack.origin}/assets/index-AbC123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    writeFileSync(join(dist, 'assets', 'index-DeF456.js'), 'console.log("rebuilt")');
    const rebuilt = await fetch(`${stack.origin}/assets/index-DeF456.js`);
    expect(rebuilt.status).toBe(200);
    expect(await rebuilt.text()).toBe('console.log("rebuilt")');
  });

  it('leaves API calls to the API: with a token, without Accept text/html, and every other method', async () => {
    const token = await stack.token('policy-director');
    const withToken = await fetch(`${stack.baseUrl}/me`, { headers: { ...html, authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('content-type')).toMatch(/json/);
    const curl = await fetch(`${stack.baseUrl}/plans/01HZZZZZZZZZZZZZZZZZZZZZZZ`, { headers: { accept: '*/*' } });
    expect(curl.status).toBe(401);
    expect(curl.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const post = await fetch(`${stack.baseUrl}/plans`, { method: 'POST', headers: html, body: '{}' });
    expect(post.status).toBe(401);
    const missingAsset = await fetch(`${stack.origin}/assets/missing.js`);
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('serves the API under /api only, and never the app there, even to a browser by its own host', async () => {
    const token = await stack.token('policy-director');
    const me = await fetch(`${stack.webUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    for (const path of ['/api/plans/01HZZZZZZZZZZZZZZZZZZZZZZZ', '/api/no-such-route', '/api']) {
      const res = await fetch(`${stack.webUrl}${path}`, { headers: html, redirect: 'manual' });
      expect(res.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      expect(res.status, path).toBe(path === '/api/plans/01HZZZZZZZZZZZZZZZZZZZZZZZ' ? 401 : 404);
    }
    // The routes are not at the root: with a token and no Accept text/html, /me is nobody's.
    const root = await fetch(`${stack.origin}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(root.status).toBe(404);
    expect(await root.json()).toMatchObject({
      type: 'urn:kansa:problem:route-not-found',
      detail: 'API は /api の下にあります（/api/me）。',
    });
    // A path that is no route anywhere is only not found.
    const nowhere = await fetch(`${stack.origin}/no-such-route`, { headers: { authorization: `Bearer ${token}` } });
    expect(await nowhere.json()).toMatchObject({ status: 404, detail: 'この URL の API はありません。' });
  });

  // Last: a stack that fails to start has already set the environment the handlers read at cold start.
  it('does not start without a built app, and says how to build it', async () => {
    await expect(
      startInProcessStack({
        dynamoEndpoint: inject('dynamoEndpoint'),
        tableName: stack.tableName,
        web: { distDir: join(dist, 'missing') },
      }),
    ).rejects.toThrow(/index\.html is missing: build the app first \(npm run build\)/);
  });
});
