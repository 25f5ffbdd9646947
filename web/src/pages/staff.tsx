import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { cite } from '#lib/domain/provisions.js';
import { readsEveryRegister } from '#lib/domain/permissions.js';
import { RawBody, csvUpload } from '../api.js';
import { ImportRowErrors } from '../components/csv-import.js';
import { DepartmentSelect } from '../components/departments.js';
import { EndStaffForm, StaffForm } from '../components/staff-form.js';
import { Loading, PageTitle, PagedList, ProblemAlert, SelectField, TextField, openBlob } from '../components/ui.js';
import { dateText, todayInJapan } from '../format.js';
import { usePaged, useResource, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import {
  designatesHandlers,
  handlerTerm,
  importActionLabels,
  importChanges,
  importCountsText,
  initialSection,
  kindLabel,
  postLabel,
  readableSections,
  registerOf,
  staffFormNames,
} from '../training-view.js';
import type { Staff, StaffImportPreview, StaffOnDate } from '../types.js';

/** Edit or end one person: the person read with its ETag, so the PATCH carries If-Match. */
function StaffChange({ staffId, mode, onDone }: { staffId: string; mode: 'edit' | 'end'; onDone: () => void }) {
  const person = useResource<Staff>(`/staff/${staffId}`);
  if (person.loading && !person.data) return <Loading />;
  if (!person.data) return <ProblemAlert error={person.error} onRetry={() => void person.reload()} />;
  const reload = () => void person.reload();
  return mode === 'edit' ? (
    <StaffForm
      department={person.data.department}
      staff={person.data}
      etag={person.etag}
      onSaved={onDone}
      onCancel={onDone}
      onReload={reload}
    />
  ) : (
    <EndStaffForm staff={person.data} etag={person.etag} onSaved={onDone} onCancel={onDone} onReload={reload} />
  );
}

/**
 * The HR department's CSV (UTF-8 or Shift_JIS): first a preview (dryRun) of what it would change
 * and of every refused row; applied only when no row is refused (all or nothing).
 */
function StaffImport({ department, onClose }: { department: string; onClose: () => void }) {
  const { api, departmentLabel } = useSession();
  const runner = useRunner();
  const [file, setFile] = useState<File>();
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [preview, setPreview] = useState<StaffImportPreview>();
  const [key, setKey] = useState('');
  const [done, setDone] = useState<StaffImportPreview>();
  const send = (f: File, dryRun: boolean, idempotencyKey?: string) =>
    api.request<StaffImportPreview>('POST', '/staff/import', {
      query: { department, effectiveFrom, ...(dryRun ? { dryRun: true } : {}) },
      body: new RawBody(f, csvUpload),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
  const review = (f: File | undefined) => {
    setPreview(undefined);
    setDone(undefined);
    setFile(f);
    if (!f) return;
    void runner.run(async () => {
      setPreview((await send(f, true)).data);
      // Applying this preview is one intent: a retry after a lost answer imports nothing twice.
      setKey(crypto.randomUUID());
    });
  };
  const changes = preview ? importChanges(preview.changes) : [];
  return (
    <section class="panel" aria-labelledby="staff-import">
      <h2 id="staff-import">名簿の取込み（{departmentLabel(department)}）</h2>
      <p class="hint">
        人事の名簿のCSV（UTF-8またはShift_JIS。見出し: 職員番号・氏名・役職・区分ほか）を選ぶと、反映する前に変更内容を表示します。
        職員番号で照合し、ファイルにない職員はそのまま残ります。
      </p>
      <TextField
        label="適用日"
        type="date"
        value={effectiveFrom}
        onValue={(v) => {
          setEffectiveFrom(v);
          setPreview(undefined);
        }}
        hint="変更がその日から適用されます（空欄のときは今日）"
      />
      <div class="field">
        <label for="staff-import-file">CSVファイル</label>
        <input id="staff-import-file" type="file" accept=".csv,text/csv" onChange={(e) => review(e.currentTarget.files?.[0])} />
      </div>
      {file && !preview && !runner.busy && (
        <button type="button" class="secondary" onClick={() => review(file)}>
          変更内容を確認
        </button>
      )}
      {runner.busy && <Loading />}
      <ProblemAlert error={runner.error} />
      {done && (
        <p role="status" class="notice">
          名簿に反映しました（{importCountsText(done.counts)}）。
        </p>
      )}
      {preview && (
        <>
          <p class="meta">
            文字コード {preview.encoding}・{preview.rows}行・適用日 {dateText(preview.effectiveFrom)}・
            {importCountsText(preview.counts) || '変更なし'}
          </p>
          <ImportRowErrors errors={preview.errors} nothing="登録しません" />
          {changes.length === 0 ? (
            <p class="state">名簿に変更はありません。</p>
          ) : (
            <table aria-label="取込みによる変更">
              <thead>
                <tr>
                  <th scope="col">行</th>
                  <th scope="col">内容</th>
                  <th scope="col">氏名</th>
                  <th scope="col">職員番号</th>
                  <th scope="col">変わる項目</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr key={c.row}>
                    <td>{c.row}</td>
                    <td>{importActionLabels[c.action]}</td>
                    <td>{c.name}</td>
                    <td>{c.employeeNumber}</td>
                    <td>{c.fields.join('・') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <div class="buttons">
        {file && preview && preview.errors.length === 0 && changes.length > 0 && (
          <button
            type="button"
            disabled={runner.busy}
            onClick={() =>
              void runner.run(async () => {
                setDone((await send(file, false, key)).data);
                setPreview(undefined);
                setFile(undefined);
              })
            }
          >
            名簿に反映する
          </button>
        )}
        <button type="button" class="secondary" onClick={onClose}>
          閉じる
        </button>
      </div>
    </section>
  );
}

/**
 * 職員名簿: a 課's register on a date (基準日), kept by its 保護管理者 (add, change from a date,
 * end, import the HR department's CSV), with the exports the profile names (001: 様式第1号・第2号).
 */
export default function StaffRegister() {
  const session = useSession();
  const { api, profile, departmentLabel } = session;
  const { query } = useLocation();
  const today = todayInJapan();
  const sections = readableSections(session, 'staff');
  const [department, setDepartment] = useState(() => initialSection(session, sections, query.department));
  const [asOf, setAsOf] = useState(/^\d{4}-\d{2}-\d{2}$/.test(query.asOf ?? '') ? String(query.asOf) : today);
  const [open, setOpen] = useState<{ kind: 'add' | 'import' } | { kind: 'edit' | 'end'; staffId: string } | null>(null);
  const exports = useRunner();
  const list = usePaged<StaffOnDate>(department && asOf ? '/staff' : null, { department, asOf });
  const resource = registerOf(session, 'staff', department);
  const keeps = session.can('staff:update', resource);
  const handlers = designatesHandlers(profile);
  const term = handlerTerm(profile);
  const forms = staffFormNames(profile);
  // Those who read every register may print the whole organisation's forms (the route then omits the 課).
  const everySection = readsEveryRegister(session.actor, 'staff', profile);
  const [formScope, setFormScope] = useState<'section' | 'all'>('section');
  const whole = everySection && formScope === 'all';
  const exportForm = (kind: 'form1' | 'form2', name: string, format: 'xlsx' | 'html') =>
    exports.run(async () => {
      openBlob(
        await api.blob(`/staff/${kind}`, { ...(whole ? {} : { department }), asOf, format }),
        `${name}_${whole ? '全課' : department}_${asOf}.${format}`,
        format === 'xlsx',
      );
    });
  return (
    <>
      <PageTitle title="職員名簿">職員名簿{handlers ? cite(profile.provisions, 'handlerDesignation') : ''}</PageTitle>
      <div class="filters row">
        {sections.length > 1 && (
          <DepartmentSelect label="課" value={department} onValue={setDepartment} keep={(code) => sections.includes(code)} />
        )}
        <TextField label="基準日" type="date" value={asOf} onValue={setAsOf} hint="過去の日付にすると、その日の名簿を表示します" />
      </div>
      {forms && (
        <section class="panel" aria-label="名簿の出力">
          {everySection && (
            <SelectField
              label="出力する範囲"
              value={formScope}
              onValue={setFormScope}
              options={[
                ['section', departmentLabel(department)],
                ['all', '全課'],
              ]}
            />
          )}
          <div class="buttons">
            {(
              [
                ['form1', forms.form1],
                ['form2', forms.form2],
              ] as const
            ).flatMap(([kind, name]) => [
              <button
                key={`${kind}-xlsx`}
                type="button"
                class="secondary"
                disabled={exports.busy}
                onClick={() => void exportForm(kind, name, 'xlsx')}
              >
                {name}（Excel）
              </button>,
              <button
                key={`${kind}-html`}
                type="button"
                class="secondary"
                disabled={exports.busy}
                onClick={() => void exportForm(kind, name, 'html')}
              >
                {name}（印刷用）
              </button>,
            ])}
          </div>
          <ProblemAlert error={exports.error} />
        </section>
      )}
      {keeps && open === null && (
        <div class="buttons">
          {session.can('staff:create', resource) && (
            <button type="button" onClick={() => setOpen({ kind: 'add' })}>
              職員を追加
            </button>
          )}
          {session.can('staff:import', resource) && (
            <button type="button" class="secondary" onClick={() => setOpen({ kind: 'import' })}>
              CSVから取り込む
            </button>
          )}
        </div>
      )}
      {open?.kind === 'add' && <StaffForm department={department} onSaved={() => setOpen(null)} onCancel={() => setOpen(null)} />}
      {open?.kind === 'import' && <StaffImport department={department} onClose={() => setOpen(null)} />}
      {(open?.kind === 'edit' || open?.kind === 'end') && (
        <StaffChange staffId={open.staffId} mode={open.kind} onDone={() => setOpen(null)} />
      )}
      <section class="panel" aria-labelledby="staff-list">
        <h2 id="staff-list">
          {departmentLabel(department)}の名簿（{dateText(asOf)}現在）
        </h2>
        <PagedList list={list} keyOf={(s) => s.staffId} empty="この日に名簿に載っている職員はいません" class="cards staff-list">
          {(s) => (
            <>
              <p>
                <strong>{s.name}</strong>（{s.title}・{kindLabel(s.kind)}）
                {s.post && <span class="badge">{postLabel(profile, s.post)}</span>}
                {handlers && s.handler && <span class="badge">{term}</span>}
                {s.systemAdmin && <span class="badge">システム管理</span>}
              </p>
              {handlers && s.handler && <p class="meta">事務: {s.handlerDuties}</p>}
              <p class="meta">
                在籍 {dateText(s.from)} 〜 {s.to ? dateText(s.to) : ''}
                {s.employeeNumber ? `・職員番号 ${s.employeeNumber}` : ''}
                {s.since > asOf ? `・${dateText(s.since)}から内容が変わっています` : ''}
              </p>
              {keeps && asOf === today && open === null && (
                <div class="buttons">
                  <button type="button" class="secondary" onClick={() => setOpen({ kind: 'edit', staffId: s.staffId })}>
                    {s.name}さんを編集
                  </button>
                  {s.to === null && (
                    <button type="button" class="secondary" onClick={() => setOpen({ kind: 'end', staffId: s.staffId })}>
                      {s.name}さんを名簿から外す
                    </button>
                  )}
                </div>
              )}
            </>
          )}
        </PagedList>
      </section>
    </>
  );
}
