import { useEffect, useMemo, useState } from 'preact/hooks';
import { cite } from '#lib/domain/provisions.js';
import { attendanceSchema, audienceOf, hasEnded, trainingMethodLabels } from '#lib/domain/training.js';
import { RawBody, checked, csvUpload } from '../api.js';
import { ImportRowErrors } from '../components/csv-import.js';
import { DepartmentSelect } from '../components/departments.js';
import { Loading, PageTitle, ProblemAlert, SaveForm, TextField, fieldError } from '../components/ui.js';
import { dateText, fiscalYearText, todayInJapan } from '../format.js';
import { useAll, useResource, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import {
  attendanceChange,
  attendanceImportLabels,
  audienceLabel,
  completionText,
  initialSection,
  isRetake,
  registerOf,
  sectionCodes,
} from '../training-view.js';
import type { AttendanceImportPreview, StaffOnDate, TrainingView } from '../types.js';

/** Completion of the session by 課 (those the user may see). */
function CompletionTable({ training }: { training: TrainingView }) {
  const { departmentLabel } = useSession();
  const rows = training.completion ?? [];
  if (rows.length === 0) return <p class="state">受講状況はまだありません</p>;
  return (
    <table aria-label="課別の受講状況">
      <thead>
        <tr>
          <th scope="col">課</th>
          <th scope="col">受講</th>
          <th scope="col">うち再受講</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.department}>
            <th scope="row">{departmentLabel(c.department)}</th>
            <td>{completionText(c)}</td>
            <td>{c.retaken}人</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A 課's attendance, on a phone: its audience (the register as of the session's last day) with a
 * big checkbox each; ticking records attendance on the chosen day, unticking takes it back. After
 * the session, a later day records the 再受講 of those who missed it.
 */
function AttendanceList({ training, department, onRecorded }: { training: TrainingView; department: string; onRecorded: () => void }) {
  const { api, profile, departmentLabel } = useSession();
  const runner = useRunner();
  const today = todayInJapan();
  const register = useAll<StaffOnDate>('/staff', { department, asOf: training.timing.to });
  const missing = useAll<StaffOnDate>(`/trainings/${training.trainingId}/non-attendees`, { department });
  const audience = useMemo(() => audienceOf(training, register.items), [training, register.items]);
  const attended = useMemo(() => {
    const out = new Set(missing.items.map((s) => s.staffId));
    return new Set(audience.map((s) => s.staffId).filter((id) => !out.has(id)));
  }, [audience, missing.items]);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [attendedOn, setAttendedOn] = useState(today);
  const [saved, setSaved] = useState('');
  // The ticks start from what is recorded, and again after each record.
  useEffect(() => setTicked(new Set(attended)), [attended]);
  const change = attendanceChange(audience, attended, ticked);
  const retake = isRetake(training, attendedOn);
  const ended = hasEnded(training, today);
  if ((register.loading && register.items.length === 0) || (missing.loading && missing.items.length === 0 && !missing.error))
    return <Loading />;
  return (
    <SaveForm
      runner={runner}
      submit={retake ? '再受講を記録' : '受講を記録'}
      label={`${departmentLabel(department)}の受講の記録`}
      onSave={async () => {
        const body = { department, staffIds: change.staffIds, attendedOn, unmark: change.unmark };
        await api.post(`/trainings/${training.trainingId}/attendance`, checked(attendanceSchema, body));
        setSaved(
          `${change.staffIds.length}人の${retake ? '再受講' : '受講'}を記録しました${change.unmark.length ? `（${change.unmark.length}人の記録を取り消しました）` : ''}。`,
        );
        onRecorded();
      }}
    >
      <h2>{departmentLabel(department)}の受講の記録</h2>
      <ProblemAlert error={register.error ?? missing.error} />
      {ended && (
        <p class="hint">
          実施時期を過ぎています。未受講者に受講の機会を設け、受講した日を入れて記録すると再受講として記録されます
          {cite(profile.provisions, 'trainingFollowUp')}。
        </p>
      )}
      <TextField
        label="受講日"
        type="date"
        required
        value={attendedOn}
        onValue={setAttendedOn}
        max={today}
        error={fieldError(runner.error, 'attendedOn')}
      />
      <fieldset class="attendance">
        <legend>対象者（{audience.length}人）: チェックした人を受講済みとして記録します</legend>
        {audience.length === 0 && <p class="state">この課に対象者はいません</p>}
        {audience.map((s) => (
          <label key={s.staffId} class="attendee">
            <input
              type="checkbox"
              checked={ticked.has(s.staffId)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setSaved('');
                setTicked((t) => {
                  const next = new Set(t);
                  if (on) next.add(s.staffId);
                  else next.delete(s.staffId);
                  return next;
                });
              }}
            />
            <span>
              {s.name}
              <span class="meta">（{s.title}）</span>
              {attended.has(s.staffId) && <span class="badge badge-done">受講済み</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {saved && (
        <p class="notice" role="status">
          {saved}
        </p>
      )}
      <section aria-labelledby="non-attendees">
        <h3 id="non-attendees">
          未受講者（{missing.items.length}人）{ended ? cite(profile.provisions, 'trainingFollowUp') : ''}
        </h3>
        {missing.items.length === 0 ? (
          <p class="state">未受講者はいません</p>
        ) : (
          <ul class="non-attendees">
            {missing.items.map((s) => (
              <li key={s.staffId}>
                {s.name}（{s.title}）
              </li>
            ))}
          </ul>
        )}
      </section>
    </SaveForm>
  );
}

/**
 * A 課's attendance from an e-learning system's CSV (UTF-8 or Shift_JIS): first a preview (dryRun)
 * of what each row records and of every refused row; applied only when no row is refused (all or
 * nothing). Importing the same file again records nothing twice.
 */
function AttendanceImport({ training, department, onImported }: { training: TrainingView; department: string; onImported: () => void }) {
  const { api, departmentLabel } = useSession();
  const runner = useRunner();
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<AttendanceImportPreview>();
  const [done, setDone] = useState('');
  const path = `/trainings/${training.trainingId}/attendance/import`;
  const review = (f: File | undefined) => {
    setPreview(undefined);
    setDone('');
    setFile(f);
    if (!f) return;
    void runner.run(async () => {
      const r = await api.request<AttendanceImportPreview>('POST', path, {
        query: { department, dryRun: true },
        body: new RawBody(f, csvUpload),
      });
      setPreview(r.data);
    });
  };
  const toRecord = preview ? preview.changes.filter((c) => c.action === 'record').length : 0;
  return (
    <section class="panel" aria-labelledby="attendance-import">
      <h2 id="attendance-import">eラーニングの受講記録の取込み（{departmentLabel(department)}）</h2>
      <p class="hint">
        eラーニングの受講記録のCSV（UTF-8またはShift_JIS。見出し:
        職員番号と、修了日・完了日・受講日のいずれか。氏名・受講状況は任意）を選ぶと、記録する前に内容を表示します。
        職員番号で名簿と照合し、未受講・未修了の行は読み飛ばします。
      </p>
      <div class="field">
        <label for="attendance-import-file">eラーニングの受講記録（CSV）を取り込む</label>
        <input id="attendance-import-file" type="file" accept=".csv,text/csv" onChange={(e) => review(e.currentTarget.files?.[0])} />
      </div>
      {file && !preview && !runner.busy && !done && (
        <button type="button" class="secondary" onClick={() => review(file)}>
          取込み内容を確認
        </button>
      )}
      {runner.busy && <Loading />}
      <ProblemAlert error={runner.error} />
      {done && (
        <p role="status" class="notice">
          {done}
        </p>
      )}
      {preview && (
        <>
          <p class="meta">
            文字コード {preview.encoding}・{preview.rows}行・受講を記録 {toRecord}人
          </p>
          <ImportRowErrors errors={preview.errors} nothing="記録しません" />
          {preview.changes.length === 0 ? (
            <p class="state">取り込む行はありません。</p>
          ) : (
            <table aria-label="取込みの内容">
              <thead>
                <tr>
                  <th scope="col">行</th>
                  <th scope="col">内容</th>
                  <th scope="col">氏名</th>
                  <th scope="col">受講日</th>
                </tr>
              </thead>
              <tbody>
                {preview.changes.map((c) => (
                  <tr key={c.row}>
                    <td>{c.row}</td>
                    <td>
                      {attendanceImportLabels[c.action]}
                      {c.action === 'record' && c.attendedOn !== null && isRetake(training, c.attendedOn) ? '（再受講）' : ''}
                    </td>
                    <td>{c.name || '—'}</td>
                    <td>{c.attendedOn ? dateText(c.attendedOn) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {file && preview && preview.errors.length === 0 && toRecord > 0 && (
        <div class="buttons">
          <button
            type="button"
            disabled={runner.busy}
            onClick={() =>
              void runner.run(async () => {
                await api.request('POST', path, { query: { department }, body: new RawBody(file, csvUpload) });
                setDone(`${toRecord}人の受講を記録しました。`);
                setPreview(undefined);
                setFile(undefined);
                onImported();
              })
            }
          >
            受講を記録する
          </button>
        </div>
      )}
    </section>
  );
}

/** A session: what it is, completion by 課 and, for a 課's 保護管理者 (or the chief), its attendance. */
export default function TrainingDetail({ trainingId }: { trainingId: string }) {
  const session = useSession();
  const { profile } = session;
  const training = useResource<TrainingView>(`/trainings/${trainingId}`);
  const recordable = sectionCodes(session).filter((code) => session.can('attendance:record', registerOf(session, 'training', code)));
  const [department, setDepartment] = useState(() => initialSection(session, recordable, undefined));
  // Each import starts the 課's attendance list again from what is recorded.
  const [imports, setImports] = useState(0);
  const t = training.data;
  if (!t) return training.error ? <ProblemAlert error={training.error} onRetry={() => void training.reload()} /> : <Loading />;
  return (
    <>
      <PageTitle title={`研修: ${t.name}`}>研修: {t.name}</PageTitle>
      <dl class="fields">
        <dt>年度</dt>
        <dd>{fiscalYearText(t.fiscalYear)}</dd>
        <dt>実施時期</dt>
        <dd>
          {dateText(t.timing.from)} 〜 {dateText(t.timing.to)}
        </dd>
        <dt>対象者</dt>
        <dd>{t.audience.map((a) => audienceLabel(profile, a)).join('・')}</dd>
        <dt>実施方法</dt>
        <dd>{trainingMethodLabels[t.method]}</dd>
        {t.note && (
          <>
            <dt>備考</dt>
            <dd>{t.note}</dd>
          </>
        )}
      </dl>
      <p>
        <a href={`/trainings?fiscalYear=${t.fiscalYear}`}>{fiscalYearText(t.fiscalYear)}の研修計画へ</a>
      </p>
      <section class="panel" aria-labelledby="completion">
        <h2 id="completion">課別の受講状況</h2>
        <CompletionTable training={t} />
      </section>
      {recordable.length > 1 && (
        <div class="filters">
          <DepartmentSelect
            label="受講を記録する課"
            value={department}
            onValue={setDepartment}
            keep={(code) => recordable.includes(code)}
          />
        </div>
      )}
      {recordable.includes(department) && (
        <>
          <AttendanceList key={`${department}:${imports}`} training={t} department={department} onRecorded={() => void training.reload()} />
          <AttendanceImport
            key={department}
            training={t}
            department={department}
            onImported={() => {
              setImports((n) => n + 1);
              void training.reload();
            }}
          />
        </>
      )}
    </>
  );
}
