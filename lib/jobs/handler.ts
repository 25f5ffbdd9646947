import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { config } from '#lib/config.js';
import { logger } from '#lib/logger.js';
import { deps } from '#lib/store/deps.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { DynamoRunLedger } from '#lib/store/run-store.js';
import { publisherFor } from './events.js';
import { type DutyRunSummary, type JobRuntime, runDuty } from './runner.js';

let built: JobRuntime | undefined;

/** The jobs function's dependencies, built once per cold start from the environment. */
export function jobRuntime(): JobRuntime {
  if (built) return built;
  const cfg = config();
  if (!cfg.TABLE_NAME) throw new Error('TABLE_NAME is not set: the jobs function has no table');
  built = {
    deps: deps(),
    runs: new DynamoRunLedger(createDocumentClient({ region: cfg.AWS_REGION, endpoint: cfg.DYNAMODB_ENDPOINT }), cfg.TABLE_NAME),
    publisher: publisherFor({ busName: cfg.EVENT_BUS_NAME, region: cfg.AWS_REGION }),
  };
  return built;
}

/**
 * The scheduled-duty handler: EventBridge Scheduler (AWS), croner (`npm start`) and
 * `npm run job` all call it with `{ duty, instant }`. A failure is thrown, so the
 * delivery is retried and, in the end, lands in the dead-letter queue.
 */
export function runDutyHandler() {
  return middy<unknown, DutyRunSummary>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => runDuty(jobRuntime(), event));
}
