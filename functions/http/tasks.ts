// adapter → lib/app/tasks (use cases) → lib/domain/task (the inbox of periodic duties)
import { taskOperations } from '#lib/http/operations/tasks.js';
import { httpFunction } from '#lib/runtime/http.js';

export const handler = httpFunction('tasks', taskOperations);
