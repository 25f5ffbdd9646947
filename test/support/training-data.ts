import { change } from '#lib/app/changes.js';
import { dutyActor } from '#lib/app/task-changes.js';
import { sourceOf } from '#lib/domain/provisions.js';
import type { Staff } from '#lib/domain/staff.js';
import type { Task } from '#lib/domain/task.js';
import { deps } from '#lib/runtime/ports.js';
import { thisFiscalYear, today } from './duty-data.js';
import { seedStaff } from './register-data.js';
import type { TestStack } from './stack.js';

/**
 * Training data for the tests against DynamoDB Local: people on a 課's register, committed through
 * the writer as the register's own use case commits them, and sessions planned by the chief over HTTP.
 */

/** A person put on a 課's register (from the start of this 年度, unless `over` says otherwise). */
export function onRegister(department: string, over: Record<string, unknown> = {}): Promise<Staff> {
  const body = { department, name: '安積 一郎', title: '主事', kind: 'regular', handler: false, from: `${thisFiscalYear}-04-01`, ...over };
  return seedStaff(deps(), body);
}

/** A POST /trainings body: by default a session of this 年度 for every 職員, from 1 April to today. */
export function trainingBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fiscalYear: thisFiscalYear,
    name: '個人情報保護研修',
    timing: { from: `${thisFiscalYear}-04-01`, to: today },
    audience: ['allStaff'],
    method: 'elearning',
    ...over,
  };
}

/**
 * A session planned by the chief (`vice-mayor`); sent again under its Idempotency-Key when a table
 * busy with other setup leaves the outcome unknown (503), as a client does.
 */
export async function plannedSession(stack: TestStack, body: Record<string, unknown> = trainingBody()): Promise<string> {
  const headers = { 'idempotency-key': `training-${Math.random().toString(36).slice(2)}` };
  let r = await stack.call('POST', '/trainings', { as: 'vice-mayor', headers, body });
  for (let retry = 0; r.status === 503 && retry < 3; retry++)
    r = await stack.call('POST', '/trainings', { as: 'vice-mayor', headers, body });
  if (r.status !== 201) throw new Error(`setup: POST /trainings → ${r.status} ${r.text}`);
  return r.body.trainingId as string;
}

/**
 * The follow-up task the `training-followup` duty would give 市民課's 保護管理者 for a session of a
 * 年度, naming `people` and due today: committed through the writer with its audit event, as the
 * duty commits it.
 */
export async function followUpTaskOn(trainingId: string, fiscalYear: number, people: Staff[]): Promise<Task> {
  const d = deps();
  const at = new Date().toISOString();
  const task: Task = {
    taskId: d.ids.next(),
    kind: 'trainingFollowUp',
    title: '研修未受講者への再受講の機会の付与',
    duty: 'training-followup',
    period: `FY${fiscalYear}`,
    source: sourceOf(d.profile.provisions, 'trainingFollowUp'),
    assignee: { role: 'sectionManager', department: 'citizens' },
    subject: { type: 'training', id: trainingId },
    people: people.map((p) => ({ staffId: p.staffId, name: p.name })),
    dueDate: today,
    status: 'open',
    createdAt: at,
    version: 1,
    updatedAt: at,
  };
  await d.writer.commit([change(d, dutyActor('training-followup'), at, 'task', task.taskId, 'task.created', null, task)]);
  return task;
}
