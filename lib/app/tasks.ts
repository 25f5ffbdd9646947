import type { Actor } from '#lib/domain/roles.js';
import { type Task, type TaskStatus, assigneesOf } from '#lib/domain/task.js';
import { authorizeIn } from './authorize.js';
import type { Deps, Page, PageRequest } from './ports.js';
import { loadVisible } from './visibility.js';

/**
 * タスク use cases: the inbox of work the periodic duties hand out. Users read tasks;
 * only duty work creates them, and the work they ask for closes them in its own
 * transaction (the changes that do so are in lib/app/task-changes.ts).
 */

/**
 * `GET /tasks`: with `department`, the tasks of that 課 for those who may see it;
 * otherwise the caller's own (`mine`): one Query per role the caller holds (with their
 * 課 for section roles) and one for the tasks given to them by name (their `sub`: e.g.
 * to upload again evidence that never arrived), merged by due date. Open tasks unless
 * `status=done`.
 */
export async function listTasks(
  deps: Deps,
  actor: Actor,
  query: { department?: string | undefined; status?: TaskStatus | undefined } & PageRequest,
): Promise<Page<Task>> {
  authorizeIn(deps, actor, 'task:list');
  const status = query.status ?? 'open';
  if (query.department !== undefined) {
    authorizeIn(deps, actor, 'task:read', { type: 'department', department: query.department, organisation: deps.organisation });
    return deps.tasks.listForDepartment(query.department, { status, limit: query.limit, cursor: query.cursor });
  }
  return deps.tasks.listForAssignees(assigneesOf(actor), { status, limit: query.limit, cursor: query.cursor });
}

/** One task, for its assignee or whoever sees its 課; others get 404. */
export async function getTask(deps: Deps, actor: Actor, taskId: string): Promise<Task> {
  return loadVisible(deps, actor, 'task', taskId);
}
