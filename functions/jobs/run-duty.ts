// adapter → lib/jobs/runner.runDuty (run record → lib/app/duty-work → events) on a scheduled delivery
import * as table from '#lib/store/tables.js';
import { runDutyHandler } from '#lib/jobs/handler.js';

export const handler = runDutyHandler({ table, bucket: () => import('#lib/store/bucket.js'), bus: () => import('#lib/jobs/event-bus.js') });
