// adapter → lib/app/contractors (use cases) → lib/domain/contractor (第22条 委託先)
import { config } from '#lib/config.js';
import { publisherFor } from '#lib/jobs/events.js';
import { contractorOperations, contractorReplays } from '#lib/http/operations/contractors.js';
import { httpHandler } from '#lib/http/stack.js';

// Registering a contractor mid-year opens the 年度's check and its task: announced on the bus (kansa.TaskCreated).
export const handler = httpHandler('contractors', contractorOperations, {
  replays: contractorReplays,
  events: () => publisherFor({ busName: config().EVENT_BUS_NAME, region: config().AWS_REGION }),
});
