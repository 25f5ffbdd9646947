import { cite } from '#lib/domain/provisions.js';
import { inspectionStatusLabels } from '../labels.js';
import { periodLabel } from '#lib/domain/task.js';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { DepartmentFilter, listScope } from '../components/departments.js';
import { PagedList, PageTitle, SelectField, StatusBadge } from '../components/ui.js';
import { currentFiscalYear, dateText } from '../format.js';
import { usePaged } from '../hooks.js';
import { useSession } from '../session.js';
import type { Inspection } from '../types.js';

/** The 点検 periods of last, this and next 年度 (quarters, or 年度 where the profile inspects yearly). */
function periodsAround(fiscalYear: number, yearly: boolean): string[] {
  return [fiscalYear - 1, fiscalYear, fiscalYear + 1].flatMap((y) => (yearly ? [`FY${y}`] : [1, 2, 3, 4].map((q) => `FY${y}-Q${q}`)));
}

/**
 * 点検 (the profile's `inspection` provision): the checklists of the 課 the user may see. Without a period the server
 * lists a 課's 点検 of every period, and every 課's of the current period.
 */
export default function Inspections() {
  const session = useSession();
  const { departmentLabel, profile } = session;
  const { query } = useLocation();
  const scope = listScope(session);
  const [department, setDepartment] = useState(query.department ?? scope.department);
  const [period, setPeriod] = useState(query.period ?? '');
  const yearly = profile.duties.find((d) => d.duty === 'section-inspection')?.frequency === 'yearly';
  const periods = periodsAround(currentFiscalYear(), yearly);
  const list = usePaged<Inspection>('/inspections', { department, period });
  return (
    <>
      <PageTitle title="点検">点検</PageTitle>
      <p class="hint">
        {yearly ? '毎年度' : '四半期ごと'}に点検します{cite(profile.provisions, 'inspectionFrequency')}。
      </p>
      <div class="filters row">
        {scope.sections.length !== 1 && <DepartmentFilter scope={scope} value={department} onValue={setDepartment} />}
        <SelectField
          label="期間"
          value={period}
          onValue={setPeriod}
          placeholder={department === '' ? '現在の期間' : 'すべての期間'}
          options={(periods.includes(period) || period === '' ? periods : [...periods, period]).map((p) => [p, periodLabel(p)] as const)}
        />
      </div>
      <PagedList list={list} keyOf={(i) => i.inspectionId} empty="この期間の点検はありません">
        {(i) => (
          <>
            <a href={`/inspections/${i.inspectionId}`}>
              {departmentLabel(i.department)} {periodLabel(i.period)}の点検
            </a>{' '}
            <StatusBadge status={i.status === 'open' ? 'open' : 'done'} label={inspectionStatusLabels[i.status]} />
            <p class="meta">
              期限 {dateText(i.dueDate)}・{i.source}
              {i.conductedBy && `・${i.conductedBy}`}
            </p>
          </>
        )}
      </PagedList>
    </>
  );
}
