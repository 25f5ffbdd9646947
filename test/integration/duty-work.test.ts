import type { AuditAction } from '#lib/domain/audit.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DutyResult } from '#lib/app/duty-units.js';
import { dutyWork } from '#lib/app/duty-work.js';
import { change } from '#lib/app/changes.js';
import type { ChangeWriter, Deps } from '#lib/app/ports.js';
import { dutyActor } from '#lib/app/task-changes.js';
import type { FollowUpAction } from '#lib/domain/action.js';
import { Unavailable } from '#lib/domain/errors.js';
import { addDays } from '#lib/domain/task.js';
import { demoDepartments } from '#lib/local/demo-users.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { deps } from '#lib/runtime/ports.js';
import { type AuditData, auditData, lead } from '#test/support/audit-data.js';
import { contractorBody, dutyRun, today } from '#test/support/duty-data.js';
import { type Item, invariantViolations, scanTable } from '#test/support/invariants.js';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';

/**
 * The work of each periodic duty against DynamoDB Local: delivered three times in a
 * row and three times at once it does each unit once (counted in the table), a run
 * that died half-way is finished by the next without duplicates, and the work the
 * tasks ask for closes them.
 */

let stack: TestStack;
let scanner: DynamoDBDocumentClient;
let data: AuditData;
beforeAll(async () => {
  stack = await startTestStack();
  scanner = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
  data = auditData(stack);
});
afterAll(async () => {
  scanner?.destroy();
  await stack?.close();
});

const sections = demoDepartments.filter((d) => d.code !== d.division).map((d) => d.code);
const items = () => scanTable(scanner, stack.tableName);
const ofType = (all: Item[], type: string, where: (i: Item) => boolean = () => true) => all.filter((i) => i.type === type && where(i));
const sum = (results: DutyResult[]) => ({
  created: results.reduce((n, r) => n + r.created, 0),
  alreadyDone: results.reduce((n, r) => n + r.alreadyDone, 0),
  events: results.flatMap((r) => r.events),
});

/** Three deliveries one after another, then three at once. */
async function deliver(d: Deps, run: ReturnType<typeof dutyRun>): Promise<DutyResult[]> {
  const work = dutyWork[run.duty];
  const results: DutyResult[] = [];
  for (let i = 0; i < 3; i++) results.push(await work(d, run));
  results.push(...(await Promise.all([work(d, run), work(d, run), work(d, run)])));
  return results;
}

/** The handlers' deps with a writer that fails at its `n`-th commit (a run dying half-way), counting commits. */
function failingAt(n: number): { deps: Deps; commits: () => number } {
  const real = deps();
  let count = 0;
  const writer: ChangeWriter = {
    commit: async (...args) => {
      count += 1;
      if (count === n) throw new Unavailable();
      return real.writer.commit(...args);
    },
    appendEvent: (e) => real.writer.appendEvent(e),
  };
  return { deps: { ...real, writer }, commits: () => count };
}

describe('annual-plan (第26条): one drafting task for the 監査責任者 per 年度', () => {
  it('creates one task however often and however concurrently it is delivered, and creating the plan closes it', async () => {
    const results = await deliver(deps(), dutyRun('annual-plan', 'FY2040', '2040-04-01'));
    const tasks = ofType(await items(), 'task', (t) => t.duty === 'annual-plan' && t.period === 'FY2040');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      kind: 'draftPlan',
      status: 'open',
      assignee: { role: 'auditLead' },
      subject: { type: 'fiscalYear', id: '2040' },
      dueDate: '2040-04-30',
      source: '第26条第2項',
    });
    expect(tasks[0]?.title).toBe('令和22年度（2040年度）監査計画の作成');
    expect(sum(results)).toMatchObject({ created: 1, alreadyDone: 5 });
    expect(sum(results).events).toEqual([
      { type: 'TaskCreated', detail: expect.objectContaining({ taskId: tasks[0]?.taskId, kind: 'draftPlan' }) },
    ]);

    const mine = await stack.call('GET', '/tasks?mine=true', { as: lead });
    expect(mine.body.items.map((t: { taskId: string }) => t.taskId)).toContain(tasks[0]?.taskId);
    const plan = await stack.call('POST', '/plans', {
      as: lead,
      body: planBody({ fiscalYear: 2040, schedule: { from: '2040-10-01', to: '2040-11-30' } }),
    });
    expect(plan.status).toBe(201);
    const closed = await stack.call('GET', `/tasks/${String(tasks[0]?.taskId)}`, { as: lead });
    expect(closed.body).toMatchObject({ status: 'done', closedBy: lead, version: 2 });
    // A plan exists: the next year's delivery finds nothing to do.
    expect(await dutyWork['annual-plan'](deps(), dutyRun('annual-plan', 'FY2040', '2040-04-01'))).toMatchObject({
      created: 0,
      alreadyDone: 0,
      skipped: 1,
    });
  });
});

describe('section-inspection (第27条): one 点検 and one task per 課 and period', () => {
  it('opens one per 課 with the profile checklist, whatever the deliveries', async () => {
    const results = await deliver(deps(), dutyRun('section-inspection', 'FY2041-Q2', '2041-07-01'));
    const all = await items();
    const inspections = ofType(all, 'inspection', (i) => i.period === 'FY2041-Q2');
    expect(inspections.map((i) => i.department).sort()).toEqual([...sections].sort());
    expect(inspections[0]).toMatchObject({ status: 'open', dueDate: '2041-09-30', fiscalYear: 2041 });
    expect((inspections[0]?.checklist as { item: string }[]).map((c) => c.item)).toEqual(['記録媒体', '処理経路', '保管方法']);
    const tasks = ofType(all, 'task', (t) => t.duty === 'section-inspection' && t.period === 'FY2041-Q2');
    expect(tasks).toHaveLength(sections.length);
    for (const t of tasks) {
      const inspection = inspections.find((i) => i.inspectionId === (t.subject as { id: string }).id);
      expect(t.assignee).toEqual({ role: 'sectionManager', department: inspection?.department });
      expect(inspection?.taskId).toBe(t.taskId);
    }
    expect(sum(results)).toMatchObject({ created: sections.length, alreadyDone: 5 * sections.length });
    expect(sum(results).events).toHaveLength(sections.length);
    expect(invariantViolations(all)).toEqual([]);
  });

  it('a run that died half-way is finished by the next delivery, without duplicates', async () => {
    const run = dutyRun('section-inspection', 'FY2041-Q3', '2041-10-01');
    const dying = failingAt(3);
    await expect(dutyWork['section-inspection'](dying.deps, run)).rejects.toBeInstanceOf(Unavailable);
    expect(ofType(await items(), 'inspection', (i) => i.period === 'FY2041-Q3')).toHaveLength(2);
    const resumed = await dutyWork['section-inspection'](deps(), run);
    expect(resumed).toMatchObject({ created: sections.length - 2, alreadyDone: 2 });
    expect(resumed.events).toHaveLength(sections.length - 2);
    const all = await items();
    expect(
      ofType(all, 'inspection', (i) => i.period === 'FY2041-Q3')
        .map((i) => i.department)
        .sort(),
    ).toEqual([...sections].sort());
    expect(ofType(all, 'task', (t) => t.period === 'FY2041-Q3')).toHaveLength(sections.length);
    expect(ofType(all, 'claim', (c) => c.period === 'FY2041-Q3')).toHaveLength(sections.length);
    expect(invariantViolations(all)).toEqual([]);
  });
});

describe('contractor-check (第22条第4項): one check per contractor under contract in the 年度', () => {
  it('checks each contractor once, skips contracts outside the year', async () => {
    const registered = await stack.call('POST', '/contractors', {
      as: 'citizens-manager',
      body: contractorBody('citizens', { contractFrom: '2042-01-01', contractTo: '2043-12-31' }),
    });
    const ended = await stack.call('POST', '/contractors', {
      as: 'tax-manager',
      body: contractorBody('resident-tax', { contractFrom: '2030-04-01', contractTo: '2031-03-31' }),
    });
    expect([registered.status, ended.status]).toEqual([201, 201]);
    const results = await deliver(deps(), dutyRun('contractor-check', 'FY2042', '2042-04-01'));
    const all = await items();
    const checks = ofType(all, 'contractorCheck', (c) => c.fiscalYear === 2042);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({
      contractorId: registered.body.contractorId,
      department: 'citizens',
      status: 'open',
      dueDate: '2043-03-31',
    });
    const tasks = ofType(all, 'task', (t) => t.duty === 'contractor-check' && t.period === 'FY2042');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      kind: 'contractorCheck',
      assignee: { role: 'sectionManager', department: 'citizens' },
      subject: { type: 'contractorCheck', id: checks[0]?.checkId },
    });
    expect(sum(results)).toMatchObject({ created: 1, alreadyDone: 5 });
    expect(results.every((r) => r.skipped >= 1)).toBe(true);
  });
});

describe('overdue-actions (第28条): overdue marking and reminders', () => {
  /** An action of 市民課 made due `dueDate` through the writer (the API refuses past dates). */
  async function actionDue(dueDate: string): Promise<string> {
    const actionId = await data.actionIn('open', lead, 'citizens');
    const d = deps();
    const before = (await d.actions.get(actionId)) as FollowUpAction;
    const now = new Date().toISOString();
    await d.writer.commit([
      change(d, dutyActor('test'), now, 'action', actionId, 'action.backdated' as AuditAction, before, {
        ...before,
        dueDate,
        version: before.version + 1,
        updatedAt: now,
      }),
    ]);
    return actionId;
  }

  it('marks an action due yesterday once, with a task for its 課, a notice for the auditor and one for the 総括保護管理者; the 課 sees it overdue; submitting closes them', async () => {
    const actionId = await actionDue(addDays(today, -1));
    const run = dutyRun('overdue-actions', today);
    const results = await deliver(deps(), run);
    const all = await items();
    const tasks = ofType(all, 'task', (t) => (t.subject as { id: string }).id === actionId);
    expect(tasks).toHaveLength(3);
    expect(tasks.map((t) => t.assignee)).toEqual(
      expect.arrayContaining([{ role: 'auditLead' }, { role: 'sectionManager', department: 'citizens' }, { role: 'chiefManager' }]),
    );
    expect(tasks.every((t) => t.kind === 'actionOverdue' && t.status === 'open')).toBe(true);
    const marked = results.flatMap((r) => r.events).filter((e) => e.type === 'ActionOverdue' && e.detail.actionId === actionId);
    expect(marked).toHaveLength(1);
    expect(ofType(all, 'auditEvent', (e) => e.entityId === actionId && e.action === 'action.markedOverdue')).toHaveLength(1);

    const listed = await stack.call('GET', '/actions?department=citizens&overdue=true', { as: 'citizens-manager' });
    const view = listed.body.items.find((a: { actionId: string }) => a.actionId === actionId);
    expect(view).toMatchObject({ overdue: true, overdueSince: today });
    const inbox = await stack.call('GET', '/tasks?mine=true', { as: 'citizens-manager' });
    expect(inbox.body.items.some((t: { subject: { id: string } }) => t.subject.id === actionId)).toBe(true);
    const chief = await stack.call('GET', '/tasks?mine=true&limit=100', { as: 'vice-mayor' });
    expect(chief.body.items.filter((t: { subject: { id: string } }) => t.subject.id === actionId)).toHaveLength(1);

    const submitted = await stack.call('POST', `/actions/${actionId}/submit`, { as: 'citizens-staff', body: { note: '対応しました。' } });
    expect(submitted.status).toBe(200);
    expect(submitted.body.openTaskIds).toEqual([]);
    for (const t of tasks) expect((await stack.call('GET', `/tasks/${String(t.taskId)}`, { as: lead })).body.status).toBe('done');
    expect(invariantViolations(await items())).toEqual([]);
  });

  it('keeps one open reminder per action: each new reminder closes the older one in its transaction, with the audit event', async () => {
    const due = addDays(today, 40);
    const actionId = await actionDue(due);
    const reminders = async () =>
      ofType(await items(), 'task', (t) => (t.subject as { id: string }).id === actionId && t.kind === 'actionReminder');
    for (const [days, expected] of [
      [30, ['30']],
      [7, ['7']],
      [1, ['1']],
    ] as const) {
      const day = addDays(due, -days);
      expect((await dutyWork['overdue-actions'](deps(), dutyRun('overdue-actions', day, day))).created).toBeGreaterThanOrEqual(1);
      const all = await reminders();
      expect(all.filter((t) => t.status === 'open').map((t) => String(t.title).match(/あと(\d+)日/)?.[1])).toEqual([...expected]);
      expect(all.filter((t) => t.status === 'done')).toHaveLength(all.length - 1);
      const action = (await deps().actions.get(actionId)) as FollowUpAction;
      expect(action.openTaskIds).toEqual(all.filter((t) => t.status === 'open').map((t) => t.taskId));
    }
    const closed = (await reminders()).filter((t) => t.status === 'done');
    for (const t of closed) {
      const trail = await stack.call('GET', `/audit-log?entityType=task&entityId=${String(t.taskId)}`, { as: lead });
      expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(['task.created', 'task.closed']);
      expect(trail.body.items[1]).toMatchObject({
        actor: { sub: 'system:overdue-actions' },
        reason: expect.stringMatching(/^期限まであと(7|1)日のリマインダーに置き換えました。$/),
      });
      const verified = await stack.call('GET', `/audit-log/verify?entityType=task&entityId=${String(t.taskId)}`, { as: lead });
      expect(verified.body, verified.text).toMatchObject({ valid: true });
    }
    expect(invariantViolations(await items())).toEqual([]);
  });

  it('reminds 30, 7 and 1 days ahead once each, and a repeated run writes nothing at all', async () => {
    const due = { 30: await actionDue(addDays(today, 30)), 7: await actionDue(addDays(today, 7)), 1: await actionDue(addDays(today, 1)) };
    const later = await actionDue(addDays(today, 8));
    const run = dutyRun('overdue-actions', today);
    const results = await Promise.all([
      dutyWork['overdue-actions'](deps(), run),
      dutyWork['overdue-actions'](deps(), run),
      dutyWork['overdue-actions'](deps(), run),
    ]);
    const all = await items();
    for (const [days, actionId] of Object.entries(due)) {
      const reminders = ofType(all, 'task', (t) => (t.subject as { id: string }).id === actionId && t.kind === 'actionReminder');
      expect(reminders, `${days} days ahead`).toHaveLength(1);
      expect(reminders[0]?.title).toContain(`あと${days}日`);
    }
    expect(ofType(all, 'task', (t) => (t.subject as { id: string }).id === later)).toHaveLength(0);
    expect(
      results
        .flatMap((r) => r.events)
        .filter((e) => Object.values(due).includes(String(e.detail.subject && (e.detail.subject as { id: string }).id))),
    ).toHaveLength(3);

    const again = failingAt(Number.POSITIVE_INFINITY);
    const repeated = await dutyWork['overdue-actions'](again.deps, run);
    expect(again.commits()).toBe(0);
    expect(repeated.created).toBe(0);
    expect(repeated.events).toEqual([]);
  });
});
