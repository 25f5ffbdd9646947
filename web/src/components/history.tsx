import { dateTimeText } from '../format.js';
import { usePaged } from '../hooks.js';
import { eventLabels } from '../labels.js';
import type { AuditEvent } from '../types.js';
import { Empty, Loading, MoreButton, ProblemAlert } from './ui.js';

/** 履歴: the audit trail of one entity, oldest first (GET /audit-log). */
export function History({ entityType, entityId }: { entityType: AuditEvent['entityType']; entityId: string }) {
  const list = usePaged<AuditEvent>('/audit-log', { entityType, entityId });
  return (
    <section class="panel">
      <h2>履歴</h2>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        !list.error && <Empty />
      ) : (
        <ol class="history">
          {list.items.map((e) => (
            <li key={e.eventId}>
              <span class="meta">{dateTimeText(e.at)}</span> <strong>{eventLabels[e.action] ?? e.action}</strong>（{e.actor.name}）
              {e.reason && <p class="reason">理由: {e.reason}</p>}
            </li>
          ))}
        </ol>
      )}
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </section>
  );
}
