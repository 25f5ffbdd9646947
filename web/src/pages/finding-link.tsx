import { useEffect } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { Loading, ProblemAlert } from '../components/ui.js';
import { useResource } from '../hooks.js';
import type { Finding } from '../types.js';

/** A link to one finding (a task's subject): its plan's findings page, which lists it. */
export default function FindingLink() {
  const { findingId } = useRoute().params as { findingId: string };
  const { route } = useLocation();
  const f = useResource<Finding>(`/findings/${findingId}`);
  const planId = f.data?.planId;
  useEffect(() => {
    if (planId) route(`/plans/${planId}/findings`, true);
  }, [planId]);
  return f.error ? <ProblemAlert error={f.error} onRetry={f.reload} /> : <Loading />;
}
