import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, lazy } from 'preact-iso';
import { actionRoles, type Action } from '#lib/domain/permissions.js';
import { createApi } from './api.js';
import { type Auth, createAuth } from './auth.js';
import { loadConfig } from './config.js';
import { type Session, SessionContext, createSession, useSession } from './session.js';
import type { Me, Profile } from './types.js';
import { PageTitle, ProblemAlert } from './components/ui.js';
import { holdsAudits } from '#lib/domain/provisions.js';

const Dashboard = lazy(() => import('./pages/dashboard.js'));
const Tasks = lazy(() => import('./pages/tasks.js'));
const Plans = lazy(() => import('./pages/plans.js'));
const PlanDetail = lazy(() => import('./pages/plan-detail.js'));
const Findings = lazy(() => import('./pages/findings.js'));
const FindingLink = lazy(() => import('./pages/finding-link.js'));
const Actions = lazy(() => import('./pages/actions.js'));
const ActionDetail = lazy(() => import('./pages/action-detail.js'));
const EvidenceDetail = lazy(() => import('./pages/evidence-detail.js'));
const Disposals = lazy(() => import('./pages/disposals.js'));
const DisposalDetail = lazy(() => import('./pages/disposal-detail.js'));
const Inspections = lazy(() => import('./pages/inspections.js'));
const InspectionDetail = lazy(() => import('./pages/inspection-detail.js'));
const Contractors = lazy(() => import('./pages/contractors.js'));
const ContractorDetail = lazy(() => import('./pages/contractor-detail.js'));
const Incidents = lazy(() => import('./pages/incidents.js'));
const IncidentReport = lazy(() => import('./pages/incident-report.js'));
const IncidentDetail = lazy(() => import('./pages/incident-detail.js'));
const StaffRegister = lazy(() => import('./pages/staff.js'));
const Trainings = lazy(() => import('./pages/trainings.js'));
const TrainingDetail = lazy(() => import('./pages/training-detail.js'));

type Phase =
  | { name: 'boot' }
  | { name: 'failed'; error: unknown }
  | { name: 'signIn'; auth: Auth }
  | { name: 'signedOut'; auth: Auth }
  | { name: 'expired'; auth: Auth; returnTo: string }
  | { name: 'ready'; session: Session };

const here = () => `${window.location.pathname}${window.location.search}`;

/** Whether to offer a screen or action; actions the permission table does not know yet are left to the server. */
export function mayOffer(session: Session, action: string): boolean {
  return action in actionRoles ? session.can(action as Action) : true;
}

/** Boot: config → sign-in state → /me and /profile → the app. */
export function App() {
  const [phase, setPhase] = useState<Phase>({ name: 'boot' });

  useEffect(() => {
    let auth: Auth | undefined;
    const expire = () => {
      if (!auth) return;
      const a = auth;
      const returnTo = window.location.pathname === '/session-expired' ? '/' : here();
      void a.forget();
      window.history.pushState(null, '', '/session-expired');
      setPhase({ name: 'expired', auth: a, returnTo });
    };
    (async () => {
      const cfg = await loadConfig();
      auth = createAuth(cfg, expire);
      const path = window.location.pathname;
      if (path === '/auth/callback') window.history.replaceState(null, '', await auth.completeSignIn());
      if (path === '/signed-out') return setPhase({ name: 'signedOut', auth });
      if (path === '/session-expired') return setPhase({ name: 'expired', auth, returnTo: '/' });
      if (!(await auth.idToken())) return setPhase({ name: 'signIn', auth });
      const a = auth;
      const api = createApi({ baseUrl: cfg.apiBaseUrl, token: () => a.idToken(), onUnauthorized: expire });
      const [me, profile] = await Promise.all([api.get<Me>('/me'), api.get<Profile>('/profile')]);
      setPhase({ name: 'ready', session: createSession(me.data, profile.data, api, () => void a.signOut()) });
    })().catch((error: unknown) => setPhase((p) => (p.name === 'expired' ? p : { name: 'failed', error })));
  }, []);

  switch (phase.name) {
    case 'boot':
      return (
        <p class="state boot" role="status">
          読み込み中…
        </p>
      );
    case 'failed':
      return (
        <PublicPage title="エラー" heading="kansa を開けませんでした" button="再読み込み" onClick={() => window.location.reload()}>
          <ProblemAlert error={phase.error} onRetry={() => window.location.reload()} />
        </PublicPage>
      );
    case 'signIn':
      return (
        <PublicPage title="ログイン" heading="kansa 個人情報保護監査" button="ログイン" onClick={() => void phase.auth.signIn(here())}>
          <p>続けるにはログインしてください。</p>
        </PublicPage>
      );
    case 'signedOut':
      return <PublicPage title="ログアウト" heading="ログアウトしました" button="ログイン" onClick={() => void phase.auth.signIn('/')} />;
    case 'expired':
      return (
        <PublicPage
          title="セッション切れ"
          heading="セッションの有効期限が切れました"
          button="再ログイン"
          onClick={() => void phase.auth.signIn(phase.returnTo)}
        >
          <p>安全のため、もう一度ログインしてください。入力中の内容は保存されていない場合があります。</p>
        </PublicPage>
      );
    case 'ready':
      return (
        <SessionContext.Provider value={phase.session}>
          <LocationProvider>
            <Shell />
          </LocationProvider>
        </SessionContext.Provider>
      );
  }
}

/** A screen without a session: its heading, what it says and the one thing to do. */
function PublicPage({
  title,
  heading,
  button,
  onClick,
  children,
}: {
  title: string;
  heading: string;
  button: string;
  onClick: () => void;
  children?: ComponentChildren;
}) {
  return (
    <main class="public">
      <PageTitle title={title}>{heading}</PageTitle>
      {children}
      <button type="button" onClick={onClick}>
        {button}
      </button>
    </main>
  );
}

function NotFound() {
  return (
    <>
      <PageTitle title="見つかりません">ページが見つかりません</PageTitle>
      <p>
        <a href="/">ダッシュボードへ戻る</a>
      </p>
    </>
  );
}

/** The menu entries: path, label, the action that opens it, and whether it belongs to 監査 (its plans and their 改善措置). */
const menu = [
  ['/', 'ダッシュボード', 'me:read', false],
  ['/tasks', 'タスク', 'me:read', false],
  ['/plans', '監査計画', 'plan:list', true],
  ['/actions', '改善措置', 'action:list', true],
  ['/disposals', '消去・廃棄', 'disposal:list', false],
  ['/inspections', '点検', 'inspection:list', false],
  ['/contractors', '委託先', 'contractor:list', false],
  ['/incidents/new', '事案の報告', 'incident:create', false],
  ['/incidents', '事案', 'incident:list', false],
  ['/staff', '職員名簿', 'staff:list', false],
  ['/trainings', '研修', 'training:list', false],
] as const;

/** The main menu: only the screens the user's roles may open. */
export function MainNav() {
  const session = useSession();
  // Under a regulation without 監査 (003, unless its deployment audits) there are no plans, nor their 改善措置;
  // a 事案 is reported by anyone with a 課 (DOMAIN.md), roles or none.
  const links = useMemo(
    () =>
      menu.filter(
        ([, , action, audit]) =>
          mayOffer(session, action) &&
          (!audit || holdsAudits(session.profile.provisions)) &&
          (action !== 'incident:create' || session.me.department !== ''),
      ),
    [session],
  );
  return (
    <nav aria-label="メインメニュー">
      <ul>
        {links.map(([href, label]) => (
          <li key={href}>
            <a href={href}>{label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Shell() {
  const session = useSession();
  const { me, profile } = session;
  return (
    <>
      <a class="skip" href="#main">
        本文へ移動
      </a>
      <header class="top">
        <div class="brand">
          <a href="/">kansa</a>
          <span class="org">{profile.organisation}</span>
        </div>
        <div class="who">
          <span>
            {me.name}（{me.roleTitles.join('・') || '役割なし'}）
          </span>
          <button type="button" class="link" onClick={session.signOut}>
            ログアウト
          </button>
        </div>
        <MainNav />
      </header>
      <main id="main">
        <ErrorBoundary>
          <Router>
            <Route path="/" component={Dashboard} />
            <Route path="/tasks" component={Tasks} />
            <Route path="/plans" component={Plans} />
            <Route path="/plans/:planId" component={PlanDetail} />
            <Route path="/plans/:planId/findings" component={Findings} />
            <Route path="/findings/:findingId" component={FindingLink} />
            <Route path="/actions" component={Actions} />
            <Route path="/actions/:actionId" component={ActionDetail} />
            <Route path="/evidence/:evidenceId" component={EvidenceDetail} />
            <Route path="/disposals" component={Disposals} />
            <Route path="/disposals/:disposalId" component={DisposalDetail} />
            <Route path="/inspections" component={Inspections} />
            <Route path="/inspections/:inspectionId" component={InspectionDetail} />
            <Route path="/contractors" component={Contractors} />
            <Route path="/contractors/:contractorId" component={ContractorDetail} />
            <Route path="/incidents" component={Incidents} />
            <Route path="/incidents/new" component={IncidentReport} />
            <Route path="/incidents/:incidentId" component={IncidentDetail} />
            <Route path="/staff" component={StaffRegister} />
            <Route path="/trainings" component={Trainings} />
            <Route path="/trainings/:trainingId" component={TrainingDetail} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </main>
    </>
  );
}
