import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { actionStatuses, type ActionStatus } from '#lib/domain/action.js';
import { actionStatusLabels, optionsOf } from '../labels.js';
import { isShownOverdue } from '../overdue.js';
import { DepartmentFilter, listScope } from '../components/departments.js';
import { PagedList, PageTitle, SelectField, StatusBadge } from '../components/ui.js';
import { dateText } from '../format.js';
import { usePaged } from '../hooks.js';
import { useSession } from '../session.js';
import { holdsAudits } from '#lib/domain/provisions.js';
import { NoAudits } from '../components/no-audits.js';
import type { ActionView } from '../types.js';

/** 改善措置: the inbox of a 課 (own 課 for section roles), by status and overdue; none without 監査. */
export default function Actions() {
  const { profile } = useSession();
  return holdsAudits(profile.provisions) ? <ActionList /> : <NoAudits title="改善措置" />;
}

function ActionList() {
  const session = useSession();
  const { departmentLabel } = session;
  const { query } = useLocation();
  const scope = listScope(session);
  const [department, setDepartment] = useState(query.department ?? scope.department);
  const [status, setStatus] = useState<ActionStatus | ''>((query.status as ActionStatus | undefined) ?? '');
  const [overdue, setOverdue] = useState(query.overdue === 'true');
  const list = usePaged<ActionView>('/actions', { department: department.trim(), status, overdue: overdue ? 'true' : undefined });
  return (
    <>
      <PageTitle title="改善措置">改善措置</PageTitle>
      <div class="filters row">
        <DepartmentFilter scope={scope} value={department} onValue={setDepartment} />
        <SelectField
          label="状態"
          value={status}
          onValue={setStatus}
          placeholder="すべて"
          options={optionsOf(actionStatuses, actionStatusLabels)}
        />
        <label class="check">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} />
          期限超過のみ
        </label>
      </div>
      <PagedList list={list} keyOf={(a) => a.actionId}>
        {(a) => (
          <>
            <a href={`/actions/${a.actionId}`}>
              {a.finding.articleLabel} {a.finding.title}
            </a>{' '}
            <StatusBadge status={a.status} label={actionStatusLabels[a.status]} />
            {isShownOverdue(a) && <StatusBadge status="overdue" label="期限超過" />}
            <p class="meta">
              {departmentLabel(a.department)}・期限 {dateText(a.dueDate)}
            </p>
          </>
        )}
      </PagedList>
    </>
  );
}
