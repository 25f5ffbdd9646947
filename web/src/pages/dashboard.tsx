import { pendingStatuses } from '#lib/domain/action.js';
import { planStatuses, startedStatuses } from '#lib/domain/plan.js';
import { scopeIds } from '#lib/domain/scopes.js';
import { useState } from 'preact/hooks';
import { DepartmentFilter, listScope } from '../components/departments.js';
import { TaskList } from '../components/task-list.js';
import { Empty, Loading, PageTitle, ProblemAlert } from '../components/ui.js';
import { currentFiscalYear, fiscalYearText } from '../format.js';
import { useAll } from '../hooks.js';
import { actionStatusLabels, planStatusLabels } from '../labels.js';
import { scopeTitle } from '../scope-preview.js';
import { useSession } from '../session.js';
import { isShownOverdue } from '../overdue.js';
import type { ActionView, Finding, Plan } from '../types.js';
import { cite, holdsAudits } from '#lib/domain/provisions.js';
import { readsEveryRegister } from '#lib/domain/permissions.js';
import { completionRows, completionText, offeredAudiences } from '../training-view.js';
import type { TrainingView } from '../types.js';

/** A small inline SVG bar chart (no chart library). */
export function BarChart({ title, bars }: { title: string; bars: { label: string; value: number }[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 28;
  const width = 320;
  const labelW = 120;
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.value}件`).join('、')}`}
        viewBox={`0 0 ${width} ${bars.length * rowH}`}
        width="100%"
      >
        {bars.map((b, i) => {
          const w = ((width - labelW - 40) * b.value) / max;
          return (
            <g key={b.label} transform={`translate(0 ${i * rowH})`}>
              <text x={0} y={18} font-size="13" fill="#1a1a1a">
                {b.label}
              </text>
              <rect x={labelW} y={6} width={w} height={16} fill="#1d4ed8" />
              <text x={labelW + w + 6} y={18} font-size="13" fill="#1a1a1a">
                {b.value}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

function PlansOfYear({ fiscalYear }: { fiscalYear: number }) {
  const list = useAll<Plan>('/plans', { fiscalYear });
  return (
    <section class="panel">
      <h2>{fiscalYearText(fiscalYear)}の監査計画</h2>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.loading ? (
        <Loading />
      ) : list.items.length === 0 ? (
        !list.error && <Empty />
      ) : (
        <ul class="counts">
          {planStatuses
            .map((s) => [s, list.items.filter((p) => p.status === s).length] as const)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => (
              <li key={s}>
                <a href={`/plans?fiscalYear=${fiscalYear}&status=${s}`}>{planStatusLabels[s]}</a>: {n}件
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}

function ActionsByDepartment() {
  const session = useSession();
  const { departmentLabel } = session;
  // A 保護責任者 (部長) names one 課 of the 部 at a time; others get what they may see.
  const scope = listScope(session);
  const [department, setDepartment] = useState(scope.all ? '' : scope.department);
  const list = useAll<ActionView>('/actions', { department });
  const open = list.items.filter((a) => pendingStatuses.includes(a.status) || a.status === 'submitted');
  const departments = [...new Set(open.map((a) => a.department))].sort();
  return (
    <section class="panel">
      <h2>課別の改善措置（未完了・期限超過）</h2>
      {!scope.all && scope.sections.length > 1 && <DepartmentFilter scope={scope} value={department} onValue={setDepartment} />}
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.loading ? (
        <Loading />
      ) : departments.length === 0 ? (
        !list.error && <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">課</th>
              <th scope="col">未完了</th>
              <th scope="col">期限超過</th>
            </tr>
          </thead>
          <tbody>
            {departments.map((d) => {
              const mine = open.filter((a) => a.department === d);
              const overdue = mine.filter(isShownOverdue).length;
              return (
                <tr key={d}>
                  <th scope="row">
                    <a href={`/actions?department=${encodeURIComponent(d)}`}>{departmentLabel(d)}</a>
                  </th>
                  <td>{mine.length}</td>
                  <td>{overdue > 0 ? <a href={`/actions?department=${encodeURIComponent(d)}&overdue=true`}>{overdue}</a> : 0}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p class="meta">
        状態: {pendingStatuses.map((s) => actionStatusLabels[s]).join('・')}・{actionStatusLabels.submitted}
      </p>
    </section>
  );
}

function FindingsByScope({ fiscalYear }: { fiscalYear: number }) {
  const { profile } = useSession();
  const plans = useAll<Plan>('/plans', { fiscalYear });
  const current = plans.items.find((p) => startedStatuses.includes(p.status) && !p.supersededBy);
  const findings = useAll<Finding>(current ? `/plans/${current.planId}/findings` : null);
  const scopes = scopeIds.filter((s) => s === 'lead' || profile.auditorScopes.some((a) => a.scope === s));
  return (
    <section class="panel">
      <h2>監査範囲別の所見</h2>
      <ProblemAlert error={plans.error ?? findings.error} />
      {plans.loading || (current && findings.loading) ? (
        <Loading />
      ) : !current || findings.items.length === 0 ? (
        <Empty />
      ) : (
        <BarChart
          title={`${fiscalYearText(current.fiscalYear)}の所見（監査範囲別）`}
          bars={scopes.map((s) => ({ label: scopeTitle(profile, s), value: findings.items.filter((f) => f.scope === s).length }))}
        />
      )}
    </section>
  );
}

/**
 * The 年度's training completion by session and 課: every 課 for the 総括保護管理者 and the auditors
 * of training, the 課's own for its 保護管理者.
 */
function TrainingCompletion({ fiscalYear }: { fiscalYear: number }) {
  const session = useSession();
  const { profile, departmentLabel } = session;
  const list = useAll<TrainingView>('/trainings', { fiscalYear });
  const rows = completionRows(session, list.items, readsEveryRegister(session.actor, 'training', profile));
  return (
    <section class="panel">
      <h2>
        {fiscalYearText(fiscalYear)}の研修の受講状況{cite(profile.provisions, 'training')}
      </h2>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : rows.length === 0 ? (
        !list.error && <Empty>この年度の研修はまだ計画されていません</Empty>
      ) : (
        <table aria-label="研修別・課別の受講状況">
          <thead>
            <tr>
              <th scope="col">研修名</th>
              <th scope="col">課</th>
              <th scope="col">受講</th>
              <th scope="col">うち再受講</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ training, completion }) => (
              <tr key={`${training.trainingId}-${completion?.department ?? ''}`}>
                <th scope="row">
                  <a href={`/trainings/${training.trainingId}`}>{training.name}</a>
                </th>
                <td>{completion ? departmentLabel(completion.department) : '—'}</td>
                <td>{completion ? completionText(completion) : '—'}</td>
                <td>{completion ? `${completion.retaken}人` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** ダッシュボード: my tasks, the year's plans by status, actions by 課, findings by scope. */
export default function Dashboard() {
  const session = useSession();
  const fy = currentFiscalYear();
  // No plans, and so no 改善措置 nor findings by scope, under a regulation without 監査.
  const audits = holdsAudits(session.profile.provisions);
  return (
    <>
      <PageTitle title="ダッシュボード">ダッシュボード</PageTitle>
      <section class="panel">
        <h2>自分のタスク</h2>
        <TaskList query={{ mine: 'true', limit: 10 }} empty="未完了のタスクはありません" />
      </section>
      {audits && session.can('plan:list') && <PlansOfYear fiscalYear={fy} />}
      {audits && session.can('action:list') && <ActionsByDepartment />}
      {audits && session.can('plan:list') && session.can('finding:list') && <FindingsByScope fiscalYear={fy} />}
      {offeredAudiences(session.profile).length > 0 && session.can('attendance:read') && <TrainingCompletion fiscalYear={fy} />}
    </>
  );
}
