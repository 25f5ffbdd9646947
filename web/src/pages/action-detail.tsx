import { useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { scopeOwners } from '#lib/app/scope-owners.js';
import {
  acceptRiskSchema,
  pendingStatuses,
  progressSchema,
  reopenActionSchema,
  submitActionSchema,
  verifyActionSchema,
} from '#lib/domain/action.js';
import { checked } from '../api.js';
import { actionNoteLabels, actionStatusLabels } from '../labels.js';
import { ratingLabels } from '#lib/domain/finding.js';
import { EvidenceList, EvidenceUploader } from '../components/evidence.js';
import { History } from '../components/history.js';
import { Loading, PagedList, PageTitle, ProblemAlert, StatusBadge, TextArea, fieldError } from '../components/ui.js';
import { dateText, dateTimeText } from '../format.js';
import { usePaged, useResource, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import { isShownOverdue } from '../overdue.js';
import type { ActionNote, ActionView } from '../types.js';

/** The body each transition's route takes, checked before sending as the server checks it. */
const transitionSchemas = {
  progress: progressSchema,
  submit: submitActionSchema,
  verify: verifyActionSchema,
  reopen: reopenActionSchema,
  'accept-risk': acceptRiskSchema,
};

/** 改善措置: progress, 完了報告 with evidence, 確認, 再開, and risk acceptance by the 総括保護管理者. */
export default function ActionDetail() {
  const session = useSession();
  const { api, profile } = session;
  const { actionId } = useRoute().params as { actionId: string };
  const action = useResource<ActionView>(`/actions/${actionId}`);
  const runner = useRunner();
  const owners = useMemo(() => scopeOwners(profile), [profile]);
  const [note, setNote] = useState('');
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  const [refresh, setRefresh] = useState(0);

  if (!action.data) return action.error ? <ProblemAlert error={action.error} onRetry={action.reload} /> : <Loading />;
  const a = action.data;
  const resource = { type: 'action' as const, action: a, owners };
  const pending = pendingStatuses.includes(a.status);
  const mayWork = pending && session.can('action:work', resource);
  const mayVerify = a.status === 'submitted' && session.can('action:verify', resource);
  const mayAccept = a.status !== 'verified' && a.status !== 'riskAccepted' && session.can('action:acceptRisk', resource);
  const reload = () => {
    runner.clear();
    void action.reload();
  };
  const send = (path: keyof typeof transitionSchemas, body: unknown) =>
    runner.run(async () => {
      action.set(await api.post<ActionView>(`/actions/${a.actionId}/${path}`, checked(transitionSchemas[path], body), action.etag));
      setNote('');
      setEvidenceIds([]);
      setRefresh((n) => n + 1);
    });

  return (
    <>
      <PageTitle title="改善措置">
        改善措置: {a.finding.articleLabel} {a.finding.title}
      </PageTitle>
      <p>
        <StatusBadge status={a.status} label={actionStatusLabels[a.status]} />{' '}
        {isShownOverdue(a) && <StatusBadge status="overdue" label="期限超過" />}
      </p>
      <dl class="fields">
        <dt>担当課</dt>
        <dd>{session.departmentLabel(a.department)}</dd>
        <dt>改善措置の内容</dt>
        <dd class="pre">{a.description}</dd>
        <dt>期限</dt>
        <dd>
          {dateText(a.dueDate)}
          {a.overdueSince && pendingStatuses.includes(a.status) && `・期限超過（${dateText(a.overdueSince)}に記録）`}
        </dd>
        <dt>所見の評価</dt>
        <dd>{ratingLabels[a.finding.rating]}</dd>
      </dl>
      <ProblemAlert error={runner.error} onReload={reload} onRetry={reload} />
      {(mayWork || mayVerify || mayAccept) && (
        <section class="panel form">
          <h2>対応</h2>
          <TextArea
            label={mayWork ? '進捗・完了報告の内容' : mayVerify ? '確認コメント・再対応の理由' : 'リスク受容の理由'}
            value={note}
            onValue={setNote}
            error={fieldError(runner.error, 'note') ?? fieldError(runner.error, 'comment') ?? fieldError(runner.error, 'reason')}
          />
          {mayWork && (
            <>
              <p class="hint">完了報告には証跡（写真や書類）を添付してください。</p>
              <EvidenceUploader
                target={{ type: 'action', id: a.actionId }}
                onCreated={(id) => setEvidenceIds((ids) => [...ids, id])}
                onSettled={() => setRefresh((n) => n + 1)}
              />
            </>
          )}
          <div class="buttons">
            {mayWork && (
              <button
                type="button"
                class="secondary"
                disabled={runner.busy || !note.trim()}
                onClick={() => void send('progress', { note })}
              >
                進捗を登録
              </button>
            )}
            {mayWork && (
              <button
                type="button"
                disabled={runner.busy || !note.trim()}
                onClick={() => void send('submit', { note, evidenceIds: [...new Set([...a.evidenceIds, ...evidenceIds])] })}
              >
                完了報告
              </button>
            )}
            {mayVerify && (
              <button type="button" disabled={runner.busy} onClick={() => void send('verify', note.trim() ? { comment: note } : {})}>
                確認
              </button>
            )}
            {mayVerify && (
              <button
                type="button"
                class="danger"
                disabled={runner.busy || !note.trim()}
                onClick={() => void send('reopen', { reason: note })}
              >
                再開
              </button>
            )}
            {mayAccept && (
              <button
                type="button"
                class="danger"
                disabled={runner.busy || !note.trim()}
                onClick={() => void send('accept-risk', { reason: note })}
              >
                リスクを受容
              </button>
            )}
          </div>
        </section>
      )}
      <Notes key={a.version} actionId={a.actionId} />
      <section class="panel">
        <h2>証跡</h2>
        <EvidenceList key={refresh} target={{ type: 'action', id: a.actionId }} />
      </section>
      {session.can('auditLog:read') && <History key={a.version} entityType="action" entityId={a.actionId} />}
    </>
  );
}

/** 経過: the action's notes, oldest first, page by page (each note is its own item on the server). */
function Notes({ actionId }: { actionId: string }) {
  const list = usePaged<ActionNote>(`/actions/${actionId}/notes`);
  return (
    <section class="panel">
      <h2>経過</h2>
      <PagedList list={list} keyOf={(h) => `${h.version}-${h.at}-${h.kind}`} empty="まだありません" as="ol" class="history">
        {(h) => (
          <>
            <span class="meta">{dateTimeText(h.at)}</span> <strong>{actionNoteLabels[h.kind]}</strong>（{h.by}）<p class="pre">{h.note}</p>
          </>
        )}
      </PagedList>
    </section>
  );
}
