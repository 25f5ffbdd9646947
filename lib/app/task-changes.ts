import type { Actor } from '#lib/domain/roles.js';
import { type Task, closeTask } from '#lib/domain/task.js';
import { change } from './changes.js';
import type { Change, Deps, OutboundEvent } from './ports.js';

/**
 * The changes that create and close タスク, for the transaction of the work that does
 * so: a duty's unit creates a task with what it opens, and the work a task asks for
 * closes it. A building block of the use cases (lib/app/tasks.ts only reads tasks).
 */

/** Who the duties act as in the audit trail. */
export function dutyActor(duty: string): Actor {
  return { sub: `system:${duty}`, name: '定期業務（自動）', roles: [], department: '' };
}

/** What a duty says about a new task. */
export type NewTask = Pick<Task, 'kind' | 'title' | 'duty' | 'period' | 'source' | 'assignee' | 'subject' | 'dueDate' | 'people'>;

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
