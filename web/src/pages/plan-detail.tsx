import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import {
  type PlanTransition,
  approvePlanSchema,
  auditMethodLabels,
  editableStatuses,
  planTransitions,
  returnPlanSchema,
  startedStatuses,
} from '#lib/domain/plan.js';
import { checked } from '../api.js';
import { planStatusLabels, roleLabel } from '../labels.js';
import { EvidenceSection } from '../components/evidence.js';
import { History } from '../components/history.js';
import { PlanForm } from '../components/plan-form.js';
import { Dialog, Loading, PageTitle, ProblemAlert, StatusBadge, TextArea, fieldError, openBlob } from '../components/ui.js';
import { dateText, dateTimeText, fiscalYearText } from '../format.js';
import { useCreateIntent, useResource, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Plan } from '../types.js';
import { NoAudits } from '../components/no-audits.js';
import { approvalHint, closeGateHint, planFormName, reportGateHint } from '../wording.js';
import { holdsAudits } from '#lib/domain/provisions.js';
import { offersTrainingAppendix } from '../audit-links.js';

/** The transitions taken with one button; 承認 and 差戻し ask for a comment or reason first. */
const transitionButtons: {
  t: Exclude<PlanTransition, 'approve' | 'return'>;
  label: string;
  action: 'plan:submit' | 'plan:start' | 'plan:report' | 'plan:close';
}[] = [
  { t: 'submit', label: '提出', action: 'plan:submit' },
  { t: 'start', label: '監査を開始', action: 'plan:start' },
  { t: 'report', label: '監査結果を報告', action: 'plan:report' },
  { t: 'close', label: '完了にする', action: 'plan:close' },
];

/** Whether the plan's status allows the transition (lib/domain/plan.ts, the server's state machine). */
const allows = (p: Plan, t: PlanTransition) => planTransitions[t].from.includes(p.status);

/** 監査計画: 様式第4号 fields, the workflow buttons the user may use, documents and 履歴. */
export default function PlanDetail() {
  const { profile } = useSession();
  return holdsAudits(profile.provisions) ? <PlanScreen /> : <NoAudits />;
}

function PlanScreen() {
  const session = useSession();
  const { api, profile } = session;
  const { planId } = useRoute().params as { planId: string };
  const { route } = useLocation();
  const plan = useResource<Plan>(`/plans/${planId}`);
  const runner = useRunner();
  const revisionIntent = useCreateIntent();
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<'approve' | 'return' | null>(null);
  const [text, setText] = useState('');
  const [withAppendix, setWithAppendix] = useState(false);

  if (!plan.data) return plan.error ? <ProblemAlert error={plan.error} onRetry={plan.reload} /> : <Loading />;
  const p = plan.data;
  const resource = { type: 'plan' as const, plan: p };
  const reload = () => {
    runner.clear();
    void plan.reload();
  };
  const transition = (t: PlanTransition, body: object = {}) =>
    runner.run(async () => {
      if (t === 'approve') checked(approvePlanSchema, body);
      if (t === 'return') checked(returnPlanSchema, body);
      const r = await api.post<Plan>(`/plans/${p.planId}/${t}`, body, plan.etag);
      plan.set(r);
      setDialog(null);
      setText('');
    });
  // 001 prints its plans on 様式第4号 (第26条); a regulation without a form has the plan itself.
  const form = planFormName(profile);
  const planDocument = form ?? '監査計画';
  const appendixOffered = offersTrainingAppendix(session, p);
  const exportDocument = (kind: 'form4' | 'results', format: 'xlsx' | 'html') =>
    runner.run(async () => {
      const blob = await api.blob(`/plans/${p.planId}/${kind}`, {
        format,
        ...(kind === 'results' && appendixOffered && withAppendix ? { appendix: 'training' } : {}),
      });
      openBlob(blob, `${kind === 'form4' ? planDocument : '監査結果報告書'}_${p.fiscalYear}.${format}`, format === 'xlsx');
    });
  const chief = roleLabel(profile, profile.plans.approvedBy);
  // The rule behind the step the plan waits for, where someone may take it.
  const stepHint =
    p.status === 'submitted'
      ? approvalHint(profile)
      : p.status === 'inProgress' && session.can('plan:report', resource)
        ? reportGateHint(profile)
        : p.status === 'reported' && session.can('plan:close', resource)
          ? closeGateHint(profile)
          : undefined;

  return (
    <>
      <PageTitle title="監査計画">
        {fiscalYearText(p.fiscalYear)} 監査計画{p.revision > 1 ? `（第${p.revision}版）` : ''}
      </PageTitle>
      <p>
        状態: <StatusBadge status={p.status} label={planStatusLabels[p.status]} />
      </p>
      {p.status === 'returned' && p.returnReason && (
        <p class="notice" role="note">
          差戻しの理由: {p.returnReason}
        </p>
      )}
      <ProblemAlert error={runner.error} onReload={reload} onRetry={reload} />
      <div class="buttons">
        {editableStatuses.includes(p.status) && session.can('plan:update') && !editing && (
          <button type="button" class="secondary" onClick={() => setEditing(true)}>
            編集
          </button>
        )}
        {transitionButtons
          .filter((b) => allows(p, b.t) && session.can(b.action, resource))
          .map((b) => (
            <button key={b.t} type="button" disabled={runner.busy} onClick={() => void transition(b.t)}>
              {b.label}
            </button>
          ))}
        {allows(p, 'approve') && session.can('plan:approve', resource) && (
          <button type="button" onClick={() => setDialog('approve')}>
            承認
          </button>
        )}
        {allows(p, 'return') && session.can('plan:return', resource) && (
          <button type="button" class="danger" onClick={() => setDialog('return')}>
            差戻し
          </button>
        )}
        {p.status === 'approved' && !p.supersededBy && !p.pendingRevisionId && session.can('plan:revise') && (
          <button
            type="button"
            class="secondary"
            disabled={runner.busy}
            onClick={() =>
              void runner.run(async () => {
                const r = await api.create<Plan>(`/plans/${p.planId}/revisions`, {}, revisionIntent, plan.etag);
                route(`/plans/${r.data.planId}`);
              })
            }
          >
            改訂版を作成
          </button>
        )}
        {startedStatuses.includes(p.status) && session.can('finding:list') && (
          <a class="button secondary" href={`/plans/${p.planId}/findings`}>
            所見
          </a>
        )}
      </div>
      {stepHint && <p class="hint">{stepHint}</p>}
      {editing && (
        <PlanForm
          plan={p}
          etag={plan.etag}
          defaultFiscalYear={p.fiscalYear}
          onSaved={(saved, etag) => {
            plan.set({ data: saved, etag });
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
          onReload={() => {
            setEditing(false);
            reload();
          }}
        />
      )}
      <Dialog
        open={dialog !== null}
        title={dialog === 'approve' ? `監査計画を承認（${chief}）` : `監査計画を差し戻す（${chief}）`}
        onClose={() => setDialog(null)}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (dialog === 'approve') void transition('approve', text.trim() ? { comment: text } : {});
            else void transition('return', { reason: text });
          }}
        >
          {dialog === 'approve' ? (
            <TextArea label="コメント" value={text} onValue={setText} error={fieldError(runner.error, 'comment')} />
          ) : (
            <TextArea label="差戻しの理由" required value={text} onValue={setText} error={fieldError(runner.error, 'reason')} />
          )}
          <ProblemAlert error={runner.error} onReload={reload} />
          <div class="buttons">
            <button type="submit" disabled={runner.busy || (dialog === 'return' && !text.trim())}>
              {dialog === 'approve' ? '承認する' : '差し戻す'}
            </button>
            <button type="button" class="secondary" onClick={() => setDialog(null)}>
              キャンセル
            </button>
          </div>
        </form>
      </Dialog>
      <section class="panel">
        <h2>{form ?? '計画の内容'}</h2>
        <dl class="fields">
          <dt>年度</dt>
          <dd>{fiscalYearText(p.fiscalYear)}</dd>
          <dt>監査目的</dt>
          <dd class="pre">{p.purpose}</dd>
          <dt>監査範囲</dt>
          <dd class="pre">{p.scope}</dd>
          <dt>被監査部門</dt>
          <dd>{p.auditedDepartments.map(session.departmentLabel).join('、')}</dd>
          <dt>監査方法</dt>
          <dd>{p.methods.map((m) => auditMethodLabels[m]).join('・')}</dd>
          <dt>監査実施日程</dt>
          <dd>
            {dateText(p.schedule.from)} 〜 {dateText(p.schedule.to)}
            {p.schedule.byDepartment?.map((d) => (
              <div key={d.department}>
                {session.departmentLabel(d.department)}: {dateText(d.from)} 〜 {dateText(d.to)}
              </div>
            ))}
          </dd>
          <dt>監査実施体制</dt>
          <dd>{p.team.length === 0 ? '—' : p.team.map((m) => `${roleLabel(profile, m.role)}: ${m.userId}`).join('、')}</dd>
          <dt>適用基準</dt>
          <dd>{p.criteria}</dd>
          <dt>監査結果のフォローアップ</dt>
          <dd class="pre">{p.followUp ?? '—'}</dd>
          <dt>起案</dt>
          <dd>
            {p.createdBy}・{dateTimeText(p.createdAt)}
          </dd>
          {p.submittedAt && (
            <>
              <dt>提出</dt>
              <dd>
                {p.submittedBy}・{dateTimeText(p.submittedAt)}
              </dd>
            </>
          )}
          {p.approvedAt && (
            <>
              <dt>承認</dt>
              <dd>
                {p.approvedBy}・{dateTimeText(p.approvedAt)}
                {p.approvalComment ? `（${p.approvalComment}）` : ''}
              </dd>
            </>
          )}
        </dl>
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => void exportDocument('form4', 'xlsx')}>
            {planDocument}（Excel）をダウンロード
          </button>
          <button type="button" class="secondary" onClick={() => void exportDocument('form4', 'html')}>
            {planDocument}（印刷用）を開く
          </button>
          {['reported', 'closed', 'inProgress'].includes(p.status) && (
            <>
              {appendixOffered && (
                <label class="check">
                  <input type="checkbox" checked={withAppendix} onChange={(e) => setWithAppendix(e.currentTarget.checked)} />
                  研修の受講状況（被監査部門別）を付録に加える
                </label>
              )}
              <button type="button" class="secondary" onClick={() => void exportDocument('results', 'xlsx')}>
                監査結果報告書（Excel）をダウンロード
              </button>
            </>
          )}
        </div>
      </section>
      <EvidenceSection
        target={{ type: 'plan', id: p.planId }}
        canAttach={session.can('evidence:create', {
          type: 'evidenceTarget',
          target: { type: 'plan' },
          owners: [],
          organisation: { departments: [] },
        })}
      />
      {session.can('auditLog:read') && <History key={p.version} entityType="plan" entityId={p.planId} />}
    </>
  );
}
