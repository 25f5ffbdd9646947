import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ContractorForm } from '../components/contractor-form.js';
import { Empty, Loading, MoreButton, PageTitle, ProblemAlert, StatusBadge } from '../components/ui.js';
import { dateText } from '../format.js';
import { usePaged } from '../hooks.js';
import { useSession } from '../session.js';
import type { Contractor, ContractorCheck } from '../types.js';

/** 委託先 and their yearly checks (第22条第4項). */
export default function Contractors() {
  const { actor } = useSession();
  const { route } = useLocation();
  const [creating, setCreating] = useState(false);
  const list = usePaged<Contractor>('/contractors');
  const checks = usePaged<ContractorCheck>('/contractor-checks');
  const open = checks.items.filter((c) => c.status === 'open');
  const mayCreate = actor.roles.some((r) => r === 'sectionManager' || r === 'auditLead');
  return (
    <>
      <PageTitle title="委託先">委託先</PageTitle>
      {mayCreate && !creating && (
        <button type="button" onClick={() => setCreating(true)}>
          委託先を登録
        </button>
      )}
      {creating && <ContractorForm onSaved={(c) => route(`/contractors/${c.contractorId}`)} onCancel={() => setCreating(false)} />}
      <section class="panel">
        <h2>未完了の委託先の確認</h2>
        <ProblemAlert error={checks.error} onRetry={checks.reload} />
        {checks.loading && checks.items.length === 0 ? (
          <Loading />
        ) : open.length === 0 ? (
          !checks.error && <Empty />
        ) : (
          <ul class="cards">
            {open.map((c) => (
              <li key={c.checkId}>
                <a href={`/contractors/${c.contractorId}`}>{c.name}</a> <StatusBadge status="open" label="未完了" />
                <p class="meta">
                  期限 {dateText(c.dueDate)}・{c.source}
                </p>
              </li>
            ))}
          </ul>
        )}
        <MoreButton hasMore={checks.hasMore} loading={checks.loading} onMore={checks.more} />
      </section>
      <section class="panel">
        <h2>登録済みの委託先</h2>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        {list.loading && list.items.length === 0 ? (
          <Loading />
        ) : list.items.length === 0 ? (
          !list.error && <Empty />
        ) : (
          <ul class="cards">
            {list.items.map((c) => (
              <li key={c.contractorId}>
                <a href={`/contractors/${c.contractorId}`}>{c.name}</a>
                <p class="meta">
                  {c.department}・契約 {dateText(c.contractFrom)} 〜 {dateText(c.contractTo)}
                </p>
              </li>
            ))}
          </ul>
        )}
        <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
      </section>
    </>
  );
}
