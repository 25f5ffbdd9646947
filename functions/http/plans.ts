// adapter → lib/app/plans (use cases) → lib/domain/plan (state machine, 第26条)
import { planOperations, planReplays } from '#lib/http/operations/plans.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('plans', planOperations, { replays: planReplays });
