import middy from '@middy/core';
import { injectLambdaContext, logger } from '#lib/logger.js';
import { MetricUnit, metrics } from '#lib/metrics.js';
import { type AdapterModules, runtime, supplyAdapters } from '#lib/runtime/ports.js';
import { type DutyRunSummary, runDuty } from './runner.js';

/** Put what a run measured (e.g. `OldestPendingEvidenceAgeHours` of evidence-pending) as CloudWatch metrics; a run that measured nothing puts none. */
export function publishRunMetrics(summary: DutyRunSummary): void {
  const measured = Object.entries(summary.metrics ?? {});
  if (measured.length === 0) return;
  for (const [name, value] of measured) metrics.addMetric(name, MetricUnit.NoUnit, value);
  metrics.publishStoredMetrics();
}

/**
 * The scheduled-duty handler: EventBridge Scheduler (AWS), croner (`npm start`) and
 * `npm run job` all call it with `{ duty, instant }`. A failure is thrown, so the
 * delivery is retried and, in the end, lands in the dead-letter queue.
 */
export function runDutyHandler(adapters: AdapterModules) {
  supplyAdapters(adapters);
  return middy<unknown, DutyRunSummary>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const summary = await runDuty(runtime(), event);
      publishRunMetrics(summary);
      return summary;
    });
}
