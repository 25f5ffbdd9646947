import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { checkMethodLabels, checkMethods, type CheckMethod, type ContractorCheckResult } from '#lib/domain/contractor.js';
import { ContractorForm } from '../components/contractor-form.js';
import { EvidenceUploader } from '../components/evidence.js';
import { Empty, Loading, PageTitle, ProblemAlert, SelectField, StatusBadge, TextArea, TextField, fieldError } from '../components/ui.js';
import { dateText, todayInJapan } from '../format.js';
import { usePaged, useResource, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Contractor, ContractorCheck } from '../types.js';

const resultLabels: Record<ContractorCheckResult, string> = { compliant: '適合', issues: '要改善' };

/** 委託先の確認: complete on site or remotely, with result and evidence. */
function CompleteCheck({ check, onDone }: { check: ContractorCheck; onDone: () => void }) {
  const { api } = useSession();
  const runner = useRunner();
  const [method, setMethod] = useState<CheckMethod | ''>('onSite');
  const [remoteReason, setRemoteReason] = useState('');
  const [checkedOn, setCheckedOn] = useState(todayInJapan());
  const [result, setResult] = useState<ContractorCheckResult | ''>('');
  const [notes, setNotes] = useState('');
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  const err = (p: string) => fieldError(runner.error, p);
  return (
    <form
      class="form inline-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void runner.run(async () => {
          await api.post(`/contractor-checks/${check.checkId}/complete`, {
            method,
            ...(method === 'remote' ? { remoteReason } : {}),
            checkedOn,
            result,
            ...(notes.trim() ? { notes } : {}),
            evidenceIds,
          }, `"${check.version}"`);
          onDone();
        });
      }}
    >
      <SelectField label="確認の方法" required value={method} onValue={setMethod} options={checkMethods.map((m) => [m, checkMethodLabels[m]] as const)} error={err('method')} />
      {method === 'remote' && <TextArea label="実地検査によらない理由" required value={remoteReason} onValue={setRemoteReason} error={err('remoteReason')} />}
      <TextField label="確認日" type="date" required value={checkedOn} onValue={setCheckedOn} error={err('checkedOn')} />
      <SelectField label="結果" required value={result} onValue={setResult} placeholder="選択してください" options={(['compliant', 'issues'] as const).map((r) => [r, resultLabels[r]] as const)} error={err('result')} />
      <TextArea label="確認内容" value={notes} onValue={setNotes} error={err('notes')} />
      <EvidenceUploader target={{ type: 'contractorCheck', id: check.checkId }} onCreated={(id) => setEvidenceIds((x) => [...x, id])} />
      <ProblemAlert error={runner.error} />
      <button type="submit" disabled={runner.busy}>
        確認を完了
      </button>
    </form>
  );
}

export default function ContractorDetail() {
  const { actor } = useSession();
  const { contractorId } = useRoute().params as { contractorId: string };
  const c = useResource<Contractor>(`/contractors/${contractorId}`);
  const checks = usePaged<ContractorCheck>(c.data ? '/contractor-checks' : null, { department: c.data?.department });
  const [editing, setEditing] = useState(false);
  if (!c.data) return c.error ? <ProblemAlert error={c.error} onRetry={c.reload} /> : <Loading />;
  const x = c.data;
  const mine = checks.items.filter((k) => k.contractorId === x.contractorId);
  const section = actor.roles.some((r) => r === 'sectionManager' || r === 'sectionStaff' || r === 'auditLead');
  return (
    <>
      <PageTitle title="委託先">委託先: {x.name}</PageTitle>
      {section && !editing && (
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
        <dd>{x.department}</dd>
        <dt>取り扱う個人情報</dt>
        <dd class="pre">{x.handles}</dd>
        <dt>契約期間</dt>
        <dd>
          {dateText(x.contractFrom)} 〜 {dateText(x.contractTo)}
        </dd>
        <dt>連絡先</dt>
        <dd>{x.contact ?? '—'}</dd>
      </dl>
      <section class="panel">
        <h2>委託先の確認（第22条第4項）</h2>
        <ProblemAlert error={checks.error} onRetry={checks.reload} />
        {checks.loading && checks.items.length === 0 ? (
          <Loading />
        ) : mine.length === 0 ? (
          !checks.error && <Empty />
        ) : (
          <ul class="cards">
            {mine.map((k) => (
              <li key={k.checkId}>
                <p>
                  {k.fiscalYear}年度の確認 <StatusBadge status={k.status} label={k.status === 'open' ? '未完了' : '完了'} /> 期限 {dateText(k.dueDate)}
                </p>
                {k.status === 'completed' ? (
                  <p class="meta">
                    {k.method ? checkMethodLabels[k.method] : ''}・{dateText(k.checkedOn)}・{k.result ? resultLabels[k.result] : ''}
                    {k.notes ? `・${k.notes}` : ''}
                  </p>
                ) : (
                  section && <CompleteCheck check={k} onDone={() => void checks.reload()} />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
