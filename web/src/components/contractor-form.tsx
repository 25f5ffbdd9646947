import { useState } from 'preact/hooks';
import {
  createContractorSchema,
  maxSubcontractors,
  permissionRequired,
  type Subcontractor,
  type SubcontractorInput,
  updateContractorSchema,
} from '#lib/domain/contractor.js';
import { applies, cite } from '#lib/domain/provisions.js';
import { checked } from '../api.js';
import { useCreateIntent, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Contractor } from '../types.js';
import { DepartmentSelect } from './departments.js';
import { SaveForm, TextArea, TextField, fieldError } from './ui.js';

/** One 再委託先 as edited: an id once recorded, and the 許諾's fields as typed. */
interface SubcontractorRow {
  key: number;
  subcontractorId?: string;
  name: string;
  handles: string;
  grantedOn: string;
  grantedBy: string;
}

let rowKeys = 0;
const rowOf = (s?: Subcontractor): SubcontractorRow => ({
  key: ++rowKeys,
  ...(s ? { subcontractorId: s.subcontractorId } : {}),
  name: s?.name ?? '',
  handles: s?.handles ?? '',
  grantedOn: s?.permission?.grantedOn ?? '',
  grantedBy: s?.permission?.grantedBy ?? '',
});

/**
 * The 再委託先 a contract names, each with its 許諾 where the regulation has one (the
 * profile's `subcontractPermission`; required where it covers every 再委託, 002 and 003).
 */
function SubcontractorsEditor({
  rows,
  onRows,
  error,
}: {
  rows: SubcontractorRow[];
  onRows: (rows: SubcontractorRow[]) => void;
  error: (path: string) => string | undefined;
}) {
  const { provisions } = useSession().profile;
  const permission = applies(provisions, 'subcontractPermission');
  const required = permissionRequired(provisions);
  const edit = (i: number, patch: Partial<SubcontractorRow>) => onRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <section aria-label="再委託先">
      <h3>再委託先{cite(provisions, 'subcontracting')}</h3>
      {rows.length === 0 && <p class="hint">再委託先はありません。</p>}
      {rows.map((r, i) => (
        <fieldset key={r.key}>
          <legend>再委託先 {i + 1}</legend>
          <TextField
            label="再委託先の名称"
            required
            value={r.name}
            onValue={(name) => edit(i, { name })}
            error={error(`subcontractors.${i}.name`) ?? error(`subcontractors.${i}.subcontractorId`)}
          />
          <TextArea
            label="再委託される業務・個人情報"
            required
            value={r.handles}
            onValue={(handles) => edit(i, { handles })}
            error={error(`subcontractors.${i}.handles`)}
          />
          {permission && (
            <div class="row">
              <TextField
                label="許諾日"
                type="date"
                required={required}
                hint={`再委託の許諾${cite(provisions, 'subcontractPermission')}`}
                value={r.grantedOn}
                onValue={(grantedOn) => edit(i, { grantedOn })}
                error={error(`subcontractors.${i}.permission.grantedOn`) ?? error(`subcontractors.${i}.permission`)}
              />
              <TextField
                label="許諾した者"
                required={required}
                value={r.grantedBy}
                onValue={(grantedBy) => edit(i, { grantedBy })}
                error={error(`subcontractors.${i}.permission.grantedBy`)}
              />
            </div>
          )}
          <button type="button" class="secondary" onClick={() => onRows(rows.filter((_, j) => j !== i))}>
            再委託先 {i + 1} を削除
          </button>
        </fieldset>
      ))}
      {error('subcontractors') && !rows.some((_, i) => error(`subcontractors.${i}`)) && (
        <p class="field-error">{error('subcontractors')}</p>
      )}
      <button type="button" class="secondary" disabled={rows.length >= maxSubcontractors} onClick={() => onRows([...rows, rowOf()])}>
        再委託先を追加
      </button>
    </section>
  );
}

/** The rows as the API takes them: a 許諾 is sent where the regulation has one and it is required or typed in. */
function subcontractorsBody(rows: SubcontractorRow[], permission: boolean, required: boolean): SubcontractorInput[] {
  return rows.map((r) => ({
    ...(r.subcontractorId ? { subcontractorId: r.subcontractorId } : {}),
    name: r.name,
    handles: r.handles,
    ...(permission && (required || r.grantedOn.trim() || r.grantedBy.trim())
      ? { permission: { grantedOn: r.grantedOn, grantedBy: r.grantedBy } }
      : {}),
  }));
}

/** 委託先: register one, or edit it (PATCH with If-Match), with its 再委託先. */
export function ContractorForm({
  contractor,
  etag,
  onSaved,
  onCancel,
  onReload,
}: {
  contractor?: Contractor;
  etag?: string | null;
  onSaved: (c: Contractor, etag: string | null) => void;
  onCancel?: () => void;
  onReload?: () => void;
}) {
  const session = useSession();
  const { api, me } = session;
  const runner = useRunner();
  const intent = useCreateIntent();
  const [name, setName] = useState(contractor?.name ?? '');
  const [department, setDepartment] = useState(contractor?.department ?? me.department);
  const [handles, setHandles] = useState(contractor?.handles ?? '');
  const [contractFrom, setFrom] = useState(contractor?.contractFrom ?? '');
  const [contractTo, setTo] = useState(contractor?.contractTo ?? '');
  const [contact, setContact] = useState(contractor?.contact ?? '');
  const [subcontractors, setSubcontractors] = useState<SubcontractorRow[]>(() => (contractor?.subcontractors ?? []).map((s) => rowOf(s)));
  const { provisions } = session.profile;
  const err = (p: string) => fieldError(runner.error, p);
  return (
    <SaveForm
      runner={runner}
      submit="保存"
      onCancel={onCancel}
      onReload={onReload}
      onSave={async () => {
        const common = {
          name,
          handles,
          contractFrom,
          contractTo,
          subcontractors: subcontractorsBody(subcontractors, applies(provisions, 'subcontractPermission'), permissionRequired(provisions)),
        };
        const r = contractor
          ? await api.patch<Contractor>(
              `/contractors/${contractor.contractorId}`,
              checked(updateContractorSchema, { ...common, contact: contact.trim() || null }),
              etag ?? null,
            )
          : await api.create<Contractor>(
              '/contractors',
              checked(createContractorSchema, { ...common, department, ...(contact.trim() ? { contact } : {}) }),
              intent,
            );
        onSaved(r.data, r.etag);
      }}
    >
      <h2>{contractor ? '委託先を編集' : '委託先を登録'}</h2>
      <TextField label="委託先の名称" required value={name} onValue={setName} error={err('name')} />
      {!contractor && (
        <DepartmentSelect
          label="委託元の課"
          required
          value={department}
          onValue={setDepartment}
          keep={(code) => session.can('contractor:create', { type: 'department', department: code, organisation: session.organisation })}
          error={err('department')}
        />
      )}
      <TextArea label="取り扱う個人情報" required value={handles} onValue={setHandles} error={err('handles')} />
      <div class="row">
        <TextField label="契約開始日" type="date" required value={contractFrom} onValue={setFrom} error={err('contractFrom')} />
        <TextField label="契約終了日" type="date" required value={contractTo} onValue={setTo} error={err('contractTo')} />
      </div>
      <TextField label="連絡先" value={contact} onValue={setContact} error={err('contact')} />
      <SubcontractorsEditor rows={subcontractors} onRows={setSubcontractors} error={err} />
    </SaveForm>
  );
}
