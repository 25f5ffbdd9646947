import { useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { scopeOwners } from '#lib/app/scope-owners.js';
import { createActionSchema } from '#lib/domain/action.js';
import { createFindingSchema, ratingLabels, ratings, type Rating } from '#lib/domain/finding.js';
import { checked } from '../api.js';
import { scopeIds } from '#lib/domain/scopes.js';
import {
  Empty,
  Loading,
  MoreButton,
  PageTitle,
  ProblemAlert,
  SaveForm,
  SelectField,
  StatusBadge,
  TextArea,
  TextField,
  fieldError,
} from '../components/ui.js';
import { dateText, fiscalYearText, todayInJapan } from '../format.js';
import { useAll, useCreateIntent, usePaged, useResource, useRunner } from '../hooks.js';
import { optionsOf } from '../labels.js';
import { articleInput, articleOptions, previewScope, scopeTitle } from '../scope-preview.js';
import { useSession } from '../session.js';
import type { Finding, FollowUpAction, Plan, Training } from '../types.js';
import { type RecordType, auditDate, citableRecords, recordBody, recordHref, recordText, recordTypeLabels } from '../audit-links.js';
import { registerOf } from '../training-view.js';
import { articleExample } from '../wording.js';

/** Record a finding: the article from the profile's catalogue, its scope and owner shown before saving. */
export function FindingForm({ plan, onSaved }: { plan: Plan; onSaved: (f: Finding) => void }) {
  const session = useSession();
  const { api, profile } = session;
  const runner = useRunner();
  const intent = useCreateIntent();
  const [department, setDepartment] = useState(plan.auditedDepartments.length === 1 ? (plan.auditedDepartments[0] ?? '') : '');
  const [article, setArticle] = useState('');
  const [paragraph, setParagraph] = useState('');
  const [rating, setRating] = useState<Rating | ''>('');
  const [title, setTitle] = useState('');
  const [observation, setObservation] = useState('');
  const [criteria, setCriteria] = useState('');
  const [cause, setCause] = useState('');
  const [recommendation, setRecommendation] = useState('');
  const [recordType, setRecordType] = useState<RecordType | ''>('');
  const [recordAsOf, setRecordAsOf] = useState('');
  const [trainingId, setTrainingId] = useState('');
  const options = useMemo(() => articleOptions(profile), [profile]);
  const example = articleExample(profile);
  const owners = useMemo(() => scopeOwners(profile), [profile]);
  const preview = previewScope(profile, article, paragraph);
  const refusal =
    preview?.ok === true
      ? session.whyNot('finding:create', { type: 'scope', scope: preview.scope, articleLabel: preview.label, owners })
      : undefined;
  const err = (p: string) => fieldError(runner.error, p);
  const optional = (v: string) => (v.trim() ? v : undefined);
  // The records the article may cite (the server's rule), of the 課 whose register or attendance the auditor reads.
  const readable: Record<RecordType, boolean> = {
    staffRegister: session.can('staff:list', registerOf(session, 'staff', department)),
    trainingAttendance: session.can('attendance:read', registerOf(session, 'training', department)),
  };
  const citable = department ? citableRecords(profile.provisions, article, paragraph).filter((t) => readable[t]) : [];
  const citing = citable.includes(recordType as RecordType) ? recordType : '';
  const asOf = recordAsOf || (citing ? auditDate(plan, department, todayInJapan()) : '');
  const sessions = useAll<Training>(citing === 'trainingAttendance' ? '/trainings' : null, { fiscalYear: plan.fiscalYear });

  return (
    <SaveForm
      runner={runner}
      submit="所見を保存"
      onSave={async () => {
        const r = await api.create<Finding>(
          `/plans/${plan.planId}/findings`,
          checked(createFindingSchema, {
            department,
            article: articleInput(article, paragraph),
            rating,
            title,
            observation,
            criteria: optional(criteria),
            cause: optional(cause),
            recommendation: optional(recommendation),
            record: recordBody(citing, { department, asOf, trainingId }),
          }),
          intent,
        );
        onSaved(r.data);
      }}
    >
      <h2>所見を記録</h2>
      <SelectField
        label="被監査部門（課）"
        required
        value={department}
        onValue={setDepartment}
        placeholder="選択してください"
        options={plan.auditedDepartments.map((d) => [d, session.departmentLabel(d)] as const)}
        error={err('department')}
      />
      <TextField
        label="条項"
        required
        list="article-catalogue"
        autoComplete="off"
        value={article}
        onValue={setArticle}
        hint={`条番号か見出しで検索できます${example ? `（例: ${example}）` : ''}`}
        error={err('article')}
      />
      <datalist id="article-catalogue">
        {options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <TextField label="項（任意）" type="number" inputMode="numeric" min={1} value={paragraph} onValue={setParagraph} />
      <div class="scope-preview" aria-live="polite" data-testid="scope-preview">
        {preview === null ? null : preview.ok ? (
          <p>
            {preview.label}（{preview.articleTitle}）は <strong>{preview.owner}</strong> の監査範囲です。
            {refusal && <span class="field-error"> {refusal}</span>}
          </p>
        ) : (
          <p class="field-error">{preview.message}</p>
        )}
      </div>
      {citable.length > 0 && (
        <fieldset class="record-citation">
          <legend>引用する記録（任意）</legend>
          <SelectField
            label="記録"
            value={citing}
            onValue={setRecordType}
            placeholder="引用しない"
            options={citable.map((t) => [t, recordTypeLabels[t]] as const)}
            error={err('record')}
          />
          {citing === 'trainingAttendance' && (
            <SelectField
              label={`研修（${fiscalYearText(plan.fiscalYear)}）`}
              required
              value={trainingId}
              onValue={setTrainingId}
              placeholder={sessions.loading ? '読み込み中…' : '選択してください'}
              options={sessions.items.map(
                (t) => [t.trainingId, `${t.name}（${dateText(t.timing.from)} 〜 ${dateText(t.timing.to)}）`] as const,
              )}
              error={err('record.trainingId')}
            />
          )}
          {citing && (
            <TextField
              label="基準日（監査日）"
              type="date"
              required
              value={asOf}
              onValue={setRecordAsOf}
              hint={`${session.departmentLabel(department)}の${recordTypeLabels[citing]}を、この日の内容で引用します`}
              error={err('record.asOf') ?? err('record.department')}
            />
          )}
        </fieldset>
      )}
      <SelectField
        label="評価"
        required
        value={rating}
        onValue={setRating}
        placeholder="選択してください"
        options={optionsOf(ratings, ratingLabels)}
        error={err('rating')}
      />
      <TextField label="件名" required value={title} onValue={setTitle} error={err('title')} />
      <TextArea label="監査で確認した事実" required value={observation} onValue={setObservation} error={err('observation')} />
      <TextArea label="判断基準" value={criteria} onValue={setCriteria} error={err('criteria')} />
      <TextArea label="原因" value={cause} onValue={setCause} error={err('cause')} />
      <TextArea label="改善の提言" value={recommendation} onValue={setRecommendation} error={err('recommendation')} />
    </SaveForm>
  );
}

/** 改善措置を登録: description and due date for a finding's 課. */
function ActionForm({ finding, onSaved }: { finding: Finding; onSaved: (a: FollowUpAction) => void }) {
  const { api } = useSession();
  const runner = useRunner();
  const intent = useCreateIntent();
  const [description, setDescription] = useState('');
  const [dueDate, setDueDate] = useState('');
  return (
    <SaveForm
      runner={runner}
      class="form inline-form"
      submit="改善措置を登録"
      onSave={async () => {
        const r = await api.create<FollowUpAction>(
          `/findings/${finding.findingId}/actions`,
          checked(createActionSchema, { description, dueDate }),
          intent,
        );
        onSaved(r.data);
      }}
    >
      <TextArea
        label="改善措置の内容"
        required
        value={description}
        onValue={setDescription}
        error={fieldError(runner.error, 'description')}
      />
      <TextField
        label="期限"
        type="date"
        required
        min={todayInJapan()}
        value={dueDate}
        onValue={setDueDate}
        error={fieldError(runner.error, 'dueDate')}
      />
    </SaveForm>
  );
}

/** The record a finding cites, as a link to where it is read (a session by its name). */
function CitedRecord({ record }: { record: NonNullable<Finding['record']> }) {
  const session = useSession();
  const training = useResource<Training>(record.type === 'trainingAttendance' ? `/trainings/${record.trainingId}` : null);
  return (
    <p>
      引用した記録: <a href={recordHref(record)}>{recordText(record, session.departmentLabel, training.data?.name)}</a>
    </p>
  );
}

function FindingCard({ finding }: { finding: Finding }) {
  const session = useSession();
  const owners = useMemo(() => scopeOwners(session.profile), [session.profile]);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<FollowUpAction[]>([]);
  const mayAdd = session.can('action:create', { type: 'finding', finding, owners });
  return (
    <li>
      <p>
        <strong>
          {finding.articleLabel}（{finding.articleTitle}）
        </strong>{' '}
        <StatusBadge status={finding.rating} label={ratingLabels[finding.rating]} />
      </p>
      <p>{finding.title}</p>
      <p class="meta">
        {session.departmentLabel(finding.department)}・{dateText(finding.createdAt)}
      </p>
      <p class="pre">{finding.observation}</p>
      {finding.recommendation && <p class="pre">改善の提言: {finding.recommendation}</p>}
      {finding.record && <CitedRecord record={finding.record} />}
      {added.map((a) => (
        <p key={a.actionId}>
          <a href={`/actions/${a.actionId}`}>登録した改善措置（期限 {dateText(a.dueDate)}）</a>
        </p>
      ))}
      {mayAdd && !adding && (
        <button type="button" class="secondary" onClick={() => setAdding(true)}>
          改善措置を登録
        </button>
      )}
      {adding && (
        <ActionForm
          finding={finding}
          onSaved={(a) => {
            setAdded((x) => [...x, a]);
            setAdding(false);
          }}
        />
      )}
    </li>
  );
}

/** 所見 of a plan grouped by scope (DX / 広報広聴 / 監査責任者). */
export default function Findings() {
  const session = useSession();
  const { planId } = useRoute().params as { planId: string };
  // A 保護管理者 lists their 課's findings of a plan they do not read (its id is a 404 for them).
  const readsPlan = session.can('plan:read');
  const plan = useResource<Plan>(readsPlan ? `/plans/${planId}` : null);
  const list = usePaged<Finding>(`/plans/${planId}/findings`, { limit: 100 });
  const [recording, setRecording] = useState(false);
  const [recorded, setRecorded] = useState<Finding[]>([]);
  const all = [...list.items, ...recorded.filter((r) => !list.items.some((f) => f.findingId === r.findingId))];

  return (
    <>
      <PageTitle title="所見">所見{plan.data ? `（${fiscalYearText(plan.data.fiscalYear)} 監査計画）` : ''}</PageTitle>
      {readsPlan && (
        <p>
          <a href={`/plans/${planId}`}>監査計画へ戻る</a>
        </p>
      )}
      <ProblemAlert error={plan.error} onRetry={plan.reload} />
      {plan.data?.status === 'inProgress' && session.can('finding:create') && !recording && (
        <button type="button" onClick={() => setRecording(true)}>
          所見を記録
        </button>
      )}
      {recording && plan.data && (
        <FindingForm
          plan={plan.data}
          onSaved={(f) => {
            setRecorded((r) => [...r, f]);
            setRecording(false);
          }}
        />
      )}
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.loading && all.length === 0 ? (
        <Loading />
      ) : all.length === 0 ? (
        !list.error && <Empty />
      ) : (
        scopeIds.map((scope) => {
          const items = all.filter((f) => f.scope === scope);
          if (items.length === 0) return null;
          return (
            <section key={scope} class="panel">
              <h2>
                {scopeTitle(session.profile, scope)}の監査範囲（{items.length}件）
              </h2>
              <ul class="cards">
                {items.map((f) => (
                  <FindingCard key={f.findingId} finding={f} />
                ))}
              </ul>
            </section>
          );
        })
      )}
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </>
  );
}
