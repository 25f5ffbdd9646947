import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { checkResultLabels, checkResults, inspectionStatusLabels, type CheckResult } from '#lib/domain/inspection.js';
import { EvidenceSection } from '../components/evidence.js';
import { Loading, PageTitle, ProblemAlert, StatusBadge, TextArea } from '../components/ui.js';
import { dateText, dateTimeText } from '../format.js';
import { useResource, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Inspection } from '../types.js';

type Answer = { result: CheckResult | null; note: string };

/** 点検 checklist: each item 適正 / 要改善 / 該当なし with a note, photos, then 提出. */
export default function InspectionDetail() {
  const { api, actor, me } = useSession();
  const { inspectionId } = useRoute().params as { inspectionId: string };
  const insp = useResource<Inspection>(`/inspections/${inspectionId}`);
  const runner = useRunner();
  const [answers, setAnswers] = useState<Answer[]>([]);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (insp.data) setAnswers(insp.data.checklist.map((c) => ({ result: c.result, note: c.note })));
  }, [insp.data]);

  if (!insp.data) return insp.error ? <ProblemAlert error={insp.error} onRetry={insp.reload} /> : <Loading />;
  const x = insp.data;
  const open = x.status === 'open';
  const ownSection = me.department === x.department && actor.roles.some((r) => r === 'sectionManager' || r === 'sectionStaff');
  const reload = () => {
    runner.clear();
    void insp.reload();
  };
  const save = () =>
    runner.run(async () => {
      const r = await api.patch<Inspection>(
        `/inspections/${x.inspectionId}`,
        { answers: answers.map((a, index) => ({ index, result: a.result, note: a.note })) },
        insp.etag,
      );
      insp.set(r);
      setSaved(true);
      return r;
    });
  const set = (i: number, a: Partial<Answer>) => {
    setSaved(false);
    setAnswers((prev) => prev.map((p, j) => (j === i ? { ...p, ...a } : p)));
  };

  return (
    <>
      <PageTitle title="点検">
        {x.department} の点検（{x.period}）
      </PageTitle>
      <p>
        <StatusBadge status={x.status} label={inspectionStatusLabels[x.status]} /> 期限 {dateText(x.dueDate)}・{x.source}
      </p>
      {x.submittedAt && (
        <p>
          提出: {x.submittedBy}・{dateTimeText(x.submittedAt)}
        </p>
      )}
      <form
        class="panel form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2>点検項目</h2>
        {x.checklist.map((c, i) => (
          <fieldset key={c.item} class="check-item">
            <legend>{c.item}</legend>
            <div class="row">
              {checkResults.map((r) => (
                <label key={r} class="check">
                  <input type="radio" name={`item-${i}`} value={r} disabled={!open} checked={answers[i]?.result === r} onChange={() => set(i, { result: r })} />
                  {checkResultLabels[r]}
                </label>
              ))}
            </div>
            <TextArea label={`「${c.item}」の所見`} value={answers[i]?.note ?? ''} onValue={(note) => set(i, { note })} rows={2} />
          </fieldset>
        ))}
        <ProblemAlert error={runner.error} onReload={reload} onRetry={reload} />
        {saved && <p role="status">保存しました。</p>}
        {open && (
          <div class="buttons">
            <button type="submit" class="secondary" disabled={runner.busy}>
              保存
            </button>
            <button
              type="button"
              disabled={runner.busy}
              onClick={() =>
                void runner.run(async () => {
                  const r = await api.patch<Inspection>(
                    `/inspections/${x.inspectionId}`,
                    { answers: answers.map((a, index) => ({ index, result: a.result, note: a.note })) },
                    insp.etag,
                  );
                  insp.set(await api.post<Inspection>(`/inspections/${x.inspectionId}/submit`, {}, r.etag));
                })
              }
            >
              提出
            </button>
          </div>
        )}
      </form>
      <EvidenceSection target={{ type: 'inspection', id: x.inspectionId }} canAttach={open && ownSection} />
    </>
  );
}
