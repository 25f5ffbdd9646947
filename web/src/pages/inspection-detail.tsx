import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import {
  awaitsReview,
  checkResultLabels,
  checkResults,
  reviewInspectionSchema,
  submitInspectionSchema,
  updateInspectionSchema,
  type CheckResult,
} from '#lib/domain/inspection.js';
import { applies, cite } from '#lib/domain/provisions.js';
import { checked } from '../api.js';
import { inspectionStatusLabels, roleLabel } from '../labels.js';
import { periodLabel } from '#lib/domain/task.js';
import { EvidenceSection } from '../components/evidence.js';
import { Loading, PageTitle, ProblemAlert, SaveForm, StatusBadge, TextArea, fieldError } from '../components/ui.js';
import { dateText, dateTimeText } from '../format.js';
import { useResource, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Inspection } from '../types.js';

type Answer = { result: CheckResult | null; note: string };

/** A yes/no choice as radios, with a legend (the report to the chief, the 見直し). */
function Choice({
  legend,
  name,
  value,
  onValue,
  labels,
  error,
}: {
  legend: string;
  name: string;
  value: boolean | null;
  onValue: (v: boolean) => void;
  labels: [yes: string, no: string];
  error?: string | undefined;
}) {
  return (
    <fieldset class="check-item" aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      <div class="row">
        {([true, false] as const).map((v, i) => (
          <label key={String(v)} class="check">
            <input type="radio" name={name} checked={value === v} onChange={() => onValue(v)} />
            {labels[i]}
          </label>
        ))}
      </div>
      {error && (
        <p class="field-error" id={`${name}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/**
 * 点検 (the profile's `inspection` provision): each item 適正 / 要改善 / 該当なし with a note,
 * photos, then 提出 by the 課's 保護管理者 (its task closes with it), saying whether the
 * results go to the chief where the regulation has that step (`inspectionReport`). A joint
 * 点検 (003) or a reported one then awaits the chief's 見直し (`review`). Others read it.
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
  const [report, setReport] = useState<{ needed: boolean | null; reason: string }>({ needed: null, reason: '' });
  const [review, setReview] = useState<{ changes: boolean | null; measures: string }>({ changes: null, measures: '' });
  useEffect(() => {
    if (insp.data) setAnswers(insp.data.checklist.map((c) => ({ result: c.result, note: c.note })));
  }, [insp.data]);

  if (!insp.data) return insp.error ? <ProblemAlert error={insp.error} onRetry={insp.reload} /> : <Loading />;
  const x = insp.data;
  const open = x.status === 'open';
  // A joint 点検 (the profile's `inspections.jointWith`): that role fills it in and attaches evidence with the 課.
  const joint = x.jointWith === undefined ? {} : { jointWith: x.jointWith };
  const resource = { type: 'department' as const, department: x.department, organisation: session.organisation, ...joint };
  const mayUpdate = open && session.can('inspection:update', resource);
  const maySubmit = open && session.can('inspection:submit', resource);
  const title = `${session.departmentLabel(x.department)} ${periodLabel(x.period)}の点検`;
  const { provisions } = session.profile;
  const chief = roleLabel(session.profile, 'chiefManager');
  const asksReport = applies(provisions, 'inspectionReport');
  const mayReview =
    x.status === 'submitted' && awaitsReview(x) && session.can('inspection:review', { type: 'inspectionReview', inspection: x });
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
      const body =
        asksReport && report.needed !== null
          ? { reportToChief: { needed: report.needed, reason: report.needed ? report.reason : '' } }
          : {};
      const done = await api.post<Inspection>(`/inspections/${x.inspectionId}/submit`, checked(submitInspectionSchema, body), r.etag);
      insp.set(done);
      setNotice(
        done.data.report?.needed
          ? `点検を提出し、${chief}に報告しました。タスクは完了になりました。`
          : '点検を提出しました。タスクは完了になりました。',
      );
    });
  const recordReview = async () => {
    const body = { changes: review.changes, measures: review.measures };
    const done = await api.post<Inspection>(`/inspections/${x.inspectionId}/review`, checked(reviewInspectionSchema, body), insp.etag);
    insp.set(done);
    setNotice('見直しを記録しました。タスクは完了になりました。');
  };
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
      {x.conductedBy && <p>点検者: {x.conductedBy}</p>}
      {x.affairs && x.affairs.length > 0 && (
        <section class="panel">
          <h2>対象の事務</h2>
          <ul>
            {x.affairs.map((a) => (
              <li key={a.row}>
                {a.affair}
                {a.information && <p class="meta">特定個人情報等の範囲: {a.information}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {x.submittedAt && (
        <p>
          提出: {x.submittedBy}・{dateTimeText(x.submittedAt)}
        </p>
      )}
      {x.report && (
        <p>
          {chief}への報告{cite(provisions, 'inspectionReport')}: {x.report.needed ? `報告した（${x.report.reason}）` : '報告の必要なし'}
          {!x.report.needed && x.report.reason && `（${x.report.reason}）`}
        </p>
      )}
      {x.review && (
        <section class="panel">
          <h2>安全管理措置の見直し{cite(provisions, 'review')}</h2>
          <p>
            {x.review.changes ? '措置を見直す' : '現行の措置を維持する'}・{x.review.reviewedBy}・{dateTimeText(x.review.reviewedAt)}
          </p>
          {x.review.measures && <p class="pre">{x.review.measures}</p>}
        </section>
      )}
      {x.status === 'submitted' && awaitsReview(x) && !mayReview && (
        <p class="hint">
          {chief}による安全管理措置の見直しを待っています{cite(provisions, 'review')}。
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
          {maySubmit && asksReport && (
            <>
              <Choice
                legend={`${chief}への報告${cite(provisions, 'inspectionReport')}`}
                name="report"
                value={report.needed}
                onValue={(needed) => setReport((r) => ({ ...r, needed }))}
                labels={['報告する', '報告の必要なし']}
                error={fieldError(runner.error, 'reportToChief')}
              />
              <p class="hint">必要があると認めるときは、提出とともに点検の結果を{chief}に報告します。</p>
              {report.needed && (
                <TextArea
                  label="報告する理由"
                  value={report.reason}
                  onValue={(reason) => setReport((r) => ({ ...r, reason }))}
                  rows={2}
                  required
                  error={fieldError(runner.error, 'reportToChief.reason')}
                />
              )}
            </>
          )}
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
      {mayReview && (
        <SaveForm runner={runner} onSave={recordReview} submit="見直しを記録" onReload={reload} label="安全管理措置の見直し">
          <h2>安全管理措置の見直し{cite(provisions, 'review')}</h2>
          <Choice
            legend="点検の結果を踏まえ、安全管理措置を見直しますか"
            name="changes"
            value={review.changes}
            onValue={(changes) => setReview((r) => ({ ...r, changes }))}
            labels={['見直す', '現行の措置を維持する']}
            error={fieldError(runner.error, 'changes')}
          />
          <TextArea
            label={review.changes ? '見直しの内容' : '所見'}
            value={review.measures}
            onValue={(measures) => setReview((r) => ({ ...r, measures }))}
            rows={3}
            {...(review.changes ? { required: true } : {})}
            error={fieldError(runner.error, 'measures')}
          />
        </SaveForm>
      )}
      <EvidenceSection
        target={{ type: 'inspection', id: x.inspectionId }}
        canAttach={
          mayUpdate &&
          session.can('evidence:create', {
            type: 'evidenceTarget',
            target: { type: 'inspection', department: x.department, ...joint },
            owners: [],
            organisation: session.organisation,
          })
        }
        onCreated={(id) => setNewEvidence((ids) => [...ids, id])}
      />
    </>
  );
}
