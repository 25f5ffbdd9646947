// @vitest-environment happy-dom
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h } from 'preact';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { koka } from '#lib/profiles/koka.js';
import { evidenceTypeList } from '#lib/domain/evidence.js';
import { demoDepartments } from '#lib/local/demo-users.js';
import { createApi } from '../../web/src/api.js';
import Dashboard from '../../web/src/pages/dashboard.js';
import { SessionContext, createSession } from '../../web/src/session.js';
import { json, meOf, sessionFor, startServer, type TestServer } from './support.js';

const plan = (n: number, status: string) => ({ planId: `01JPLAN${String(n).padStart(19, '0')}`, status, fiscalYear: 2026 });
/** 130 plans on two pages: 100 drafts, then 20 approved and the one in progress. */
const pages: Record<string, { items: unknown[]; nextCursor: string | null }> = {
  first: { items: Array.from({ length: 100 }, (_, i) => plan(i, 'draft')), nextCursor: 'second' },
  second: {
    items: [...Array.from({ length: 29 }, (_, i) => plan(100 + i, 'approved')), plan(129, 'inProgress')],
    nextCursor: null,
  },
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/plans') return json(res, 200, pages[url.searchParams.get('cursor') ?? 'first']);
    if (url.pathname.endsWith('/findings')) return json(res, 200, { items: [{ findingId: 'f1', scope: 'dx' }], nextCursor: null });
    json(res, 200, { items: [], nextCursor: null });
  });
});
afterAll(async () => {
  cleanup();
  await server.close();
});

describe('dashboard', () => {
  it('counts every plan of the year, all pages read once for both panels', async () => {
    const session = sessionFor(server.baseUrl, meOf('lead', ['auditLead']));
    render(h(SessionContext.Provider, { value: session, children: h(Dashboard, {}) }));
    await waitFor(() => expect(screen.getByText('起案中').closest('li')?.textContent).toBe('起案中: 100件'));
    expect(screen.getByText('承認済み').closest('li')?.textContent).toBe('承認済み: 29件');
    expect(screen.getByText('監査実施中').closest('li')?.textContent).toBe('監査実施中: 1件');
    await waitFor(() => expect(screen.getByRole('img').getAttribute('aria-label')).toContain('1件'));
    const planReads = server.requests.filter((r) => new URL(r.url, 'http://x').pathname === '/plans');
    expect(planReads.map((r) => new URL(r.url, 'http://x').searchParams.get('cursor'))).toEqual([null, 'second']);
    expect(planReads.every((r) => new URL(r.url, 'http://x').searchParams.get('limit') === '100')).toBe(true);
    expect(server.requests.filter((r) => r.url.includes(`/plans/${plan(129, '').planId}/findings`))).toHaveLength(1);
  });

  it('under a regulation without 監査 (003) shows no plans, 改善措置 or findings, and asks for none', async () => {
    cleanup();
    const profile = { ...koka, departments: [...demoDepartments], evidenceTypes: evidenceTypeList() };
    const api = createApi({ baseUrl: server.baseUrl, token: async () => 'test-token', onUnauthorized: () => {} });
    const before = server.requests.length;
    render(
      h(SessionContext.Provider, {
        value: createSession(meOf('vice-mayor', ['chiefManager']), profile, api, () => {}),
        children: h(Dashboard, {}),
      }),
    );
    await screen.findByText('自分のタスク');
    await waitFor(() => expect(server.requests.length).toBeGreaterThan(before));
    const asked = server.requests.slice(before).map((r) => new URL(r.url, 'http://x').pathname);
    expect(asked.filter((path) => path.startsWith('/plans') || path.startsWith('/actions'))).toEqual([]);
    // Its training (第22条第2項第3号) has a completion card of its own.
    expect(screen.queryAllByRole('heading', { level: 2 }).map((e) => e.textContent)).toEqual([
      '自分のタスク',
      expect.stringMatching(/の研修の受講状況$/),
    ]);
  });
});
