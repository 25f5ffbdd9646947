import { inspectionStatusLabels } from '#lib/domain/inspection.js';
import { periodLabel } from '#lib/domain/task.js';
import { Empty, Loading, MoreButton, PageTitle, ProblemAlert, StatusBadge } from '../components/ui.js';
import { dateText } from '../format.js';
import { usePaged } from '../hooks.js';
import { useSession } from '../session.js';
import type { Inspection } from '../types.js';

/** 点検 (第27条): the checklists of the 課 the user may see. */
export default function Inspections() {
  const { departmentLabel } = useSession();
  const list = usePaged<Inspection>('/inspections');
  return (
    <>
      <PageTitle title="点検">点検</PageTitle>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        !list.error && <Empty />
      ) : (
        <ul class="cards">
          {list.items.map((i) => (
            <li key={i.inspectionId}>
              <a href={`/inspections/${i.inspectionId}`}>
                {departmentLabel(i.department)} {periodLabel(i.period)}の点検
              </a>{' '}
              <StatusBadge status={i.status === 'open' ? 'open' : 'done'} label={inspectionStatusLabels[i.status]} />
              <p class="meta">
                期限 {dateText(i.dueDate)}・{i.source}
              </p>
            </li>
          ))}
        </ul>
      )}
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </>
  );
}
