import { useRoute } from 'preact-iso';
import { malwareScanLabels } from '#lib/domain/evidence.js';
import { evidenceStatusLabels } from '../labels.js';
import { Loading, PageTitle, ProblemAlert, StatusBadge } from '../components/ui.js';
import { bytesText, dateTimeText } from '../format.js';
import { useResource, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Evidence } from '../types.js';

const targetPaths: Record<string, string> = { plan: '/plans/', action: '/actions/', disposal: '/disposals/', inspection: '/inspections/' };

/** 証跡: status, the virus scan, a preview of photos and the logged download (presigned GET). */
export default function EvidenceDetail() {
  const { api } = useSession();
  const { evidenceId } = useRoute().params as { evidenceId: string };
  const ev = useResource<Evidence>(`/evidence/${evidenceId}`);
  const preview = useResource<{ url: string }>(
    ev.data?.status === 'verified' && ev.data.contentType.startsWith('image/') ? `/evidence/${evidenceId}/download` : null,
  );
  const runner = useRunner();
  if (!ev.data) return ev.error ? <ProblemAlert error={ev.error} onRetry={ev.reload} /> : <Loading />;
  const e = ev.data;
  const back = targetPaths[e.target.type];
  return (
    <>
      <PageTitle title="証跡">証跡: {e.fileName}</PageTitle>
      <p>
        状態: <StatusBadge status={e.status} label={evidenceStatusLabels[e.status]} />
        {e.rejectReason && <span class="reject-reason">（{e.rejectReason}）</span>}
      </p>
      <dl class="fields">
        <dt>形式・大きさ</dt>
        <dd>
          {e.contentType}・{bytesText(e.size)}
        </dd>
        <dt>SHA-256</dt>
        <dd class="mono">{e.sha256}</dd>
        {e.malwareScan && (
          <>
            <dt>ウイルス検査</dt>
            <dd>
              {malwareScanLabels[e.malwareScan.status]}
              {e.malwareScan.threats && `（${e.malwareScan.threats.join('、')}）`}
              {e.malwareScan.scanner && `・${e.malwareScan.scanner}`}
            </dd>
          </>
        )}
        <dt>登録</dt>
        <dd>
          {e.uploadedBy}・{dateTimeText(e.createdAt)}
        </dd>
        {e.capturedAt && (
          <>
            <dt>撮影日時</dt>
            <dd>{dateTimeText(e.capturedAt)}</dd>
          </>
        )}
      </dl>
      {e.status === 'expired' && (
        <p class="alert" role="status">
          ファイルが届かなかったため、この証跡は期限切れになりました。添付先からもう一度アップロードしてください。
        </p>
      )}
      {e.status === 'pending' && (
        <button type="button" class="secondary" onClick={() => void ev.reload()}>
          状態を更新
        </button>
      )}
      {preview.data && <img class="preview" src={preview.data.url} alt={`証跡の画像: ${e.fileName}`} />}
      {e.status === 'verified' && (
        <button
          type="button"
          disabled={runner.busy}
          onClick={() =>
            void runner.run(async () => {
              const r = await api.get<{ url: string }>(`/evidence/${e.evidenceId}/download`);
              window.location.assign(r.data.url);
            })
          }
        >
          ダウンロード
        </button>
      )}
      <ProblemAlert error={runner.error} />
      {back && (
        <p>
          <a href={`${back}${e.target.id}`}>添付先へ戻る</a>
        </p>
      )}
    </>
  );
}
