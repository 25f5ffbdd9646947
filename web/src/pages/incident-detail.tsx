import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import {
  type Incident,
  type IncidentStep,
  type NoticeKind,
  type PpcStage,
  closeIncidentSchema,
  containSchema,
  escalateSchema,
  incidentCategoryLabels,
  investigateSchema,
  noticeKindLabels,
  noticeSchema,
  ppcReportSchema,
  ppcStageLabels,
  ppcStages,
  preventionSchema,
  updateIncidentSchema,
} from '#lib/domain/incident.js';
import type { Resource } from '#lib/domain/permissions.js';
import { type Result, checked } from '../api.js';
import { DepartmentChecks } from '../components/departments.js';
import { EvidenceSection } from '../components/evidence.js';
import { FactsFields } from '../components/incident-facts.js';
import {
  Loading,
  PageTitle,
  ProblemAlert,
  SaveForm,
  SelectField,
  StatusBadge,
  TextArea,
  TextField,
  fieldError,
  openBlob,
} from '../components/ui.js';
import { dateText, dateTimeText, fiscalYearText, todayInJapan } from '../format.js';
import { useResource, useRunner } from '../hooks.js';
import {
  type FactsDraft,
  type IncidentOffers,
  deadlineText,
  factFlagLabels,
  factFlags,
  factsBody,
  factsOfIncident,
  incidentOffers,
  incidentTimeline,
  localJst,
  voluntaryPpcHint,
} from '../incident-view.js';
import { incidentStatusLabels, optionsOf } from '../labels.js';
import { type Session, useSession } from '../session.js';
import { incidentClockNotes, incidentNoticeCite, incidentSharingHint, incidentStepTitle, incidentStepWho } from '../wording.js';

type IncidentResource = Extract<Resource, { type: 'incident' }>;

/** A datetime-local value (Japan time) as the API's instant. */
const instantOf = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}+09:00` : '');
const opt = (v: string) => (v.trim() ? v.trim() : undefined);

/** One step's form: its heading with the rule, who records it, its fields and its button; its own errors beside it. */
function StepForm({
  title,
  who,
  submit,
  onSave,
  children,
}: {
  title: string;
  who?: string | undefined;
  submit: string;
  onSave: (err: (path: string) => string | undefined) => Promise<unknown>;
  children: (err: (path: string) => string | undefined) => ComponentChildren;
}) {
  const runner = useRunner();
  const err = (p: string) => fieldError(runner.error, p);
  return (
    <SaveForm runner={runner} submit={submit} label={title} onSave={() => onSave(err)}>
      <h3>{title}</h3>
      {who && <p class="hint">{who}</p>}
      {children(err)}
    </SaveForm>
  );
}

/** The 速報 and 確報: each deadline with the days left, or when it was filed. */
function Deadlines({ x }: { x: Incident }) {
  const today = todayInJapan();
  const stages = ppcStages.filter((s) => x.assessment.deadlines[s] || x.ppcReports[s]);
  if (stages.length === 0) return null;
  return (
    <ul class="deadlines">
      {stages.map((stage) => {
        const date = x.assessment.deadlines[stage];
        const filed = x.ppcReports[stage] ?? (stage === 'preliminary' ? x.ppcReports.final : undefined);
        const days = date && !filed && x.status !== 'closed' ? deadlineText(today, date) : undefined;
        return (
          <li key={stage} class={`deadline${days?.startsWith('期限を') ? ' deadline-overdue' : ''}${filed ? ' deadline-filed' : ''}`}>
            <span class="deadline-stage">{ppcStageLabels[stage]}</span>
            {date && <span class="deadline-date">期限 {dateText(date)}</span>}
            {days && <strong class="deadline-left">{days}</strong>}
            {filed && (
              <span class="deadline-note">
                {x.ppcReports[stage] ? '提出済み' : '確報で提出済み'}（{dateTimeText(filed.submittedAt)}）
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** The facts editor: only what changed goes, with If-Match; the answer carries the recomputed assessment. */
function FactsEditor({
  x,
  etag,
  onSaved,
  onCancel,
}: {
  x: Incident;
  etag: string | null;
  onSaved: (r: Result<Incident>) => void;
  onCancel: () => void;
}) {
  const { api } = useSession();
  const runner = useRunner();
  const [initial] = useState(() => factsOfIncident(x));
  const [facts, setFacts] = useState<FactsDraft>(initial);
  const err = (p: string) => fieldError(runner.error, p);
  const save = async () => {
    const now = factsBody(facts);
    const before = factsBody(initial);
    const records = Object.fromEntries(
      Object.entries(now.records).filter(
        ([k, v]) => JSON.stringify(v) !== JSON.stringify(before.records[k as keyof typeof before.records]),
      ),
    );
    const body = {
      ...(facts.discoveredAt !== initial.discoveredAt ? { discoveredAt: now.discoveredAt } : {}),
      ...(now.summary !== before.summary ? { summary: now.summary } : {}),
      ...(now.category !== before.category ? { category: now.category } : {}),
      ...(Object.keys(records).length > 0 ? { records } : {}),
    };
    onSaved(await api.patch<Incident>(`/incidents/${x.incidentId}`, checked(updateIncidentSchema, body), etag));
  };
  return (
    <SaveForm runner={runner} submit="修正を保存" label="事実関係の修正" onSave={save} onCancel={onCancel}>
      <h3>事実関係の修正</h3>
      <p class="hint">保存すると、報告の要否と期限を計算し直します。</p>
      <FactsFields value={facts} onValue={setFacts} error={err} />
    </SaveForm>
  );
}

/**
 * The forms of the steps the user may take now (`incidentOffers`: the profile's chain and the
 * 事案's state): a step done is not offered again, a notice the regulation lacks is never offered,
 * and 完了 shows what is still missing instead of a form the server would refuse.
 */
function StepForms({
  x,
  etag,
  set,
  offers,
}: {
  x: Incident;
  etag: string | null;
  set: (r: Result<Incident>) => void;
  offers: IncidentOffers;
}) {
  const session = useSession();
  const { api, profile } = session;
  const path = `/incidents/${x.incidentId}`;
  const post = async (step: string, schema: Parameters<typeof checked>[0], body: object) =>
    set(await api.post<Incident>(`${path}/${step}`, checked(schema, body), etag));
  const [contain, setContain] = useState('');
  const [inv, setInv] = useState({ findings: '', cause: '', secondaryHarm: '' });
  const [reason, setReason] = useState('');
  const [prev, setPrev] = useState<{ measures: string; cause: string; shareWith: string[] }>({ measures: '', cause: '', shareWith: [] });
  const ppcOffer = offers.ppcReport;
  const stagesLeft = ppcOffer?.stages ?? [];
  const [ppc, setPpc] = useState<{ stage: PpcStage | ''; submittedAt: string; reference: string }>({
    stage: stagesLeft[0] ?? '',
    submittedAt: localJst(new Date()),
    reference: '',
  });
  const noticesLeft = offers.notices;
  const [notice, setNotice] = useState<{ kind: NoticeKind | ''; at: string; note: string }>({
    kind: noticesLeft[0] ?? '',
    at: localJst(new Date()),
    note: '',
  });
  const [comment, setComment] = useState('');
  const mine = offers.acknowledge;
  const forms: ComponentChildren[] = [];

  if (offers.contain)
    forms.push(
      <StepForm
        key="contain"
        title={incidentStepTitle(profile, 'contain')}
        submit="措置を記録"
        onSave={() => post('contain', containSchema, { measures: contain })}
      >
        {(err) => <TextArea label="講じた措置" required value={contain} onValue={setContain} error={err('measures')} />}
      </StepForm>,
    );
  if (offers.investigate)
    forms.push(
      <StepForm
        key="investigate"
        title={incidentStepTitle(profile, 'investigate')}
        submit="調査の結果を報告"
        onSave={() =>
          post('investigate', investigateSchema, { findings: inv.findings, cause: opt(inv.cause), secondaryHarm: opt(inv.secondaryHarm) })
        }
      >
        {(err) => (
          <>
            <TextArea
              label="経緯・被害状況"
              required
              value={inv.findings}
              onValue={(findings) => setInv({ ...inv, findings })}
              error={err('findings')}
            />
            <TextArea label="原因" value={inv.cause} onValue={(cause) => setInv({ ...inv, cause })} error={err('cause')} />
            <TextArea
              label="二次被害またはそのおそれ"
              value={inv.secondaryHarm}
              onValue={(secondaryHarm) => setInv({ ...inv, secondaryHarm })}
              error={err('secondaryHarm')}
            />
          </>
        )}
      </StepForm>,
    );
  if (offers.escalate)
    forms.push(
      <StepForm
        key="escalate"
        title={incidentStepTitle(profile, 'escalate')}
        submit="特に重大な事案として報告"
        onSave={() => post('escalate', escalateSchema, { reason })}
      >
        {(err) => <TextArea label="特に重大と認める理由" required value={reason} onValue={setReason} error={err('reason')} />}
      </StepForm>,
    );
  if (offers.prevention)
    forms.push(
      <StepForm
        key="prevention"
        title={incidentStepTitle(profile, 'prevention')}
        submit="再発防止策を記録"
        onSave={() => post('prevention', preventionSchema, { measures: prev.measures, cause: opt(prev.cause), shareWith: prev.shareWith })}
      >
        {(err) => (
          <>
            <TextArea
              label="再発防止策"
              required
              value={prev.measures}
              onValue={(measures) => setPrev({ ...prev, measures })}
              error={err('measures')}
            />
            <TextArea label="原因" value={prev.cause} onValue={(cause) => setPrev({ ...prev, cause })} error={err('cause')} />
            {profile.incidents.sharesPrevention && (
              <>
                <DepartmentChecks
                  legend="共有先（同種の業務を行う課）"
                  value={prev.shareWith}
                  onValue={(shareWith) => setPrev({ ...prev, shareWith: shareWith.filter((d) => d !== x.department) })}
                  error={err('shareWith')}
                />
                <p class="hint">{incidentSharingHint(profile)}</p>
              </>
            )}
          </>
        )}
      </StepForm>,
    );
  if (mine)
    forms.push(
      <StepForm
        key="acknowledge"
        title="共有された再発防止策の確認"
        submit="内容を確認した"
        onSave={async () => set(await api.post<Incident>(`${path}/acknowledge`, {}, etag))}
      >
        {() => <p>{session.departmentLabel(mine)}として、この事案の再発防止策を確認したことを記録します。</p>}
      </StepForm>,
    );
  if (ppcOffer)
    forms.push(
      <StepForm
        key="ppc"
        title={incidentStepTitle(profile, 'ppcReport')}
        submit="報告を記録"
        onSave={() =>
          post('ppc-reports', ppcReportSchema, { stage: ppc.stage, submittedAt: instantOf(ppc.submittedAt), reference: opt(ppc.reference) })
        }
      >
        {(err) => (
          <>
            {ppcOffer.voluntary && <p class="hint">{voluntaryPpcHint(profile)}</p>}
            <SelectField
              label="報告の種類"
              required
              value={ppc.stage}
              onValue={(stage) => setPpc({ ...ppc, stage })}
              options={optionsOf(stagesLeft, ppcStageLabels)}
              error={err('stage')}
            />
            <TextField
              label="報告日時（日本時間）"
              type="datetime-local"
              required
              value={ppc.submittedAt}
              onValue={(submittedAt) => setPpc({ ...ppc, submittedAt })}
              error={err('submittedAt')}
            />
            <TextField
              label="受付番号"
              value={ppc.reference}
              onValue={(reference) => setPpc({ ...ppc, reference })}
              error={err('reference')}
            />
          </>
        )}
      </StepForm>,
    );
  if (noticesLeft.length > 0)
    forms.push(
      <StepForm
        key="notice"
        title="本人通知・公表・報告・情報提供"
        submit="記録する"
        onSave={() => post('notices', noticeSchema, { kind: notice.kind, at: instantOf(notice.at), note: opt(notice.note) })}
      >
        {(err) => (
          <>
            <SelectField
              label="種類"
              required
              value={notice.kind}
              onValue={(kind) => setNotice({ ...notice, kind })}
              options={noticesLeft.map((k) => [k, `${noticeKindLabels[k]}${incidentNoticeCite(profile, k)}`] as const)}
              error={err('kind')}
            />
            <TextField
              label="実施日時（日本時間）"
              type="datetime-local"
              required
              value={notice.at}
              onValue={(at) => setNotice({ ...notice, at })}
              error={err('at')}
            />
            <TextArea label="備考" value={notice.note} onValue={(note) => setNotice({ ...notice, note })} error={err('note')} />
          </>
        )}
      </StepForm>,
    );
  if (offers.close && offers.close.blockers.length > 0)
    forms.push(
      <div key="close" class="step-blocked">
        <h3>{incidentStepTitle(profile, 'close')}</h3>
        <p class="hint">完了にする前に、次の記録が必要です。</p>
        <ul>
          {offers.close.blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      </div>,
    );
  else if (offers.close)
    forms.push(
      <StepForm
        key="close"
        title={incidentStepTitle(profile, 'close')}
        submit="完了にする"
        onSave={() => post('close', closeIncidentSchema, { comment: opt(comment) })}
      >
        {(err) => <TextArea label="コメント" value={comment} onValue={setComment} error={err('comment')} />}
      </StepForm>,
    );
  if (forms.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="incident-steps">
      <h2 id="incident-steps">対応の記録</h2>
      {forms}
    </section>
  );
}

/** Who waits on the next step of the chain, in the profile's words (001: 事案の課の保護管理者が記録します). */
function nextStepHint(x: Incident, session: Session): string | undefined {
  const { profile } = session;
  const next: IncidentStep | undefined =
    x.status === 'reported'
      ? 'contain'
      : x.status === 'contained'
        ? 'investigate'
        : x.status === 'investigated'
          ? 'prevention'
          : x.status === 'prevented'
            ? 'close'
            : undefined;
  return next && `次の手続: ${incidentStepTitle(profile, next)}。${incidentStepWho(profile, next)}`;
}

/** The documents: the printable report (the PPC's items) and the 年度's list. */
function Documents({ x, review }: { x: Incident; review: boolean }) {
  const { api } = useSession();
  const runner = useRunner();
  const open = (path: string, query: Record<string, string | number>, fileName: string, xlsx: boolean) =>
    runner.run(async () => openBlob(await api.blob(path, query), fileName, xlsx));
  return (
    <section class="panel">
      <h2>帳票</h2>
      <div class="buttons">
        <button
          type="button"
          class="secondary"
          disabled={runner.busy}
          onClick={() => void open(`/incidents/${x.incidentId}/report`, { format: 'html' }, '事案報告.html', false)}
        >
          事案報告（印刷用）
        </button>
        <button
          type="button"
          class="secondary"
          disabled={runner.busy}
          onClick={() => void open(`/incidents/${x.incidentId}/report`, { format: 'xlsx' }, `事案報告_${x.incidentId}.xlsx`, true)}
        >
          事案報告（Excel）
        </button>
      </div>
      {review && (
        <div class="buttons">
          <button
            type="button"
            class="secondary"
            disabled={runner.busy}
            onClick={() => void open('/incidents/review-list', { fiscalYear: x.fiscalYear, format: 'html' }, '事案一覧.html', false)}
          >
            {fiscalYearText(x.fiscalYear)}の事案一覧（印刷用）
          </button>
          <button
            type="button"
            class="secondary"
            disabled={runner.busy}
            onClick={() =>
              void open('/incidents/review-list', { fiscalYear: x.fiscalYear, format: 'xlsx' }, `事案一覧_${x.fiscalYear}.xlsx`, true)
            }
          >
            {fiscalYearText(x.fiscalYear)}の事案一覧（Excel）
          </button>
        </div>
      )}
      <ProblemAlert error={runner.error} />
    </section>
  );
}

/**
 * 事案: the facts, the server's assessment with its reasons and the 速報/確報 deadlines with the
 * days left, the chain as a timeline, the forms of the steps the user may take, the facts
 * editor, the documents and the evidence.
 */
export default function IncidentDetail() {
  const session = useSession();
  const { profile } = session;
  const { incidentId } = useRoute().params as { incidentId: string };
  const inc = useResource<Incident>(`/incidents/${incidentId}`);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  if (!inc.data) return inc.error ? <ProblemAlert error={inc.error} onRetry={inc.reload} /> : <Loading />;
  const x = inc.data;
  const resource: IncidentResource = { type: 'incident', incident: x, organisation: session.organisation };
  const offers = incidentOffers(x, profile, session.me, session.can, session.organisation);
  const a = x.assessment;
  const clock = incidentClockNotes(profile);
  const set = (r: Result<Incident>) => {
    inc.set(r);
    setNotice('記録しました。');
  };
  const flags = factFlags.filter((f) => x.records[f]);
  const hint = x.status === 'closed' ? undefined : nextStepHint(x, session);
  return (
    <>
      <PageTitle title="事案">事案: {x.summary}</PageTitle>
      <p>
        <StatusBadge status={x.status === 'closed' ? 'closed' : 'pending'} label={incidentStatusLabels[x.status]} />{' '}
        {session.departmentLabel(x.department)}・発覚 {dateTimeText(x.discoveredAt)}
      </p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <section class={`panel assessment${a.reportToPPC ? ' assessment-required' : ''}`} aria-labelledby="incident-assessment">
        <h2 id="incident-assessment">個人情報保護委員会への報告</h2>
        <p class="verdict">
          <StatusBadge status={a.reportToPPC ? 'major' : 'done'} label={a.reportToPPC ? '要報告' : '報告不要'} />
          {a.atOnce && <strong> 直ちに報告</strong>}
          {a.notifySubjects && <span> 本人への通知が必要です</span>}
        </p>
        {a.reasons.length > 0 ? (
          <ul class="reasons">
            {a.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        ) : (
          <p class="hint">現在の事実関係では、報告の対象となる事態に当たりません。事実関係が変われば計算し直します。</p>
        )}
        <Deadlines x={x} />
        {(a.deadlines.preliminary || a.deadlines.final) && (
          <ul class="hint sources">
            <li>{clock.preliminary}</li>
            <li>{clock.final}</li>
            <li>{clock.closedDays}</li>
          </ul>
        )}
      </section>
      <section class="panel">
        <h2>事実関係</h2>
        <dl class="fields">
          <div>
            <dt>区分</dt>
            <dd>{incidentCategoryLabels[x.category]}</dd>
          </div>
          <div>
            <dt>概要</dt>
            <dd class="pre">{x.summary}</dd>
          </div>
          <div>
            <dt>漏えい等した項目</dt>
            <dd>{x.records.items.join('、')}</dd>
          </div>
          <div>
            <dt>本人の数</dt>
            <dd>{x.records.subjects === null ? '不明' : `${x.records.subjects.toLocaleString('ja-JP')}人`}</dd>
          </div>
          <div>
            <dt>該当する事項</dt>
            <dd>{flags.length > 0 ? flags.map((f) => factFlagLabels[f].label).join('、') : 'なし'}</dd>
          </div>
          <div>
            <dt>報告者</dt>
            <dd>
              {x.createdBy}・{dateTimeText(x.createdAt)}
            </dd>
          </div>
        </dl>
        {x.status !== 'closed' && session.can('incident:update', resource) && !editing && (
          <button type="button" class="secondary" onClick={() => setEditing(true)}>
            事実関係を修正
          </button>
        )}
        {editing && (
          <FactsEditor
            x={x}
            etag={inc.etag}
            onCancel={() => setEditing(false)}
            onSaved={(r) => {
              inc.set(r);
              setEditing(false);
              setNotice('事実関係を修正しました。報告の要否と期限を計算し直しました。');
            }}
          />
        )}
      </section>
      <section class="panel" aria-labelledby="incident-timeline">
        <h2 id="incident-timeline">対応の経過</h2>
        {hint && <p class="hint">{hint}</p>}
        <ol class="timeline">
          {incidentTimeline(x, profile, session.departmentLabel).map((e) => (
            <li key={e.key} class={e.at ? 'done' : 'pending'}>
              <span class="timeline-label">{e.label}</span> <StatusBadge status={e.at ? 'done' : 'pending'} label={e.at ? '済' : '未'} />
              {e.at && (
                <p class="meta">
                  {e.by}・{dateTimeText(e.at)}
                </p>
              )}
              {e.detail && <p class="pre">{e.detail}</p>}
            </li>
          ))}
        </ol>
      </section>
      <StepForms key={x.version} x={x} etag={inc.etag} set={set} offers={offers} />
      <Documents x={x} review={offers.review} />
      <EvidenceSection
        target={{ type: 'incident', id: x.incidentId }}
        canAttach={
          x.status !== 'closed' &&
          session.can('evidence:create', {
            type: 'evidenceTarget',
            target: { type: 'incident', department: x.department, incident: x },
            owners: [],
            organisation: session.organisation,
          })
        }
      />
    </>
  );
}
