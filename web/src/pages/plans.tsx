import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { planStatuses, type PlanStatus } from '#lib/domain/plan.js';
import { optionsOf, planStatusLabels } from '../labels.js';
import { PlanForm } from '../components/plan-form.js';
import { PagedList, PageTitle, SelectField, StatusBadge } from '../components/ui.js';
import { currentFiscalYear, dateText, fiscalYearOptions, fiscalYearText } from '../format.js';
import { usePaged } from '../hooks.js';
import { useSession } from '../session.js';
import type { Plan } from '../types.js';
import { holdsAudits } from '#lib/domain/provisions.js';
import { NoAudits } from '../components/no-audits.js';

/** 監査計画: list by 年度 and status; the 監査責任者 drafts new ones here. */
export default function Plans() {
  const { profile } = useSession();
  return holdsAudits(profile.provisions) ? <PlanList /> : <NoAudits />;
}

function PlanList() {
  const session = useSession();
  const { route, query } = useLocation();
  const thisYear = currentFiscalYear();
  const [fiscalYear, setFiscalYear] = useState(query.fiscalYear ?? String(thisYear));
  const [status, setStatus] = useState<PlanStatus | ''>((query.status as PlanStatus | undefined) ?? '');
  const [creating, setCreating] = useState(false);
  const list = usePaged<Plan>('/plans', { fiscalYear, status });
  const years = fiscalYearOptions([thisYear + 1, thisYear, thisYear - 1, thisYear - 2]);

  return (
    <>
      <PageTitle title="監査計画">監査計画</PageTitle>
      {session.can('plan:create') && !creating && (
        <button type="button" onClick={() => setCreating(true)}>
          新しい監査計画を起案
        </button>
      )}
      {creating && (
        <PlanForm
          defaultFiscalYear={Number(fiscalYear) || thisYear}
          onSaved={(p) => route(`/plans/${p.planId}`)}
          onCancel={() => setCreating(false)}
        />
      )}
      <div class="filters row">
        <SelectField label="年度" value={fiscalYear} onValue={setFiscalYear} options={years} />
        <SelectField
          label="状態"
          value={status}
          onValue={setStatus}
          placeholder="すべて"
          options={optionsOf(planStatuses, planStatusLabels)}
        />
      </div>
      <PagedList list={list} keyOf={(p) => p.planId}>
        {(p) => (
          <>
            <a href={`/plans/${p.planId}`}>
              {fiscalYearText(p.fiscalYear)} 監査計画{p.revision > 1 ? `（第${p.revision}版）` : ''}
            </a>{' '}
            <StatusBadge status={p.status} label={planStatusLabels[p.status]} />
            <p class="meta">
              {p.purpose.slice(0, 60)}
              {p.purpose.length > 60 ? '…' : ''}
            </p>
            <p class="meta">
              日程: {dateText(p.schedule.from)} 〜 {dateText(p.schedule.to)}
            </p>
          </>
        )}
      </PagedList>
    </>
  );
}
