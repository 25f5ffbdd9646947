import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { createDisposalSchema, disposalMediaLabels, disposalMedia, disposalMethodLabels, disposalMethods } from '#lib/domain/disposal.js';
import { checked } from '../api.js';
import { DepartmentFilter, DepartmentSelect, listScope } from '../components/departments.js';
import { PagedList, PageTitle, SaveForm, SelectField, TextArea, TextField, fieldError } from '../components/ui.js';
import { currentFiscalYear, dateText, fiscalYearOptions, todayInJapan } from '../format.js';
import { optionsOf } from '../labels.js';
import { cite } from '#lib/domain/provisions.js';
import { useCreateIntent, usePaged, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Disposal } from '../types.js';
import { disposalProofHint } from '../wording.js';

type Media = (typeof disposalMedia)[number];
type Method = (typeof disposalMethods)[number];

function DisposalForm({ onSaved }: { onSaved: (d: Disposal) => void }) {
  const { api, me, profile } = useSession();
  const proofHint = disposalProofHint(profile);
  const byCertificate = profile.practices.disposalProof === 'certificate';
  const runner = useRunner();
  const intent = useCreateIntent();
  const [department, setDepartment] = useState(me.department);
  const [disposedOn, setDisposedOn] = useState(todayInJapan());
  const [media, setMedia] = useState<Media | ''>('');
  const [method, setMethod] = useState<Method | ''>('');
  const [contractor, setContractor] = useState('');
  const [witness, setWitness] = useState('');
  const [certificateNumber, setCertificateNumber] = useState('');
  const [description, setDescription] = useState('');
  const err = (p: string) => fieldError(runner.error, p);
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  return (
    <SaveForm
      runner={runner}
      submit="記録する"
      onSave={async () => {
        const r = await api.create<Disposal>(
          '/disposals',
          checked(createDisposalSchema, {
            department,
            disposedOn,
            media,
            method,
            contractor: opt(contractor),
            witness: opt(witness) ?? null,
            certificateNumber: opt(certificateNumber),
            description: opt(description),
          }),
          intent,
        );
        onSaved(r.data);
      }}
    >
      <h2>消去・廃棄を記録{cite(profile.provisions, 'disposal')}</h2>
      <DepartmentSelect label="課" required value={department} onValue={setDepartment} error={err('department')} />
      <TextField label="消去・廃棄日" type="date" required value={disposedOn} onValue={setDisposedOn} error={err('disposedOn')} />
      <SelectField
        label="媒体"
        required
        value={media}
        onValue={setMedia}
        placeholder="選択してください"
        options={optionsOf(disposalMedia, disposalMediaLabels)}
        error={err('media')}
      />
      <SelectField
        label="方法"
        required
        value={method}
        onValue={setMethod}
        placeholder="選択してください"
        options={optionsOf(disposalMethods, disposalMethodLabels)}
        error={err('method')}
      />
      <TextField label="委託先（委託した場合）" value={contractor} onValue={setContractor} error={err('contractor')} />
      <TextField
        label="立会い職員（利用者ID）"
        value={witness}
        onValue={setWitness}
        hint={byCertificate ? undefined : proofHint}
        error={err('witness')}
      />
      <TextField
        label="証明書番号"
        value={certificateNumber}
        onValue={setCertificateNumber}
        hint={byCertificate ? proofHint : undefined}
        error={err('certificateNumber')}
      />
      <TextArea label="対象の説明" value={description} onValue={setDescription} error={err('description')} />
    </SaveForm>
  );
}

/** 消去・廃棄の記録: list by 年度 and 課; section staff record new ones. */
export default function Disposals() {
  const session = useSession();
  const { route } = useLocation();
  const fy = currentFiscalYear();
  const [fiscalYear, setFiscalYear] = useState(String(fy));
  const [creating, setCreating] = useState(false);
  const scope = listScope(session);
  const [department, setDepartment] = useState(scope.department);
  const list = usePaged<Disposal>('/disposals', { department, fiscalYear });
  return (
    <>
      <PageTitle title="消去・廃棄の記録">消去・廃棄の記録</PageTitle>
      {session.can('disposal:create') && !creating && (
        <button type="button" onClick={() => setCreating(true)}>
          消去・廃棄を記録
        </button>
      )}
      {creating && <DisposalForm onSaved={(d) => route(`/disposals/${d.disposalId}`)} />}
      <div class="filters row">
        {scope.sections.length !== 1 && <DepartmentFilter scope={scope} value={department} onValue={setDepartment} />}
        <SelectField label="年度" value={fiscalYear} onValue={setFiscalYear} options={fiscalYearOptions([fy, fy - 1, fy - 2])} />
      </div>
      <PagedList list={list} keyOf={(d) => d.disposalId}>
        {(d) => (
          <>
            <a href={`/disposals/${d.disposalId}`}>
              {dateText(d.disposedOn)} {disposalMediaLabels[d.media]}・{disposalMethodLabels[d.method]}
            </a>
            <p class="meta">
              {session.departmentLabel(d.department)}
              {d.contractor ? `・委託先 ${d.contractor}` : '・庁内で実施'}
            </p>
          </>
        )}
      </PagedList>
    </>
  );
}
