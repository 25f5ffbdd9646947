import type { DutyRunSummary } from '#lib/jobs/runner.js';

/** A completed evidence-pending run's summary, as the jobs handler returns it; `extra` overrides any field. */
export const runSummary = (extra: Partial<DutyRunSummary> = {}): DutyRunSummary => ({
  duty: 'evidence-pending',
  period: '2026-06-02',
  instant: '2026-06-01T15:30:00.000Z',
  outcome: 'completed',
  created: 0,
  alreadyDone: 0,
  skipped: 0,
  published: 0,
  unpublished: 0,
  ...extra,
});
