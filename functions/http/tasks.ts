// adapter → lib/app/tasks (use cases) → lib/domain/task (the inbox of periodic duties)
import { taskOperations } from '#lib/http/operations/tasks.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('tasks', taskOperations);
