import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { fiscalYearOfDate } from '#lib/domain/calendar.js';
import {
  checkMethodLabels,
  checkMethods,
  completeContractorCheckSchema,
  contractorCheckResults,
  subcontractorCheckRouteLabels,
  subcontractorCheckRoutes,
  type CheckMethod,
  type ContractorCheckResult,
  type Subcontractor,
  type SubcontractorCheckRoute,
} from '#lib/domain/contractor.js';
import { applies, cite } from '#lib/domain/provisions.js';
import { checked } from '../api.js';
import { ContractorForm } from '../components/contractor-form.js';
import { EvidenceList, EvidenceUploader } from '../components/evidence.js';
import {
  Loading,
  PagedList,
  PageTitle,
  ProblemAlert,
  SaveForm,
  SelectField,
  StatusBadge,
  TextArea,
  TextField,
  fieldError,
} from '../components/ui.js';
import { currentFiscalYear, dateText, dateTimeText, fiscalYearOptions, fiscalYearText, todayInJapan } from '../format.js';
import { usePaged, useResource, useRunner } from '../hooks.js';
import { contractorCheckResultLabels, contractorCheckStatusLabels, optionsOf, roleLabel } from '../labels.js';
import { useSession } from '../session.js';
import type { Contractor, ContractorCheck } from '../types.js';
import { onSiteHint } from '../wording.js';

/** What the form holds for one 再委託先's answer. */
interface SubcontractorAnswer {
  via: SubcontractorCheckRoute | '';
  result: ContractorCheckResult | '';
  notes: string;
}
const noAnswer: SubcontractorAnswer = { via: '', result: '', notes: '' };

/**
 * 委託先の検査: complete on site or remotely (with the reason where the regulation says
 * 原則として実地検査), with result and evidence, and for each 再委託先 of the contract how it
 * was checked (委託先を通じて又は委託元自ら) and with what result.
 */
function CompleteCheck({ check, subcontractors, onDone }: { check: ContractorCheck; subcontractors: Subcontractor[]; onDone: () => void }) {
  const { api, profile } = useSession();
  const onSite = applies(profile.provisions, 'contractorOnSite');
  const runner = useRunner();
  const [answers, setAnswers] = useState<Record<string, SubcontractorAnswer>>({});
  const answerOf = (id: string) => answers[id] ?? noAnswer;
  const answer = (id: string, patch: Partial<SubcontractorAnswer>) =>
    setAnswers((a) => ({ ...a, [id]: { ...(a[id] ?? noAnswer), ...patch } }));
  const [method, setMethod] = useState<CheckMethod | ''>('onSite');
  const [remoteReason, setRemoteReason] = useState('');
  const [checkedOn, setCheckedOn] = useState(todayInJapan());
  const [result, setResult] = useState<ContractorCheckResult | ''>('');
  const [notes, setNotes] = useState('');
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  const err = (p: string) => fieldError(runner.error, p);
  return (
    <SaveForm
      runner={runner}
      class="form inline-form"
      label={`${check.name}の${check.fiscalYear}年度の検査結果`}
      submit="検査結果を記録"
      onSave={async () => {
        await api.post(
          `/contractor-checks/${check.checkId}/complete`,
          checked(completeContractorCheckSchema, {
            method,
            ...(method === 'remote' && onSite ? { remoteReason } : {}),
            checkedOn,
            result,
            ...(notes.trim() ? { notes } : {}),
            // A 再委託先 not answered at all is left out: the server names it, citing the regulation.
            subcontractors: subcontractors.flatMap((s) => {
              const a = answerOf(s.subcontractorId);
              if (!a.via && !a.result && !a.notes.trim()) return [];
              return [{ subcontractorId: s.subcontractorId, via: a.via, result: a.result, ...(a.notes.trim() ? { notes: a.notes } : {}) }];
            }),
            evidenceIds,
          }),
          `"${check.version}"`,
        );
        onDone();
      }}
    >
      <SelectField
        label="検査の方法"
        required
        value={method}
        onValue={setMethod}
        options={optionsOf(checkMethods, checkMethodLabels)}
        hint={onSiteHint(profile)}
        error={err('method')}
      />
      {method === 'remote' && onSite && (
        <TextArea label="実地検査によらない理由" required value={remoteReason} onValue={setRemoteReason} error={err('remoteReason')} />
      )}
      <TextField
        label="検査日"
        type="date"
        required
        max={todayInJapan()}
        value={checkedOn}
        onValue={setCheckedOn}
        error={err('checkedOn')}
      />
      <SelectField
        label="結果"
        required
        value={result}
        onValue={setResult}
        placeholder="選択してください"
        options={optionsOf(contractorCheckResults, contractorCheckResultLabels)}
        error={err('result')}
      />
      <TextArea label="検査の内容" required={result === 'issues'} value={notes} onValue={setNotes} error={err('notes')} />
      {subcontractors.map((s, i) => {
        const a = answerOf(s.subcontractorId);
        return (
          <fieldset key={s.subcontractorId}>
            <legend>
              再委託先「{s.name}」の確認{cite(profile.provisions, 'subcontracting')}
            </legend>
            <SelectField
              label="確認の方法"
              required
              value={a.via}
              onValue={(via) => answer(s.subcontractorId, { via })}
              placeholder="選択してください"
              options={optionsOf(subcontractorCheckRoutes, subcontractorCheckRouteLabels)}
              error={err(`subcontractors.${i}.via`)}
            />
            <SelectField
              label="適否"
              required
              value={a.result}
              onValue={(r) => answer(s.subcontractorId, { result: r })}
              placeholder="選択してください"
              options={optionsOf(contractorCheckResults, contractorCheckResultLabels)}
              error={err(`subcontractors.${i}.result`)}
            />
            <TextArea
              label="再委託先の確認内容"
              required={a.result === 'issues'}
              value={a.notes}
              onValue={(n) => answer(s.subcontractorId, { notes: n })}
              error={err(`subcontractors.${i}.notes`) ?? err(`subcontractors.${i}.subcontractorId`)}
            />
          </fieldset>
        );
      })}
      <p class="hint">検査の記録（写真、チェックリスト等）を証跡として添付できます。</p>
      <EvidenceUploader target={{ type: 'contractorCheck', id: check.checkId }} onCreated={(id) => setEvidenceIds((x) => [...x, id])} />
    </SaveForm>
  );
}

/** A completed check: how, when, with what result, by whom, and its evidence. */
function CompletedCheck({ check }: { check: ContractorCheck }) {
  return (
    <>
      <dl class="fields">
        <dt>検査の方法</dt>
        <dd>{check.method ? checkMethodLabels[check.method] : '—'}</dd>
        {check.remoteReason && (
          <>
            <dt>実地検査によらない理由</dt>
            <dd class="pre">{check.remoteReason}</dd>
          </>
        )}
        <dt>検査日</dt>
        <dd>{dateText(check.checkedOn)}</dd>
        <dt>結果</dt>
        <dd>{check.result ? contractorCheckResultLabels[check.result] : '—'}</dd>
        {check.notes && (
          <>
            <dt>検査の内容</dt>
            <dd class="pre">{check.notes}</dd>
          </>
        )}
        {(check.subcontractors ?? []).map((s) => (
          <Fragment key={s.subcontractorId}>
            <dt>再委託先「{s.name}」</dt>
            <dd class="pre">
              {subcontractorCheckRouteLabels[s.via]}・{contractorCheckResultLabels[s.result]}
              {s.notes ? `\n${s.notes}` : ''}
            </dd>
          </Fragment>
        ))}
        <dt>記録</dt>
        <dd>
          {check.completedBy ?? '—'}・{dateTimeText(check.completedAt)}
        </dd>
      </dl>
      <h3>証跡</h3>
      <EvidenceList target={{ type: 'contractorCheck', id: check.checkId }} />
    </>
  );
}

/** The 年度 a contract covers, at most ten. */
function contractYears(c: Pick<Contractor, 'contractFrom' | 'contractTo'>): number[] {
  const from = fiscalYearOfDate(c.contractFrom);
  const to = Math.min(fiscalYearOfDate(c.contractTo), from + 9);
  return Array.from({ length: Math.max(1, to - from + 1) }, (_, i) => from + i);
}

export default function ContractorDetail() {
  const session = useSession();
  const { contractorId } = useRoute().params as { contractorId: string };
  const { query } = useLocation();
  const c = useResource<Contractor>(`/contractors/${contractorId}`);
  const [chosenYear, setChosenYear] = useState<string | null>(/^\d{4}$/.test(query.fiscalYear ?? '') ? String(query.fiscalYear) : null);
  const years = c.data ? contractYears(c.data) : [];
  const now = currentFiscalYear();
  // Without a choice: this 年度, or the nearest one of the contract.
  const fiscalYear =
    chosenYear ?? String(years.length === 0 ? now : Math.min(Math.max(now, years[0] as number), years[years.length - 1] as number));
  const checks = usePaged<ContractorCheck>(c.data ? '/contractor-checks' : null, { department: c.data?.department, fiscalYear });
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  if (!c.data) return c.error ? <ProblemAlert error={c.error} onRetry={c.reload} /> : <Loading />;
  const x = c.data;
  const mine = checks.items.filter((k) => k.contractorId === x.contractorId);
  const resource = { type: 'department' as const, department: x.department, organisation: session.organisation };
  const mayEdit = session.can('contractor:update', resource);
  const mayComplete = session.can('contractorCheck:complete', resource);
  const { provisions } = session.profile;
  const subcontractors = x.subcontractors ?? [];
  return (
    <>
      <PageTitle title="委託先">委託先: {x.name}</PageTitle>
      {mayEdit && !editing && (
        <button type="button" class="secondary" onClick={() => setEditing(true)}>
          編集
        </button>
      )}
      {editing && (
        <ContractorForm
          contractor={x}
          etag={c.etag}
          onSaved={(saved, etag) => {
            c.set({ data: saved, etag });
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
          onReload={() => {
            setEditing(false);
            void c.reload();
          }}
        />
      )}
      <dl class="fields">
        <dt>委託元の課</dt>
        <dd>{session.departmentLabel(x.department)}</dd>
        <dt>取り扱う個人情報</dt>
        <dd class="pre">{x.handles}</dd>
        <dt>契約期間</dt>
        <dd>
          {dateText(x.contractFrom)} 〜 {dateText(x.contractTo)}
        </dd>
        <dt>連絡先</dt>
        <dd>{x.contact ?? '—'}</dd>
      </dl>
      <section class="panel" aria-label="再委託先">
        <h2>再委託先{cite(provisions, 'subcontracting')}</h2>
        {subcontractors.length === 0 ? (
          <p class="hint">再委託先はありません。</p>
        ) : (
          <ul class="cards">
            {subcontractors.map((s) => (
              <li key={s.subcontractorId}>
                <strong>{s.name}</strong>
                <p class="pre">{s.handles}</p>
                {applies(provisions, 'subcontractPermission') && (
                  <p class="meta">
                    {s.permission ? `許諾 ${dateText(s.permission.grantedOn)}・${s.permission.grantedBy}` : '許諾の記録なし'}
                    {cite(provisions, 'subcontractPermission')}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {applies(provisions, 'contractorCheck') && (
        <section class="panel">
          <h2>委託先の検査{cite(provisions, 'contractorCheck')}</h2>
          <SelectField label="年度" value={fiscalYear} onValue={setChosenYear} options={fiscalYearOptions(years, fiscalYear)} />
          {notice && (
            <p class="notice" role="status">
              {notice}
            </p>
          )}
          <PagedList
            list={checks}
            items={mine}
            keyOf={(k) => k.checkId}
            empty="この年度の検査はまだありません（毎年度、定期業務が検査を作成します）"
          >
            {(k) => (
              <>
                <h3>
                  {fiscalYearText(k.fiscalYear)}の検査{' '}
                  <StatusBadge status={k.status === 'open' ? 'open' : 'done'} label={contractorCheckStatusLabels[k.status]} />
                </h3>
                <p class="meta">
                  期限 {dateText(k.dueDate)}・{k.source}
                </p>
                {k.status === 'completed' ? (
                  <CompletedCheck check={k} />
                ) : mayComplete ? (
                  <CompleteCheck
                    check={k}
                    subcontractors={subcontractors}
                    onDone={() => {
                      setNotice('検査結果を記録しました。タスクは完了になりました。');
                      void checks.reload();
                    }}
                  />
                ) : (
                  <p class="hint">検査結果は、委託する課の{roleLabel(session.profile, 'sectionManager')}が記録します。</p>
                )}
              </>
            )}
          </PagedList>
        </section>
      )}
    </>
  );
}
