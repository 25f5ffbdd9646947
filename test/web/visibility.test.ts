// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ComponentChildren, h } from 'preact';
import { LocationProvider, Route, Router } from 'preact-iso';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { MainNav } from '../../web/src/app.js';
import PlanDetail from '../../web/src/pages/plan-detail.js';
import { SessionContext } from '../../web/src/session.js';
import type { Role } from '#lib/domain/roles.js';
import { json, meOf, sessionFor, startServer, type TestServer } from './support.js';

const PLAN_ID = '01JPLAN0000000000000000001';
let server: TestServer;

const submittedPlan = {
  planId: PLAN_ID,
  fiscalYear: 2026,
  status: 'submitted',
  version: 2,
  revision: 1,
  purpose: '保有個人情報等の適切な管理を検証する',
  scope: '第2章から第7章まで',
  auditedDepartments: ['citizens'],
  methods: ['document', 'onSite'],
  schedule: { from: '2026-10-01', to: '2026-11-30' },
  team: [],
  criteria: '郡山市保有個人情報等の取扱基準',
  createdBy: 'policy-director',
  createdAt: '2026-09-01T00:00:00Z',
  lastEditedBy: 'policy-director',
  lastEditedAt: '2026-09-01T00:00:00Z',
  submittedBy: 'policy-director',
  submittedAt: '2026-09-02T00:00:00Z',
  updatedAt: '2026-09-02T00:00:00Z',
  profile: { id: '001', version: 'x' },
};

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === `/plans/${PLAN_ID}`) return json(res, 200, submittedPlan, { etag: '"2"' });
    if (req.url.startsWith('/evidence?') || req.url.startsWith('/audit-log?')) return json(res, 200, { items: [], nextCursor: null });
    json(res, 404, { title: '見つかりません', status: 404, detail: '見つかりません。' });
  });
});
afterAll(() => server.close());
afterEach(cleanup);

function renderAs(sub: string, roles: Role[], node: ComponentChildren) {
  const session = sessionFor(server.baseUrl, meOf(sub, roles));
  return render(h(SessionContext.Provider, { value: session, children: h(LocationProvider, { children: node }) }));
}

function renderPlanAs(sub: string, roles: Role[]) {
  window.history.replaceState(null, '', `/plans/${PLAN_ID}`);
  return renderAs(sub, roles, h(Router, null, h(Route, { path: '/plans/:planId', component: PlanDetail })));
}

const navLabels = () => screen.getAllByRole('link').map((a) => a.textContent);

describe('what each role is offered', () => {
  it('the menu shows only what the roles may open', () => {
    renderAs('clerk', [], h(MainNav, {}));
    expect(navLabels()).not.toContain('監査計画');
    expect(navLabels()).not.toContain('改善措置');
    expect(navLabels()).toContain('ダッシュボード');
    cleanup();
    renderAs('citizens-staff', ['sectionStaff'], h(MainNav, {}));
    expect(navLabels()).toContain('改善措置');
    expect(navLabels()).not.toContain('監査計画');
    cleanup();
    renderAs('policy-director', ['auditLead', 'deputyManager'], h(MainNav, {}));
    expect(navLabels()).toEqual(expect.arrayContaining(['監査計画', '改善措置', '消去・廃棄']));
  });

  it('the 総括保護管理者 is offered 承認 and 差戻し on a plan someone else submitted', async () => {
    renderPlanAs('vice-mayor', ['chiefManager']);
    await screen.findByText('承認待ち');
    expect(screen.getByRole('button', { name: '承認' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '差戻し' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '提出' })).toBeNull();
    expect(screen.queryByRole('button', { name: '編集' })).toBeNull();
  });

  it('nobody is offered to approve a plan they drafted, whatever their roles (職務の分離)', async () => {
    renderPlanAs('policy-director', ['auditLead', 'chiefManager']);
    await screen.findByText('承認待ち');
    await waitFor(() => expect(screen.getByText('履歴')).toBeTruthy());
    expect(screen.queryByRole('button', { name: '承認' })).toBeNull();
    expect(screen.queryByRole('button', { name: '差戻し' })).toBeNull();
  });

  it('section staff do not see the workflow of a plan', async () => {
    renderPlanAs('citizens-staff', ['sectionStaff']);
    await screen.findByText('承認待ち');
    for (const name of ['承認', '差戻し', '提出', '編集', '監査を開始']) expect(screen.queryByRole('button', { name })).toBeNull();
    expect(screen.queryByText('履歴')).toBeNull();
  });
});
