import { dateText, todayInJapan } from '../format.js';
import { usePaged } from '../hooks.js';
import { taskStatusLabels } from '../labels.js';
import type { Query } from '../api.js';
import type { Task } from '../types.js';
import { PagedList, StatusBadge } from './ui.js';

/** Where a task's subject is shown. */
export function subjectHref(t: Task): string {
  switch (t.subject.type) {
    case 'fiscalYear':
      return `/plans?fiscalYear=${encodeURIComponent(t.subject.id)}`;
    case 'plan':
      return `/plans/${t.subject.id}`;
    case 'inspection':
      return `/inspections/${t.subject.id}`;
    case 'contractorCheck':
      return `/contractors?check=${encodeURIComponent(t.subject.id)}`;
    case 'action':
      return `/actions/${t.subject.id}`;
    case 'finding':
      return `/findings/${t.subject.id}`;
    case 'disposal':
      return `/disposals/${t.subject.id}`;
    case 'incident':
      return `/incidents/${t.subject.id}`;
    case 'training':
      return `/trainings/${t.subject.id}`;
  }
}

/** Tasks the periodic duties created, each linking to its subject. */
export function TaskList({ query, empty = 'タスクはありません' }: { query: Query; empty?: string }) {
  const list = usePaged<Task>('/tasks', query);
  const today = todayInJapan();
  return (
    <PagedList list={list} keyOf={(t) => t.taskId} empty={empty}>
      {(t) => (
        <>
          <a href={subjectHref(t)}>{t.title}</a>{' '}
          {t.status === 'done' ? (
            <StatusBadge status="done" label={taskStatusLabels.done} />
          ) : (
            t.dueDate < today && <StatusBadge status="overdue" label="期限超過" />
          )}
          <p class="meta">
            期限 {dateText(t.dueDate)}・{t.source}
          </p>
          {t.people && t.people.length > 0 && <p class="meta">対象者: {t.people.map((p) => p.name).join('、')}</p>}
        </>
      )}
    </PagedList>
  );
}
