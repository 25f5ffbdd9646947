// @vitest-environment happy-dom
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h } from 'preact';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { ApiError, CreateIntent, createApi, networkFailureMessage, sessionExpiredMessage } from '../../web/src/api.js';
import { ProblemAlert } from '../../web/src/components/ui.js';
import { json, startServer, type TestServer } from './support.js';

let server: TestServer;
let version = 3;
let creates = 0;
let losing = 0;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/plans/P1' && req.method === 'GET') return json(res, 200, { planId: 'P1', version }, { etag: `"${version}"` });
    if (req.url === '/plans/P1' && req.method === 'PATCH') {
      if (req.headers['if-match'] !== `"${version}"`) {
        return json(res, 412, {
          type: 'urn:kansa:problem:stale-version',
          title: '更新が競合しました',
          status: 412,
          detail: '他の利用者が先に更新しました。最新の内容を読み込んでから、もう一度操作してください。',
        });
      }
      version += 1;
      return json(res, 200, { planId: 'P1', version }, { etag: `"${version}"` });
    }
    if (req.url === '/plans/P1/approve') {
      return json(res, 403, {
        type: 'urn:kansa:problem:forbidden',
        title: 'この操作を行う権限がありません',
        status: 403,
        detail: '自分が起案した監査計画は承認できません（職務の分離）。',
      });
    }
    if (req.url === '/me') return json(res, 401, { title: '認証が必要です', status: 401, detail: 'トークンの有効期限が切れています。' });
    if (req.url.startsWith('/plans?')) {
      const cursor = new URL(req.url, 'http://x').searchParams.get('cursor');
      return json(
        res,
        200,
        cursor === 'c1' ? { items: [{ planId: 'P2' }], nextCursor: null } : { items: [{ planId: 'P1' }], nextCursor: 'c1' },
      );
    }
    if (req.url === '/disposals' && req.method === 'POST') {
      // Answers lost (503), as after a timeout behind the gateway, while `losing` lasts.
      creates += 1;
      if (losing-- > 0)
        return json(res, 503, {
          type: 'urn:kansa:problem:outcome-unknown',
          title: '一時的に利用できません',
          status: 503,
          detail: '処理結果を確認できませんでした。',
        });
      return json(res, 201, { disposalId: `D${creates}`, version: 1 }, { etag: '"1"' });
    }
    if (req.url === '/broken') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<html>Bad Gateway</html>');
    }
    json(res, 404, { title: '見つかりません', status: 404, detail: '見つかりません。' });
  });
});
afterAll(async () => {
  cleanup();
  await server.close();
});

const apiFor = (onUnauthorized = () => {}) => createApi({ baseUrl: server.baseUrl, token: async () => 'id-token-1', onUnauthorized });

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the request to fail');
}

describe('API client', () => {
  it("calls the page's own origin under a relative base (`/api`, as config.json names it)", async () => {
    const asked: string[] = [];
    const api = createApi({
      baseUrl: '/api',
      token: async () => 't',
      onUnauthorized: () => {},
      fetch: async (input) => {
        asked.push(String(input));
        return new Response(JSON.stringify({ planId: 'P1', version: 1 }), { headers: { 'content-type': 'application/json', etag: '"1"' } });
      },
    });
    await api.get('/plans/P1');
    await api.get('/plans', { fiscalYear: 2026 });
    expect(asked).toEqual(['/api/plans/P1', '/api/plans?fiscalYear=2026']);
  });

  it('sends the ID token as bearer and returns the ETag of a resource', async () => {
    const r = await apiFor().get<{ planId: string }>('/plans/P1');
    expect(r.data.planId).toBe('P1');
    expect(r.etag).toBe(`"${version}"`);
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer id-token-1');
  });

  it('sends If-Match; a stale one is a 412 that offers 「最新の内容を読み込む」', async () => {
    const api = apiFor();
    const read = await api.get<unknown>('/plans/P1');
    await api.patch('/plans/P1', { purpose: 'x' }, read.etag);
    expect(server.requests.at(-1)?.headers['if-match']).toBe(read.etag);
    const err = await failure(api.patch('/plans/P1', { purpose: 'y' }, read.etag));
    expect(err.status).toBe(412);
    expect(err.stale).toBe(true);

    let reloaded = 0;
    render(h(ProblemAlert, { error: err, onReload: () => reloaded++ }));
    expect(screen.getByRole('alert').textContent).toContain('他の利用者が先に更新しました。');
    fireEvent.click(screen.getByRole('button', { name: '最新の内容を読み込む' }));
    expect(reloaded).toBe(1);
    cleanup();
  });

  it('shows a 403 problem detail exactly as the server wrote it', async () => {
    const err = await failure(apiFor().post('/plans/P1/approve', {}, '"1"'));
    expect(err.status).toBe(403);
    render(h(ProblemAlert, { error: err }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('自分が起案した監査計画は承認できません（職務の分離）。');
    expect(alert.textContent).toContain('権限がありません');
    expect(screen.queryByRole('button', { name: '最新の内容を読み込む' })).toBeNull();
    cleanup();
  });

  it('a 401 ends the session: the app is told and the message says the session expired', async () => {
    let told = 0;
    const err = await failure(apiFor(() => told++).get('/me'));
    expect(err.status).toBe(401);
    expect(told).toBe(1);
    expect(err.message).toBe(sessionExpiredMessage);
  });

  it('a response that is not problem+json still gets a Japanese message', async () => {
    const err = await failure(apiFor().get('/broken'));
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/サーバーでエラーが発生しました/);
  });

  it('a network failure says so and can be retried', async () => {
    const closed = await startServer(() => {});
    const url = closed.baseUrl;
    await closed.close();
    const api = createApi({ baseUrl: url, token: async () => 't', onUnauthorized: () => {} });
    const err = await failure(api.get('/plans/P1'));
    expect(err.offline).toBe(true);
    expect(err.message).toBe(networkFailureMessage);
    let retried = 0;
    render(h(ProblemAlert, { error: err, onRetry: () => retried++ }));
    fireEvent.click(screen.getByRole('button', { name: '再試行' }));
    expect(retried).toBe(1);
    cleanup();
  });

  it('sends a create with one Idempotency-Key per intent, again after a lost answer, and a new key for the next intent', async () => {
    const api = createApi({ baseUrl: server.baseUrl, token: async () => 't', onUnauthorized: () => {}, sleep: async () => {} });
    const intent = new CreateIntent();
    const body = { department: 'citizens', media: 'paper' };
    const from = server.requests.length;
    creates = 0;
    losing = 2;
    const created = await api.create<{ disposalId: string }>('/disposals', body, intent);
    expect(created.data.disposalId).toBe('D3');
    const sent = server.requests.slice(from).filter((r) => r.url === '/disposals');
    expect(sent).toHaveLength(3);
    const key = sent[0]?.headers['idempotency-key'];
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.map((r) => r.headers['idempotency-key'])).toEqual([key, key, key]);

    // The landed create is done: the next one, even with the same body, is another intent.
    const next = intent.keyFor(body);
    expect(next).not.toBe(key);
    expect(intent.keyFor(body)).toBe(next);
    expect(intent.keyFor({ ...body, media: 'electronic' })).not.toBe(next);
  });

  it('gives up on a create after its retries and keeps the key for the person to retry', async () => {
    const api = createApi({ baseUrl: server.baseUrl, token: async () => 't', onUnauthorized: () => {}, sleep: async () => {} });
    const intent = new CreateIntent();
    const body = { department: 'tax' };
    const from = server.requests.length;
    losing = 3;
    const err = await failure(api.create('/disposals', body, intent));
    expect(err.status).toBe(503);
    const keys = server.requests.slice(from).map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(1);
    expect(intent.keyFor(body)).toBe(keys[0]);
  });

  it('follows list cursors', async () => {
    const api = apiFor();
    const first = await api.page<{ planId: string }>('/plans', { fiscalYear: 2026, status: '' });
    expect(first.items.map((p) => p.planId)).toEqual(['P1']);
    expect(server.requests.at(-1)?.url).toBe('/plans?fiscalYear=2026');
    const second = await api.page<{ planId: string }>('/plans', { fiscalYear: 2026 }, first.nextCursor);
    expect(second).toEqual({ items: [{ planId: 'P2' }], nextCursor: null });
  });
});
