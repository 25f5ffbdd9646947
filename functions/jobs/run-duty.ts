// adapter → lib/jobs/runner.runDuty (run record → lib/app/duty-work → events) on a scheduled delivery
import { runDutyHandler } from '#lib/jobs/handler.js';

export const handler = runDutyHandler();
