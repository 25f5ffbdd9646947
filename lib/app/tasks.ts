import type { Actor } from '#lib/domain/roles.js';
import { type Task, type TaskStatus, assigneesOf, closeTask } from '#lib/domain/task.js';
import { authorizeIn } from './authorize.js';
import { change } from './changes.js';
import type { Change, Deps, OutboundEvent, Page, PageRequest } from './ports.js';
import { loadVisible } from './visibility.js';

/**
 * タスク use cases: the inbox of work the periodic duties hand out. Users read tasks;
 * only duty work creates them, and the work they ask for closes them in its own
 * transaction.
 */

/** Who the duties act as in the audit trail. */
export function dutyActor(duty: string): Actor {
  return { sub: `system:${duty}`, name: '定期業務（自動）', roles: [], department: '' };
}

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

/** What a duty says about a new task. */
export type NewTask = Pick<Task, 'kind' | 'title' | 'duty' | 'period' | 'source' | 'assignee' | 'subject' | 'dueDate'>;

/** A new open task and the change that creates it, with its audit event. */
export function createTaskChange(
  deps: Pick<Deps, 'ids'>,
  actor: Actor,
  now: string,
  fields: NewTask,
  taskId = deps.ids.next(),
): { task: Task; change: Change } {
  const task: Task = { taskId, ...fields, status: 'open', createdAt: now, version: 1, updatedAt: now };
  return { task, change: change(deps, actor, now, 'task', taskId, 'task.created', null, task) };
}

/** Changes that close the still open ones of `tasks`, by whoever completed the work. */
export function closeTaskChanges(deps: Pick<Deps, 'ids'>, actor: Actor, now: string, tasks: readonly Task[]): Change[] {
  return tasks
    .filter((t) => t.status === 'open')
    .map((t) => change(deps, actor, now, 'task', t.taskId, 'task.closed', t, closeTask(t, actor.sub, now)));
}

/** Changes that close an entity's own task (a 点検's, a check's) with the work; none where it is closed already or gone. */
export async function closeOwnTaskChanges(deps: Pick<Deps, 'ids' | 'tasks'>, actor: Actor, now: string, taskId: string): Promise<Change[]> {
  const task = await deps.tasks.get(taskId);
  return closeTaskChanges(deps, actor, now, task ? [task] : []);
}

/** The outbound event detail of a new task (TaskCreated). */
export function taskDetail(task: Task): Record<string, unknown> {
  const { taskId, kind, title, assignee, dueDate, subject, source, duty, period } = task;
  return { taskId, kind, title, assignee, dueDate, subject, source, duty, period };
}

/** The event announcing a new task (`kansa.TaskCreated`). */
export const taskCreated = (task: Task): OutboundEvent => ({ type: 'TaskCreated', detail: taskDetail(task) });
