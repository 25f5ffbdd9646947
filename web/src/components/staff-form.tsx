import { useState } from 'preact/hooks';
import { createStaffSchema, staffKinds, staffPosts, updateStaffSchema, type Staff, type StaffPost } from '#lib/domain/staff.js';
import { cite } from '#lib/domain/provisions.js';
import { checked } from '../api.js';
import { useCreateIntent, useRunner } from '../hooks.js';
import { optionsOf } from '../labels.js';
import { useSession } from '../session.js';
import { todayInJapan } from '../format.js';
import {
  type StaffFields,
  createStaffBody,
  designatesHandlers,
  handlerTerm,
  postLabel,
  staffFieldsOf,
  updateStaffBody,
} from '../training-view.js';
import { staffKindLabels } from '#lib/domain/staff.js';
import { SaveForm, SelectField, TextArea, TextField, fieldError } from './ui.js';

/** A labelled checkbox with its hint. */
function CheckField({
  label,
  checked: on,
  onValue,
  hint,
}: {
  label: string;
  checked: boolean;
  onValue: (v: boolean) => void;
  hint?: string;
}) {
  return (
    <div class="field">
      <label class="check">
        <input type="checkbox" checked={on} onChange={(e) => onValue(e.currentTarget.checked)} />
        {label}
      </label>
      {hint && <p class="hint">{hint}</p>}
    </div>
  );
}

/**
 * A person of the 課's register: added (POST /staff), or changed (PATCH with If-Match) either as a
 * correction of the current entry or from a date (適用日: what held before stays as history).
 */
export function StaffForm({
  department,
  staff,
  etag,
  onSaved,
  onCancel,
  onReload,
}: {
  department: string;
  staff?: Staff;
  etag?: string | null;
  onSaved: (s: Staff) => void;
  onCancel: () => void;
  onReload?: () => void;
}) {
  const { api, profile } = useSession();
  const runner = useRunner();
  const intent = useCreateIntent();
  const [f, setF] = useState<StaffFields>(() => staffFieldsOf(staff, todayInJapan()));
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const set = (patch: Partial<StaffFields>) => setF((v) => ({ ...v, ...patch }));
  const err = (p: string) => fieldError(runner.error, p);
  const handlers = designatesHandlers(profile);
  const term = handlerTerm(profile);
  return (
    <SaveForm
      runner={runner}
      submit="保存"
      label={staff ? `${staff.name}さんの名簿を編集` : '職員を追加'}
      onCancel={onCancel}
      onReload={onReload}
      onSave={async () => {
        const r = staff
          ? await api.patch<Staff>(
              `/staff/${staff.staffId}`,
              checked(updateStaffSchema, updateStaffBody(staff, f, effectiveFrom)),
              etag ?? null,
            )
          : await api.create<Staff>('/staff', checked(createStaffSchema, createStaffBody(department, f)), intent);
        onSaved(r.data);
      }}
    >
      <h2>{staff ? `${staff.name}さんの名簿を編集` : '職員を追加'}</h2>
      <div class="row">
        <TextField label="氏名" required value={f.name} onValue={(name) => set({ name })} error={err('name')} />
        <TextField label="役職" required value={f.title} onValue={(title) => set({ title })} error={err('title')} />
      </div>
      <div class="row">
        <SelectField
          label="区分"
          required
          value={f.kind}
          onValue={(kind) => set({ kind })}
          options={optionsOf(staffKinds, staffKindLabels)}
          error={err('kind')}
        />
        <SelectField<StaffPost>
          label="役割"
          value={f.post}
          onValue={(post) => set({ post })}
          placeholder="なし"
          options={staffPosts.map((p) => [p, postLabel(profile, p)] as const)}
          error={err('post')}
        />
        <TextField
          label="職員番号"
          value={f.employeeNumber}
          onValue={(employeeNumber) => set({ employeeNumber })}
          hint="人事の名簿の取込みで照合に使います"
          error={err('employeeNumber')}
        />
      </div>
      {handlers && (
        <>
          <CheckField
            label={`${term}に指定する`}
            hint={`${term}の指定${cite(profile.provisions, 'handlerDesignation')}`}
            checked={f.handler}
            onValue={(handler) => set({ handler })}
          />
          {f.handler && (
            <TextArea
              label="取り扱う事務"
              required
              value={f.handlerDuties}
              onValue={(handlerDuties) => set({ handlerDuties })}
              error={err('handlerDuties')}
            />
          )}
        </>
      )}
      <CheckField
        label="情報システムの管理に関する事務に従事する"
        hint={
          cite(profile.provisions, 'systemAdminTraining') ? `研修の対象者${cite(profile.provisions, 'systemAdminTraining')}` : undefined
        }
        checked={f.systemAdmin}
        onValue={(systemAdmin) => set({ systemAdmin })}
      />
      {staff ? (
        <TextField
          label="適用日"
          type="date"
          value={effectiveFrom}
          onValue={setEffectiveFrom}
          hint="異動などで変わる日を入れると、その前日までの内容が履歴として残ります。空欄のときは誤りの訂正として現在の内容を書き換えます。"
          error={err('effectiveFrom')}
        />
      ) : (
        <TextField label="名簿に載せる日" type="date" required value={f.from} onValue={(from) => set({ from })} error={err('from')} />
      )}
    </SaveForm>
  );
}

/** The end of a person's time on the register (PATCH `to`): the last day they belong to the 課. */
export function EndStaffForm({
  staff,
  etag,
  onSaved,
  onCancel,
  onReload,
}: {
  staff: Staff;
  etag: string | null;
  onSaved: (s: Staff) => void;
  onCancel: () => void;
  onReload?: () => void;
}) {
  const { api } = useSession();
  const runner = useRunner();
  const [to, setTo] = useState(todayInJapan());
  return (
    <SaveForm
      runner={runner}
      submit="名簿から外す"
      label={`${staff.name}さんを名簿から外す`}
      onCancel={onCancel}
      onReload={onReload}
      onSave={async () => {
        const r = await api.patch<Staff>(`/staff/${staff.staffId}`, checked(updateStaffSchema, { to }), etag);
        onSaved(r.data);
      }}
    >
      <h2>{staff.name}さんを名簿から外す</h2>
      <TextField
        label="最後に在籍する日"
        type="date"
        required
        value={to}
        onValue={setTo}
        hint="この日より後の名簿には載りません。それまでの名簿と研修の記録は残ります。"
        error={fieldError(runner.error, 'to')}
      />
    </SaveForm>
  );
}
