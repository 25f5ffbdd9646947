import { useId } from 'preact/hooks';
import { incidentCategories, incidentCategoryLabels } from '#lib/domain/incident.js';
import { type FactFlag, type FactsDraft, factFlagLabels, factFlags, myNumberOnly } from '../incident-view.js';
import { optionsOf } from '../labels.js';
import { SelectField, TextArea, TextField } from './ui.js';

/**
 * The facts of a 事案 as a form edits them (the report, and the facts editor of its page):
 * 発覚日時 in Japan time, 概要, 区分, 項目 typed in one field, 本人の数 or 不明, and the flags
 * that decide a report to the PPC, each in plain words with a one-line hint.
 */

export function FactsFields({
  value,
  onValue,
  error,
}: {
  value: FactsDraft;
  onValue: (d: FactsDraft) => void;
  error: (path: string) => string | undefined;
}) {
  const id = useId();
  const set = (patch: Partial<FactsDraft>) => onValue({ ...value, ...patch });
  const setFlag = (flag: FactFlag, on: boolean) => {
    const flags = { ...value.flags, [flag]: on };
    if (flag === 'myNumber' && !on) for (const f of myNumberOnly) flags[f] = false;
    set({ flags });
  };
  const shown = factFlags.filter((f) => !myNumberOnly.includes(f) || value.flags.myNumber);
  const subjectsError = error('records.subjects');
  return (
    <>
      <TextField
        label="発覚日時（日本時間）"
        type="datetime-local"
        required
        value={value.discoveredAt}
        onValue={(discoveredAt) => set({ discoveredAt })}
        error={error('discoveredAt')}
      />
      <TextArea label="概要" required rows={3} value={value.summary} onValue={(summary) => set({ summary })} error={error('summary')} />
      <SelectField
        label="区分"
        required
        value={value.category}
        onValue={(category) => set({ category })}
        placeholder="選択してください"
        options={optionsOf(incidentCategories, incidentCategoryLabels)}
        error={error('category')}
      />
      <TextField
        label="漏えい等した項目"
        required
        hint="「、」またはカンマで区切って入力（例: 氏名、住所）"
        value={value.items}
        onValue={(items) => set({ items })}
        error={error('records.items')}
      />
      <fieldset class="check-item" aria-describedby={subjectsError ? `${id}-subjects-error` : undefined}>
        <legend>本人の数</legend>
        <div class="row">
          <TextField
            label="人数"
            type="number"
            min={0}
            inputMode="numeric"
            value={value.subjectsUnknown ? '' : value.subjects}
            onValue={(subjects) => set({ subjects, subjectsUnknown: false })}
          />
          <label class="check">
            <input type="checkbox" checked={value.subjectsUnknown} onChange={(e) => set({ subjectsUnknown: e.currentTarget.checked })} />
            不明
          </label>
        </div>
        {subjectsError && (
          <p class="field-error" id={`${id}-subjects-error`}>
            {subjectsError}
          </p>
        )}
      </fieldset>
      <fieldset class="check-item flags">
        <legend>該当するものにチェック</legend>
        {shown.map((f) => (
          <div key={f} class="flag">
            <label class="check">
              <input
                type="checkbox"
                checked={value.flags[f]}
                aria-describedby={`${id}-${f}-hint`}
                onChange={(e) => setFlag(f, e.currentTarget.checked)}
              />
              {factFlagLabels[f].label}
            </label>
            <p class="hint" id={`${id}-${f}-hint`}>
              {factFlagLabels[f].hint}
            </p>
          </div>
        ))}
      </fieldset>
    </>
  );
}
