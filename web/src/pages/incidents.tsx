import { useState } from 'preact/hooks';
import {
  incidentCategoryLabels,
  incidentStatuses,
  type Incident,
  type IncidentStatus,
  openDeadlines,
  ppcStageLabels,
} from '#lib/domain/incident.js';
import { DepartmentFilter, listScope } from '../components/departments.js';
import { PagedList, PageTitle, SelectField, StatusBadge } from '../components/ui.js';
import { currentFiscalYear, dateText, dateTimeText, fiscalYearOptions, todayInJapan } from '../format.js';
import { usePaged } from '../hooks.js';
import { deadlineText } from '../incident-view.js';
import { incidentStatusLabels, optionsOf } from '../labels.js';
import { useSession } from '../session.js';

/**
 * 事案の一覧 by 課, 状況 and 年度: whoever sees a 課 sees its 事案; a person without a role sees
 * the 事案 they reported (the server decides which). The open deadlines show on each.
 */
export default function Incidents() {
  const session = useSession();
  const fy = currentFiscalYear();
  const scope = listScope(session);
  const reportsOnly = session.me.roles.length === 0;
  const [department, setDepartment] = useState(reportsOnly ? '' : scope.department);
  const [status, setStatus] = useState<IncidentStatus | ''>('');
  const [fiscalYear, setFiscalYear] = useState(String(fy));
  const list = usePaged<Incident>('/incidents', { department, status, fiscalYear, mine: reportsOnly ? 'true' : undefined });
  const today = todayInJapan();
  return (
    <>
      <PageTitle title="事案">事案</PageTitle>
      {session.me.department && (
        <p>
          <a class="button" href="/incidents/new">
            事案を報告する
          </a>
        </p>
      )}
      {reportsOnly && <p class="hint">自分が報告した事案を表示しています。</p>}
      <div class="filters row">
        {!reportsOnly && scope.sections.length !== 1 && <DepartmentFilter scope={scope} value={department} onValue={setDepartment} />}
        <SelectField
          label="状況"
          value={status}
          onValue={setStatus}
          placeholder="すべて"
          options={optionsOf(incidentStatuses, incidentStatusLabels)}
        />
        <SelectField label="年度" value={fiscalYear} onValue={setFiscalYear} options={fiscalYearOptions([fy, fy - 1, fy - 2])} />
      </div>
      <PagedList list={list} keyOf={(i) => i.incidentId} empty="事案はありません">
        {(i) => (
          <>
            <a href={`/incidents/${i.incidentId}`}>{i.summary}</a>{' '}
            <StatusBadge status={i.status === 'closed' ? 'closed' : 'pending'} label={incidentStatusLabels[i.status]} />
            {i.assessment.reportToPPC && <StatusBadge status="major" label="要報告" />}
            <p class="meta">
              {session.departmentLabel(i.department)}・{incidentCategoryLabels[i.category]}・発覚 {dateTimeText(i.discoveredAt)}
            </p>
            {openDeadlines(i).map((d) => (
              <p key={d.stage} class="meta">
                {ppcStageLabels[d.stage]}の期限 {dateText(d.date)}（{deadlineText(today, d.date)}）
              </p>
            ))}
          </>
        )}
      </PagedList>
    </>
  );
}
