import { dateTimeText } from '../format.js';
import { usePaged } from '../hooks.js';
import { eventLabel } from '../labels.js';
import type { AuditEvent } from '../types.js';
import { PagedList } from './ui.js';

/** 履歴: the audit trail of one entity, oldest first (GET /audit-log). */
export function History({ entityType, entityId }: { entityType: AuditEvent['entityType']; entityId: string }) {
  const list = usePaged<AuditEvent>('/audit-log', { entityType, entityId });
  return (
    <section class="panel">
      <h2>履歴</h2>
      <PagedList list={list} keyOf={(e) => e.eventId} as="ol" class="history">
        {(e) => (
          <>
            <span class="meta">{dateTimeText(e.at)}</span> <strong>{eventLabel(e.action)}</strong>（{e.actor.name}）
            {e.reason && <p class="reason">理由: {e.reason}</p>}
          </>
        )}
      </PagedList>
    </section>
  );
}
