import { getTask, listTasks } from '#lib/app/tasks.js';
import { type Operations, httpApi, versioned } from '../stack.js';
import { taskRoutes } from '../routes/tasks.js';

/** HTTP → use case for the タスク routes (read only: the duties create tasks, the work closes them). */
export const taskOperations: Operations<'tasks'> = {
  listTasks: async (r, d) => ({ body: await listTasks(d, r.actor, r.query) }),
  getTask: async (r, d) => versioned(await getTask(d, r.actor, r.params.taskId)),
};

/** The tasks function: its routes' operations. */
export const api = httpApi(taskRoutes, taskOperations);
