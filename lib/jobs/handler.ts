import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '#lib/logger.js';
import { runtime } from '#lib/runtime/ports.js';
import { type DutyRunSummary, runDuty } from './runner.js';

/**
 * The scheduled-duty handler: EventBridge Scheduler (AWS), croner (`npm start`) and
 * `npm run job` all call it with `{ duty, instant }`. A failure is thrown, so the
 * delivery is retried and, in the end, lands in the dead-letter queue.
 */
export function runDutyHandler() {
  return middy<unknown, DutyRunSummary>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => runDuty(runtime(), event));
}
