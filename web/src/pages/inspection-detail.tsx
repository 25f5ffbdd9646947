import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { checkResultLabels, checkResults, updateInspectionSchema, type CheckResult } from '#lib/domain/inspection.js';
import { checked } from '../api.js';
import { inspectionStatusLabels, roleLabel } from '../labels.js';
import { periodLabel } from '#lib/domain/task.js';
import { EvidenceSection } from '../components/evidence.js';
import { Loading, PageTitle, ProblemAlert, StatusBadge, TextArea, fieldError } from '../components/ui.js';
import { dateText, dateTimeText } from '../format.js';
import { useResource, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Inspection } from '../types.js';

type Answer = { result: CheckResult | null; note: string };

/**
 * 点検 (第27条): each item 適正 / 要改善 / 該当なし with a note, photos, then 提出 by the
 * 課's 保護管理者 (its task closes with it). Others read it.
 */
export default function InspectionDetail() {
  const session = useSession();
  const { api } = session;
  const { inspectionId } = useRoute().params as { inspectionId: string };
  const insp = useResource<Inspection>(`/inspections/${inspectionId}`);
  const runner = useRunner();
  const [answers, setAnswers] = useState<Answer[]>([]);
  /** Evidence uploaded here and not yet recorded on the 点検 (sent with the next save). */
  const [newEvidence, setNewEvidence] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (insp.data) setAnswers(insp.data.checklist.map((c) => ({ result: c.result, note: c.note })));
  }, [insp.data]);

  if (!insp.data) return insp.error ? <ProblemAlert error={insp.error} onRetry={insp.reload} /> : <Loading />;
  const x = insp.data;
  const open = x.status === 'open';
  const resource = { type: 'department' as const, department: x.department, organisation: session.organisation };
  const mayUpdate = open && session.can('inspection:update', resource);
  const maySubmit = open && session.can('inspection:submit', resource);
  const title = `${session.departmentLabel(x.department)} ${periodLabel(x.period)}の点検`;
  const reload = () => {
    runner.clear();
    setNotice(null);
    void insp.reload();
  };
  const saveAnswers = async () => {
    const r = await api.patch<Inspection>(
      `/inspections/${x.inspectionId}`,
      checked(updateInspectionSchema, {
        answers: answers.map((a, index) => ({ index, result: a.result, note: a.note })),
        ...(newEvidence.length > 0 ? { evidenceIds: newEvidence } : {}),
      }),
      insp.etag,
    );
    setNewEvidence([]);
    return r;
  };
  const save = () =>
    runner.run(async () => {
      insp.set(await saveAnswers());
      setNotice('保存しました。');
    });
  const submit = () =>
    runner.run(async () => {
      const r = await saveAnswers();
      insp.set(r);
      insp.set(await api.post<Inspection>(`/inspections/${x.inspectionId}/submit`, {}, r.etag));
      setNotice('点検を提出しました。タスクは完了になりました。');
    });
  const set = (i: number, a: Partial<Answer>) => {
    setNotice(null);
    setAnswers((prev) => prev.map((p, j) => (j === i ? { ...p, ...a } : p)));
  };

  return (
    <>
      <PageTitle title="点検">{title}</PageTitle>
      <p>
        <StatusBadge status={open ? 'open' : 'done'} label={inspectionStatusLabels[x.status]} /> 期限 {dateText(x.dueDate)}・{x.source}
      </p>
      {x.submittedAt && (
        <p>
          提出: {x.submittedBy}・{dateTimeText(x.submittedAt)}
        </p>
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {mayUpdate ? (
        <form
          class="panel form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h2>点検項目</h2>
          <p class="hint">各項目の結果を選んでください。要改善の項目には、その内容を所見に記入してください。</p>
          {x.checklist.map((c, i) => {
            const error = fieldError(runner.error, `checklist.${i}`);
            return (
              <fieldset key={c.item} class="check-item" aria-describedby={error ? `item-${i}-error` : undefined}>
                <legend>{c.item}</legend>
                <div class="row">
                  {checkResults.map((r) => (
                    <label key={r} class="check">
                      <input
                        type="radio"
                        name={`item-${i}`}
                        value={r}
                        checked={answers[i]?.result === r}
                        onChange={() => set(i, { result: r })}
                      />
                      {checkResultLabels[r]}
                    </label>
                  ))}
                </div>
                <TextArea
                  label={`「${c.item}」の所見`}
                  value={answers[i]?.note ?? ''}
                  onValue={(note) => set(i, { note })}
                  rows={2}
                  {...(answers[i]?.result === 'issue' ? { required: true } : {})}
                />
                {error && (
                  <p class="field-error" id={`item-${i}-error`}>
                    {error}
                  </p>
                )}
              </fieldset>
            );
          })}
          <ProblemAlert error={runner.error} onReload={reload} onRetry={reload} />
          {newEvidence.length > 0 && <p class="hint">添付した証跡は、保存または提出で点検に記録されます。</p>}
          <div class="buttons">
            <button type="submit" class="secondary" disabled={runner.busy}>
              保存
            </button>
            {maySubmit && (
              <button type="button" disabled={runner.busy} onClick={() => void submit()}>
                提出
              </button>
            )}
          </div>
          {!maySubmit && (
            <p class="hint">
              提出は、この課の{roleLabel(session.profile, 'sectionManager')}が行います（{x.source}）。
            </p>
          )}
        </form>
      ) : (
        <section class="panel">
          <h2>点検項目</h2>
          <dl class="fields">
            {x.checklist.map((c) => (
              <div key={c.item}>
                <dt>{c.item}</dt>
                <dd>
                  {c.result ? checkResultLabels[c.result] : '未回答'}
                  {c.note && <span class="pre">（{c.note}）</span>}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <EvidenceSection
        target={{ type: 'inspection', id: x.inspectionId }}
        canAttach={
          mayUpdate &&
          session.can('evidence:create', {
            type: 'evidenceTarget',
            target: { type: 'inspection', department: x.department },
            owners: [],
            organisation: session.organisation,
          })
        }
        onCreated={(id) => setNewEvidence((ids) => [...ids, id])}
      />
    </>
  );
}
