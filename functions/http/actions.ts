// adapter → lib/app/actions (use cases) → lib/domain/action (第28条 follow-up lifecycle)
import { actionOperations, actionReplays } from '#lib/http/operations/actions.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('actions', actionOperations, { replays: actionReplays });
