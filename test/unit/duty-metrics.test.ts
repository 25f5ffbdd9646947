import { afterEach, describe, expect, it, vi } from 'vitest';
import { publishRunMetrics } from '#lib/jobs/handler.js';
import { MetricUnit, metrics, metricsNamespace } from '#lib/metrics.js';
import { runSummary } from '#test/support/run-summary.js';

/** What a duty run measured reaches CloudWatch through the one metrics publisher (namespace kansa). */

afterEach(() => {
  vi.restoreAllMocks();
});

describe('publishRunMetrics', () => {
  it("puts each measured value under its name and flushes them at once, in kansa's namespace", () => {
    const added = vi.spyOn(metrics, 'addMetric').mockImplementation(() => undefined);
    const flushed = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => undefined);
    publishRunMetrics(runSummary({ metrics: { OldestPendingEvidenceAgeHours: 26.5 } }));
    expect(added.mock.calls).toEqual([['OldestPendingEvidenceAgeHours', MetricUnit.NoUnit, 26.5]]);
    expect(flushed).toHaveBeenCalledTimes(1);
    expect(metricsNamespace).toBe('kansa');
  });

  it('publishes nothing for a run that measured nothing (another duty, or one already done)', () => {
    const added = vi.spyOn(metrics, 'addMetric');
    const flushed = vi.spyOn(metrics, 'publishStoredMetrics');
    publishRunMetrics(runSummary({ duty: 'overdue-actions' }));
    publishRunMetrics(runSummary({ outcome: 'alreadyDone' }));
    expect(added).not.toHaveBeenCalled();
    expect(flushed).not.toHaveBeenCalled();
  });
});
