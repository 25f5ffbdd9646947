import { afterEach, describe, expect, it, vi } from 'vitest';
import { publishRunMetrics } from '#lib/jobs/handler.js';
import type { DutyRunSummary } from '#lib/jobs/runner.js';
import { MetricUnit, metrics, metricsNamespace } from '#lib/metrics.js';

/** What a duty run measured reaches CloudWatch through the one metrics publisher (namespace kansa). */

const summary = (extra: Partial<DutyRunSummary> = {}): DutyRunSummary => ({
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

afterEach(() => {
  vi.restoreAllMocks();
});

describe('publishRunMetrics', () => {
  it("puts each measured value under its name and flushes them at once, in kansa's namespace", () => {
    const added = vi.spyOn(metrics, 'addMetric').mockImplementation(() => undefined);
    const flushed = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => undefined);
    publishRunMetrics(summary({ metrics: { OldestPendingEvidenceAgeHours: 26.5 } }));
    expect(added.mock.calls).toEqual([['OldestPendingEvidenceAgeHours', MetricUnit.NoUnit, 26.5]]);
    expect(flushed).toHaveBeenCalledTimes(1);
    expect(metricsNamespace).toBe('kansa');
  });

  it('publishes nothing for a run that measured nothing (another duty, or one already done)', () => {
    const added = vi.spyOn(metrics, 'addMetric');
    const flushed = vi.spyOn(metrics, 'publishStoredMetrics');
    publishRunMetrics(summary({ duty: 'overdue-actions' }));
    publishRunMetrics(summary({ outcome: 'alreadyDone' }));
    expect(added).not.toHaveBeenCalled();
    expect(flushed).not.toHaveBeenCalled();
  });
});
