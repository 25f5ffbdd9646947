import { useSession } from '../session.js';
import { noAuditsNote } from '../wording.js';
import { PageTitle } from './ui.js';

/** Where 監査計画 (or their 改善措置) would be, under a regulation without 監査 (003 unless its deployment audits): why there are none. */
export function NoAudits({ title = '監査計画' }: { title?: string }) {
  const { profile } = useSession();
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p class="notice" role="note">
        {noAuditsNote(profile)}
      </p>
    </>
  );
}
