import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { cite } from '#lib/domain/provisions.js';
import { type Audience, type TrainingMethod, createTrainingSchema, trainingMethodLabels, trainingMethods } from '#lib/domain/training.js';
import { checked } from '../api.js';
import { PageTitle, PagedList, ProblemAlert, SaveForm, SelectField, TextArea, TextField, fieldError, openBlob } from '../components/ui.js';
import { currentFiscalYear, dateText, fiscalYearOptions, fiscalYearText } from '../format.js';
import { useCreateIntent, usePaged, useRunner } from '../hooks.js';
import { optionsOf } from '../labels.js';
import { useSession } from '../session.js';
import { audienceLabel, completionText, completionTotal, offeredAudiences, trainingFormName } from '../training-view.js';
import type { TrainingView } from '../types.js';

/** A session of the 年度's plan, drafted by the 総括保護管理者: only the audiences the profile has are offered. */
function TrainingForm({ fiscalYear, onSaved, onCancel }: { fiscalYear: number; onSaved: (t: TrainingView) => void; onCancel: () => void }) {
  const { api, profile } = useSession();
  const runner = useRunner();
  const intent = useCreateIntent();
  const [name, setName] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [audience, setAudience] = useState<Audience[]>([]);
  const [method, setMethod] = useState<TrainingMethod | ''>('');
  const [note, setNote] = useState('');
  const offered = offeredAudiences(profile);
  const err = (p: string) => fieldError(runner.error, p);
  const toggle = (a: Audience, on: boolean) => setAudience((list) => offered.filter((x) => (x === a ? on : list.includes(x))));
  return (
    <SaveForm
      runner={runner}
      submit="研修を計画"
      label="研修を計画"
      onCancel={onCancel}
      onSave={async () => {
        const body = { fiscalYear, name, timing: { from, to }, audience, method, note };
        const r = await api.create<TrainingView>('/trainings', checked(createTrainingSchema, body), intent);
        onSaved(r.data);
      }}
    >
      <h2>
        研修を計画（{fiscalYearText(fiscalYear)}）{cite(profile.provisions, 'trainingPlan')}
      </h2>
      <TextField label="研修名" required value={name} onValue={setName} error={err('name')} />
      <div class="row">
        <TextField label="実施時期（開始日）" type="date" required value={from} onValue={setFrom} error={err('timing.from')} />
        <TextField label="実施時期（終了日）" type="date" required value={to} onValue={setTo} error={err('timing.to')} />
      </div>
      <fieldset aria-describedby={err('audience') ? 'training-audience-error' : undefined}>
        <legend>
          対象者<span class="required">（必須）</span>
        </legend>
        {offered.map((a) => (
          <label key={a} class="check">
            <input type="checkbox" checked={audience.includes(a)} onChange={(e) => toggle(a, e.currentTarget.checked)} />
            {audienceLabel(profile, a)}
          </label>
        ))}
        {err('audience') && (
          <p class="field-error" id="training-audience-error">
            {err('audience')}
          </p>
        )}
      </fieldset>
      <SelectField
        label="実施方法"
        required
        value={method}
        onValue={setMethod}
        placeholder="選択してください"
        options={optionsOf(trainingMethods, trainingMethodLabels)}
        error={err('method')}
      />
      <TextArea label="備考" value={note} onValue={setNote} error={err('note')} />
    </SaveForm>
  );
}

/** 研修計画: the 年度's sessions with each one's completion, the chief's form and the plan's export (001: 様式第3号). */
export default function Trainings() {
  const session = useSession();
  const { api, profile } = session;
  const { route, query } = useLocation();
  const fy = currentFiscalYear();
  const [fiscalYear, setFiscalYear] = useState(/^\d{4}$/.test(query.fiscalYear ?? '') ? String(query.fiscalYear) : String(fy));
  const [creating, setCreating] = useState(false);
  const exports = useRunner();
  const list = usePaged<TrainingView>('/trainings', { fiscalYear });
  const form = trainingFormName(profile);
  const exportForm = (format: 'xlsx' | 'html') =>
    exports.run(async () => {
      openBlob(await api.blob('/trainings/form3', { fiscalYear, format }), `${form}_${fiscalYear}.${format}`, format === 'xlsx');
    });
  return (
    <>
      <PageTitle title="研修計画">研修計画{cite(profile.provisions, 'trainingPlan')}</PageTitle>
      <div class="filters">
        <SelectField
          label="年度"
          value={fiscalYear}
          onValue={setFiscalYear}
          options={fiscalYearOptions([fy - 1, fy, fy + 1], fiscalYear)}
        />
      </div>
      <div class="buttons">
        {session.can('training:create') && !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            研修を計画
          </button>
        )}
        <button type="button" class="secondary" disabled={exports.busy} onClick={() => void exportForm('xlsx')}>
          {form}（Excel）
        </button>
        <button type="button" class="secondary" disabled={exports.busy} onClick={() => void exportForm('html')}>
          {form}（印刷用）
        </button>
      </div>
      <ProblemAlert error={exports.error} />
      {creating && (
        <TrainingForm
          fiscalYear={Number(fiscalYear)}
          onSaved={(t) => route(`/trainings/${t.trainingId}`)}
          onCancel={() => setCreating(false)}
        />
      )}
      <section class="panel" aria-labelledby="training-list">
        <h2 id="training-list">{fiscalYearText(Number(fiscalYear))}の研修</h2>
        <PagedList list={list} keyOf={(t) => t.trainingId} empty="この年度の研修はまだ計画されていません">
          {(t) => (
            <>
              <a href={`/trainings/${t.trainingId}`}>{t.name}</a>
              <p class="meta">
                {dateText(t.timing.from)} 〜 {dateText(t.timing.to)}・{trainingMethodLabels[t.method]}
              </p>
              <p class="meta">対象者: {t.audience.map((a) => audienceLabel(profile, a)).join('・')}</p>
              {t.completion && t.completion.length > 0 && <p class="meta">受講 {completionText(completionTotal(t.completion))}</p>}
            </>
          )}
        </PagedList>
      </section>
    </>
  );
}
