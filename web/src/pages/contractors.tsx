import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { applies, cite } from '#lib/domain/provisions.js';
import { ContractorForm } from '../components/contractor-form.js';
import { DepartmentFilter, listScope } from '../components/departments.js';
import { PagedList, PageTitle, ProblemAlert, SelectField, StatusBadge } from '../components/ui.js';
import { currentFiscalYear, dateText, fiscalYearOptions } from '../format.js';
import { usePaged } from '../hooks.js';
import { contractorCheckStatusLabels } from '../labels.js';
import { useSession } from '../session.js';
import type { Contractor, ContractorCheck } from '../types.js';

/** The contractor page of a check, in the check's 年度 (where a task of the yearly duty links to). */
export function checkHref(check: Pick<ContractorCheck, 'contractorId' | 'fiscalYear'>): string {
  return `/contractors/${check.contractorId}?fiscalYear=${check.fiscalYear}`;
}

/** 委託先 and, where the regulation asks for them (001 第22条第4項), their yearly checks. */
export default function Contractors() {
  const session = useSession();
  const { api, departmentLabel } = session;
  const { route, query } = useLocation();
  const fy = currentFiscalYear();
  const [fiscalYear, setFiscalYear] = useState(/^\d{4}$/.test(query.fiscalYear ?? '') ? String(query.fiscalYear) : String(fy));
  const [creating, setCreating] = useState(false);
  const [checkError, setCheckError] = useState<unknown>();
  const scope = listScope(session);
  const { provisions } = session.profile;
  const [department, setDepartment] = useState(scope.department);
  const list = usePaged<Contractor>('/contractors', { department });
  const checks = usePaged<ContractorCheck>(applies(provisions, 'contractorCheck') ? '/contractor-checks' : null, {
    department,
    fiscalYear,
  });
  const open = checks.items.filter((c) => c.status === 'open');
  // A task links to /contractors?check=<checkId>: open that check's contractor in the check's 年度.
  useEffect(() => {
    if (!query.check) return;
    api
      .get<ContractorCheck>(`/contractor-checks/${encodeURIComponent(query.check)}`)
      .then((r) => route(checkHref(r.data), true))
      .catch(setCheckError);
  }, [query.check]);
  return (
    <>
      <PageTitle title="委託先">委託先</PageTitle>
      <ProblemAlert error={checkError} />
      {session.can('contractor:create') && !creating && (
        <button type="button" onClick={() => setCreating(true)}>
          委託先を登録
        </button>
      )}
      {creating && <ContractorForm onSaved={(c) => route(`/contractors/${c.contractorId}`)} onCancel={() => setCreating(false)} />}
      {scope.sections.length !== 1 && (
        <div class="filters">
          <DepartmentFilter scope={scope} label="委託元の課" value={department} onValue={setDepartment} />
        </div>
      )}
      {applies(provisions, 'contractorCheck') && (
        <section class="panel">
          <h2>未完了の委託先の検査{cite(provisions, 'contractorCheck')}</h2>
          <SelectField
            label="年度"
            value={fiscalYear}
            onValue={setFiscalYear}
            options={fiscalYearOptions([fy - 1, fy, fy + 1], fiscalYear)}
          />
          <PagedList list={checks} items={open} keyOf={(c) => c.checkId} empty="この年度の未完了の検査はありません">
            {(c) => (
              <>
                <a href={checkHref(c)}>{c.name}</a> <StatusBadge status="open" label={contractorCheckStatusLabels.open} />
                <p class="meta">
                  {departmentLabel(c.department)}・期限 {dateText(c.dueDate)}・{c.source}
                </p>
              </>
            )}
          </PagedList>
        </section>
      )}
      <section class="panel">
        <h2>登録済みの委託先{cite(provisions, 'contractor')}</h2>
        <PagedList list={list} keyOf={(c) => c.contractorId}>
          {(c) => (
            <>
              <a href={`/contractors/${c.contractorId}`}>{c.name}</a>
              <p class="meta">
                {departmentLabel(c.department)}・契約 {dateText(c.contractFrom)} 〜 {dateText(c.contractTo)}
                {c.subcontractors?.length ? `・再委託先 ${c.subcontractors.length}件` : ''}
              </p>
            </>
          )}
        </PagedList>
      </section>
    </>
  );
}
