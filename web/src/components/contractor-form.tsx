import { useState } from 'preact/hooks';
import { createContractorSchema, updateContractorSchema } from '#lib/domain/contractor.js';
import { checked } from '../api.js';
import { useCreateIntent, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Contractor } from '../types.js';
import { DepartmentSelect } from './departments.js';
import { SaveForm, TextArea, TextField, fieldError } from './ui.js';

/** 委託先: register one, or edit it (PATCH with If-Match). */
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
  const err = (p: string) => fieldError(runner.error, p);
  return (
    <SaveForm
      runner={runner}
      submit="保存"
      onCancel={onCancel}
      onReload={onReload}
      onSave={async () => {
        const common = { name, handles, contractFrom, contractTo };
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
    </SaveForm>
  );
}
