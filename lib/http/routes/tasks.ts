import { departmentCodeSchema } from '#lib/domain/plan.js';
import { taskStatusSchema } from '#lib/domain/task.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { page, taskParams, yesNo } from './fields.js';

/** The routes of the tasks function (定期業務のタスク). */
export const taskRoutes = defineRoutes('tasks', {
  listTasks: {
    method: 'GET',
    path: '/tasks',
    auth: true,
    summary: '定期業務のタスク一覧（自分宛て mine=true、または課別 department=、未完了のみ・status=done で完了分）',
    query: z.object({
      mine: z.optional(yesNo('mine')),
      department: z.optional(departmentCodeSchema),
      status: z.optional(taskStatusSchema),
      ...page,
    }),
  },
  getTask: { method: 'GET', path: '/tasks/{taskId}', auth: true, summary: 'タスク', params: taskParams },
});
