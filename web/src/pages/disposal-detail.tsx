import { useRoute } from 'preact-iso';
import { disposalMediaLabels, disposalMethodLabels } from '#lib/domain/disposal.js';
import { EvidenceSection } from '../components/evidence.js';
import { Loading, PageTitle, ProblemAlert, StatusBadge } from '../components/ui.js';
import { dateText, dateTimeText } from '../format.js';
import { useResource } from '../hooks.js';
import { useSession } from '../session.js';
import type { DisposalDetail as Detail } from '../types.js';

/** 消去・廃棄の記録: complete or not (第18条4項), with witness or photos. */
export default function DisposalDetail() {
  const session = useSession();
  const { disposalId } = useRoute().params as { disposalId: string };
  const d = useResource<Detail>(`/disposals/${disposalId}`);
  if (!d.data) return d.error ? <ProblemAlert error={d.error} onRetry={d.reload} /> : <Loading />;
  const x = d.data;
  const canAttach = session.can('evidence:create', {
    type: 'evidenceTarget',
    target: { type: 'disposal', department: x.department },
    owners: [],
    organisation: session.organisation,
  });
  return (
    <>
      <PageTitle title="消去・廃棄の記録">消去・廃棄の記録 {dateText(x.disposedOn)}</PageTitle>
      <p>{x.complete ? <StatusBadge status="verified" label="記録完備" /> : <StatusBadge status="overdue" label="不足あり" />}</p>
      {x.missing.map((m) => (
        <p key={m} class="notice" role="note">
          {m}
        </p>
      ))}
      <dl class="fields">
        <dt>課</dt>
        <dd>{session.departmentLabel(x.department)}</dd>
        <dt>媒体・方法</dt>
        <dd>
          {disposalMediaLabels[x.media]}・{disposalMethodLabels[x.method]}
        </dd>
        <dt>委託先</dt>
        <dd>{x.contractor ?? '庁内で実施'}</dd>
        <dt>立会い職員</dt>
        <dd>{x.witness ?? 'なし'}</dd>
        <dt>証明書番号</dt>
        <dd>{x.certificateNumber ?? '—'}</dd>
        <dt>対象の説明</dt>
        <dd class="pre">{x.description ?? '—'}</dd>
        <dt>記録</dt>
        <dd>
          {x.createdBy}・{dateTimeText(x.createdAt)}
        </dd>
      </dl>
      <EvidenceSection target={{ type: 'disposal', id: x.disposalId }} canAttach={canAttach} />
    </>
  );
}
