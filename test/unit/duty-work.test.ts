import { describe, expect, it } from 'vitest';
import { createAction, transitionAction } from '#lib/app/actions.js';
import type { DutyRun } from '#lib/app/duty-units.js';
import { dutyWork } from '#lib/app/duty-work.js';
import { createFinding } from '#lib/app/findings.js';
import type { FollowUpAction } from '#lib/domain/action.js';
import type { DutyId } from '#lib/profiles/types.js';
import { type FakeDeps, dxAuditor, fakeDeps, findingInput, planInProgress, shiminStaff } from './fakes.js';

/** The duties' work over the in-memory ports: what each unit writes, and the paths a real table rarely takes. */

function runOf(deps: FakeDeps, duty: DutyId, period: string, today: string): DutyRun {
  const definition = deps.profile.duties.find((d) => d.duty === duty);
  if (!definition) throw new Error(duty);
  return { duty, definition, period, instant: `${today}T00:00:00+09:00`, today };
}

/** An action of 市民課 recorded by the DX auditor, due `dueDate`. */
async function actionDue(deps: FakeDeps, dueDate: string): Promise<FollowUpAction> {
  const plan = await planInProgress(deps);
  const finding = await createFinding(deps, dxAuditor, plan.planId, findingInput({ article: '第8条' }));
  const a = await createAction(deps, dxAuditor, finding.findingId, { description: '手順書を改訂する', dueDate: '2026-12-31' });
  const stored = deps.store.actionsById.get(a.actionId) as FollowUpAction;
  stored.dueDate = dueDate;
  return structuredClone(stored);
}

describe('overdue-actions', () => {
  it('marks once in one commit: the action, a task for its 課, a notice for the finding’s auditor and one for the 総括保護管理者 (第28条)', async () => {
    const deps = fakeDeps();
    const a = await actionDue(deps, '2026-05-31');
    const commitsBefore = deps.store.commits.length;
    const result = await dutyWork['overdue-actions'](deps, runOf(deps, 'overdue-actions', '2026-06-01', '2026-06-01'));
    expect(result).toMatchObject({ created: 1, alreadyDone: 0 });
    expect(deps.store.commits.length - commitsBefore).toBe(1);
    const commit = deps.store.commits.at(-1) ?? [];
    expect(commit.map((c) => `${c.entityType}:${c.event.action}`)).toEqual([
      'action:action.markedOverdue',
      'task:task.created',
      'task:task.created',
      'task:task.created',
    ]);
    const tasks = [...deps.store.tasksById.values()];
    expect(tasks.map((t) => t.assignee)).toEqual([
      { role: 'sectionManager', department: 'shimin' },
      { role: 'auditorDx' },
      { role: 'chiefManager' },
    ]);
    expect(deps.store.actionsById.get(a.actionId)).toMatchObject({
      overdueSince: '2026-06-01',
      openTaskIds: tasks.map((t) => t.taskId),
      version: a.version + 1,
    });
    expect(result.events.map((e) => e.type)).toEqual(['ActionOverdue', 'TaskCreated', 'TaskCreated', 'TaskCreated']);

    // The same day again: known from the list, nothing written; a later day: marked already, nothing to do.
    const again = await dutyWork['overdue-actions'](deps, runOf(deps, 'overdue-actions', '2026-06-01', '2026-06-01'));
    expect(again).toMatchObject({ created: 0, alreadyDone: 1, events: [] });
    const later = await dutyWork['overdue-actions'](deps, runOf(deps, 'overdue-actions', '2026-06-02', '2026-06-02'));
    expect(later).toMatchObject({ created: 0, skipped: 1, events: [] });
    expect(deps.store.commits.length - commitsBefore).toBe(1);

    // Submitting closes the three tasks in its own commit and ends the marking.
    await transitionAction(deps, shiminStaff, a.actionId, 'submit', {}, { note: '対応しました。' });
    expect([...deps.store.tasksById.values()].map((t) => t.status)).toEqual(['done', 'done', 'done']);
    expect(deps.store.actionsById.get(a.actionId)?.overdueSince).toBeUndefined();
    expect(deps.store.actionsById.get(a.actionId)?.openTaskIds).toEqual([]);
  });

  it('an index copy behind the action: the commit is stale, one consistent read, then it lands', async () => {
    const deps = fakeDeps();
    const a = await actionDue(deps, '2026-05-31');
    const stale = { ...a, version: a.version - 1 };
    const reads: string[] = [];
    const get = deps.actions.get;
    deps.actions = {
      ...deps.actions,
      list: async () => ({ items: [structuredClone(stale)], nextCursor: null }),
      get: async (id) => {
        reads.push(id);
        return get(id);
      },
    };
    const result = await dutyWork['overdue-actions'](deps, runOf(deps, 'overdue-actions', '2026-06-01', '2026-06-01'));
    expect(result).toMatchObject({ created: 1 });
    expect(reads).toEqual([a.actionId]);
    expect(deps.store.actionsById.get(a.actionId)?.version).toBe(a.version + 1);
  });

  it('reminds exactly 30, 7 and 1 days ahead, once a day', async () => {
    const deps = fakeDeps();
    const due = await Promise.all(['2026-07-01', '2026-06-08', '2026-06-02', '2026-06-09'].map((d) => actionDue(deps, d)));
    const run = runOf(deps, 'overdue-actions', '2026-06-01', '2026-06-01');
    const result = await dutyWork['overdue-actions'](deps, run);
    expect(result.created).toBe(3);
    const reminded = [...deps.store.tasksById.values()].filter((t) => t.kind === 'actionReminder');
    expect(reminded.map((t) => t.subject.id).sort()).toEqual(
      due
        .slice(0, 3)
        .map((a) => a.actionId)
        .sort(),
    );
    expect(reminded.map((t) => t.title).sort()).toEqual([
      '改善措置の期限（2026-06-02）まであと1日です: 手順書を改訂する',
      '改善措置の期限（2026-06-08）まであと7日です: 手順書を改訂する',
      '改善措置の期限（2026-07-01）まであと30日です: 手順書を改訂する',
    ]);
    expect(await dutyWork['overdue-actions'](deps, run)).toMatchObject({ created: 0, alreadyDone: 3, events: [] });
  });

  it('does not remind again the next day, reminds for a new due date, and stops once the action is submitted', async () => {
    const deps = fakeDeps();
    const a = await actionDue(deps, '2026-06-08');
    const day = (d: string) => dutyWork['overdue-actions'](deps, runOf(deps, 'overdue-actions', d, d));
    const reminders = () =>
      [...deps.store.tasksById.values()].filter((t) => t.kind === 'actionReminder').map((t) => t.title.match(/あと(\d+)日/)?.[1]);
    expect((await day('2026-06-01')).created).toBe(1);
    expect((await day('2026-06-02')).created).toBe(0);
    expect(reminders()).toEqual(['7']);
    // The due date moves a week on: its 7-day reminder comes on the new date's day.
    (deps.store.actionsById.get(a.actionId) as FollowUpAction).dueDate = '2026-06-15';
    expect((await day('2026-06-07')).created).toBe(0);
    expect((await day('2026-06-08')).created).toBe(1);
    expect(reminders()).toEqual(['7', '7']);
    await transitionAction(deps, shiminStaff, a.actionId, 'submit', {}, { note: '対応しました。' });
    expect([...deps.store.tasksById.values()].every((t) => t.status === 'done')).toBe(true);
    expect(await day('2026-06-14')).toMatchObject({ created: 0, events: [] });
    expect(reminders()).toEqual(['7', '7']);
  });
});

describe('annual-plan', () => {
  it('due at the end of April, or a month on when the year is already under way', async () => {
    const deps = fakeDeps();
    await dutyWork['annual-plan'](deps, runOf(deps, 'annual-plan', 'FY2030', '2030-04-01'));
    await dutyWork['annual-plan'](deps, runOf(deps, 'annual-plan', 'FY2031', '2031-06-10'));
    expect([...deps.store.tasksById.values()].map((t) => [t.period, t.dueDate, t.assignee])).toEqual([
      ['FY2030', '2030-04-30', { role: 'auditLead' }],
      ['FY2031', '2031-07-09', { role: 'auditLead' }],
    ]);
  });
});

describe('one open reminder per action', () => {
  it('a newer reminder closes the older open one in its own commit, with the audit event; other open tasks stay', async () => {
    const deps = fakeDeps();
    const a = await actionDue(deps, '2026-07-01');
    const day = (d: string) => dutyWork['overdue-actions'](deps, runOf(deps, 'overdue-actions', d, d));
    const reminders = () => [...deps.store.tasksById.values()].filter((t) => t.kind === 'actionReminder');
    const open = () => reminders().filter((t) => t.status === 'open');

    expect((await day('2026-06-01')).created).toBe(1);
    const [thirty] = open();
    expect(thirty?.title).toContain('あと30日');
    // Another open task of the action (not a reminder) is left as it is.
    const other = { ...structuredClone(thirty), taskId: 'OTHER-TASK', kind: 'actionOverdue' as const, title: '別のタスク' };
    deps.store.tasksById.set(other.taskId, other as typeof thirty & object);
    const stored = deps.store.actionsById.get(a.actionId) as FollowUpAction;
    stored.openTaskIds = [...(stored.openTaskIds ?? []), other.taskId];

    const commitsBefore = deps.store.commits.length;
    expect((await day('2026-06-24')).created).toBe(1);
    expect(deps.store.commits.length - commitsBefore).toBe(1);
    const commit = deps.store.commits.at(-1) ?? [];
    expect(commit.map((c) => `${c.entityType}:${c.event.action}`)).toEqual([
      'action:action.reminded',
      'task:task.created',
      'task:task.closed',
    ]);
    const closing = commit[2];
    expect(closing?.entityId).toBe(thirty?.taskId);
    expect(closing?.event).toMatchObject({
      actor: { sub: 'system:overdue-actions' },
      reason: '期限まであと7日のリマインダーに置き換えました。',
      before: { status: 'open' },
      after: { status: 'done' },
    });
    expect(open().map((t) => t.title)).toEqual([expect.stringContaining('あと7日')]);
    expect(deps.store.tasksById.get(thirty?.taskId as string)).toMatchObject({ status: 'done', closedBy: 'system:overdue-actions' });
    expect(deps.store.tasksById.get(other.taskId)?.status).toBe('open');
    expect(deps.store.actionsById.get(a.actionId)?.openTaskIds).toEqual([other.taskId, open()[0]?.taskId]);

    expect((await day('2026-06-30')).created).toBe(1);
    expect(open().map((t) => t.title)).toEqual([expect.stringContaining('あと1日')]);
    expect(reminders().filter((t) => t.status === 'done')).toHaveLength(2);
    expect(deps.store.actionsById.get(a.actionId)?.openTaskIds).toEqual([other.taskId, open()[0]?.taskId]);

    // Submitting closes what is left open, the last reminder and the other task.
    await transitionAction(deps, shiminStaff, a.actionId, 'submit', {}, { note: '対応しました。' });
    expect([...deps.store.tasksById.values()].every((t) => t.status === 'done')).toBe(true);
  });

  it('the first reminder of an action with no open tasks reads no task', async () => {
    const deps = fakeDeps();
    await actionDue(deps, '2026-07-01');
    const getMany = deps.tasks.getMany;
    let reads = 0;
    deps.tasks = { ...deps.tasks, getMany: async (ids) => ((reads += 1), getMany(ids)) };
    expect((await dutyWork['overdue-actions'](deps, runOf(deps, 'overdue-actions', '2026-06-01', '2026-06-01'))).created).toBe(1);
    expect(reads).toBe(0);
  });
});

describe('the outbox: a resumed run publishes the events stored on the claims of units already done', () => {
  it('section-inspection: a duplicate run publishes nothing, a resumed one the stored events of every unit', async () => {
    const deps = fakeDeps();
    const run = runOf(deps, 'section-inspection', 'FY2026-Q2', '2026-07-01');
    const first = await dutyWork['section-inspection'](deps, run);
    expect(first.created).toBeGreaterThan(0);
    expect([...deps.store.claims.values()].map((c) => c.events)).toEqual(first.events.map((e) => [e]));
    expect(await dutyWork['section-inspection'](deps, run)).toMatchObject({
      created: 0,
      alreadyDone: first.created,
      events: [],
      republished: 0,
    });
    const resumed = await dutyWork['section-inspection'](deps, { ...run, resumed: true });
    expect(resumed).toMatchObject({ created: 0, alreadyDone: first.created, republished: first.events.length });
    expect(resumed.events).toEqual(first.events);
  });

  it('overdue-actions: a unit the listing shows done reads its claim (resumed runs only) for the marking and its three tasks', async () => {
    const deps = fakeDeps();
    await actionDue(deps, '2026-05-31');
    const run = runOf(deps, 'overdue-actions', '2026-06-01', '2026-06-01');
    const first = await dutyWork['overdue-actions'](deps, run);
    expect(first.events.map((e) => e.type)).toEqual(['ActionOverdue', 'TaskCreated', 'TaskCreated', 'TaskCreated']);
    const reads: string[] = [];
    const claims = deps.store.claimReader;
    deps.claims = { get: async (...k) => (reads.push(k.join(' ')), claims.get(...k)), list: claims.list };
    expect(await dutyWork['overdue-actions'](deps, run)).toMatchObject({ alreadyDone: 1, events: [] });
    expect(reads).toEqual([]);
    const resumed = await dutyWork['overdue-actions'](deps, { ...run, resumed: true });
    expect(resumed).toMatchObject({ created: 0, alreadyDone: 1, republished: 4 });
    expect(resumed.events).toEqual(first.events);
    expect(reads).toHaveLength(1);
  });
});
