import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundEvent } from '#lib/app/ports.js';
import { AlreadyClaimed } from '#lib/app/ports.js';
import { EventBridgePublisher } from '#lib/jobs/event-bus.js';
import { type DutyRunSummary, EventsUnpublished, type JobRuntime, runDuty } from '#lib/jobs/runner.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { deps, runtime } from '#lib/runtime/ports.js';
import { keys } from '#lib/store/keys.js';
import { auditData, lead } from '#test/support/audit-data.js';
import { contractorBody, jobRuntime } from '#test/support/duty-data.js';
import { type Item, invariantViolations, scanTable } from '#test/support/invariants.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * The duties' outbox against DynamoDB Local: each claim stores its unit's events, so a
 * run that dies after k units committed (or before publishing anything) loses no event:
 * the next delivery resumes the period and publishes the stored events of the units it
 * finds done, at least once, and writes no unit twice. The death is injected with
 * aws-sdk-client-mock on the handlers' document client (every other call, and the
 * committing transactions themselves, reach DynamoDB Local); a bus that refuses events
 * is EventBridge mocked the same way.
 */

let stack: TestStack;
let scanner: DynamoDBDocumentClient;
let rt: JobRuntime;
/** Every event published, by every run of this file. */
const published: OutboundEvent[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  scanner = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
  rt = jobRuntime(stack, published);
}, 60_000);

afterAll(async () => {
  scanner?.destroy();
  await stack?.close();
});

/** The handlers' own document client: `runtime()` is built once per process and the gateway runs in it. */
function handlersDoc(): DynamoDBDocumentClient {
  return runtime().documentClient;
}

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/**
 * From now on the process "dies" after its `k`-th TransactWriteItems committed: that
 * one reaches DynamoDB Local and then throws, later ones throw without being sent
 * (units running at once may have committed before). Other calls pass through.
 */
function dieAfterTransaction(k: number): { transactions: () => number } {
  const doc = handlersDoc();
  const send = doc.send.bind(doc) as (command: TransactWriteCommand) => Promise<unknown>;
  const mock = mockClient(doc);
  mock.send.callThrough();
  let n = 0;
  mock.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommand['input']) => {
    n += 1;
    if (n > k) throw new Error(`injected: the process is dead (transaction ${n} not sent)`);
    const out = await send(new TransactWriteCommand(input));
    if (n === k) throw new Error(`injected: the process died after transaction ${k} committed`);
    return out;
  });
  restore = () => mock.restore();
  return { transactions: () => n };
}

/** A delivery that dies after `k` committed transactions, then the same event delivered again (the schedule's retry). */
async function dieThenRedeliver(
  duty: string,
  instant: string,
  k: number,
): Promise<{ dead: OutboundEvent[]; resumed: DutyRunSummary; republished: OutboundEvent[] }> {
  const mark = published.length;
  const dying = dieAfterTransaction(k);
  await expect(runDuty(rt, { duty, instant })).rejects.toThrow(/injected/);
  restore?.();
  restore = undefined;
  expect(dying.transactions()).toBeGreaterThanOrEqual(k);
  const dead = published.slice(mark);
  const before = published.length;
  const resumed = await runDuty(rt, { duty, instant });
  return { dead, resumed, republished: published.slice(before) };
}

const items = () => scanTable(scanner, stack.tableName);
const ofType = (all: Item[], type: string, where: (i: Item) => boolean = () => true) => all.filter((i) => i.type === type && where(i));
const subjectId = (t: Item) => (t.subject as { id: string }).id;
const taskIdsPublished = () => new Set(published.filter((e) => e.type === 'TaskCreated').map((e) => e.detail.taskId));
const runRecord = async (duty: string, period: string) => (await items()).find((i) => i.pk === keys.dutyRun(duty, period).pk);

/** Every task of the period was announced at least once, and none is there twice (one per subject, kind and assignee). */
function expectEveryTaskAnnouncedOnce(all: Item[], duty: string, period: string): Item[] {
  const tasks = ofType(all, 'task', (t) => t.duty === duty && t.period === period);
  expect(tasks.length).toBeGreaterThan(0);
  const announced = taskIdsPublished();
  expect(tasks.filter((t) => !announced.has(t.taskId)).map((t) => t.taskId)).toEqual([]);
  const units = tasks.map((t) => `${t.kind} ${subjectId(t)} ${JSON.stringify(t.assignee)} ${String(t.title)}`);
  expect(new Set(units).size).toBe(units.length);
  expect(invariantViolations(all.filter((i) => i.type !== 'dutyRun'))).toEqual([]);
  return tasks;
}

describe('the claim carries its unit’s events, and a commit refused by it hands them back (ALL_OLD, DynamoDB Local)', () => {
  it('AlreadyClaimed has the events stored on the claim, from the cancelled transaction itself', async () => {
    const d = deps();
    const events: OutboundEvent[] = [
      {
        type: 'TaskCreated',
        detail: { taskId: 'T-outbox-1', title: '点検', assignee: { role: 'sectionManager', department: 'citizens' } },
      },
    ];
    const claim = { duty: 'section-inspection', period: 'FY2050-Q1', subject: 'citizens' };
    await d.writer.commit([], [], [{ ...claim, events }]);
    const stored = (await items()).find((i) => i.pk === keys.claim(claim.duty, claim.period, claim.subject).pk);
    expect(stored).toMatchObject({ type: 'claim', ...claim, events });

    const err = await d.writer
      .commit([], [], [{ ...claim, events: [{ type: 'TaskCreated', detail: { taskId: 'T-other' } }] }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyClaimed);
    expect((err as AlreadyClaimed).events).toEqual(events);
    expect((err as AlreadyClaimed).claim).toMatchObject(claim);
    expect(await d.claims?.get(claim.duty, claim.period, claim.subject)).toEqual({ ...claim, events });
  });

  it('a claim stored without events (before the outbox) hands back none', async () => {
    const key = keys.claim('annual-plan', 'FY2050', 'FY2050');
    await scanner.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { ...key, type: 'claim', duty: 'annual-plan', period: 'FY2050', subject: 'FY2050', entities: [] },
      }),
    );
    const err = await deps()
      .writer.commit([], [], [{ duty: 'annual-plan', period: 'FY2050', subject: 'FY2050', events: [] }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyClaimed);
    expect((err as AlreadyClaimed).events).toEqual([]);
  });
});

describe('a run that dies after k units committed, then the redelivery: every unit’s event at least once, no unit twice', () => {
  it('annual-plan: dead after its one unit, before publishing it', async () => {
    const { dead, resumed, republished } = await dieThenRedeliver('annual-plan', '2051-04-01T00:05:00+09:00', 1);
    expect(dead).toEqual([]);
    expect(resumed).toMatchObject({ outcome: 'completed', created: 0, alreadyDone: 1, published: 1, republished: 1 });
    const tasks = expectEveryTaskAnnouncedOnce(await items(), 'annual-plan', 'FY2051');
    expect(tasks).toHaveLength(1);
    expect(republished).toEqual([
      { type: 'TaskCreated', detail: expect.objectContaining({ taskId: tasks[0]?.taskId, kind: 'draftPlan', period: 'FY2051' }) },
    ]);
    expect(await runRecord('annual-plan', 'FY2051')).toMatchObject({ status: 'done', attempts: 2 });

    // Done: a further delivery is one GetItem and publishes nothing.
    const mark = published.length;
    expect(await runDuty(rt, { duty: 'annual-plan', instant: '2051-04-01T00:05:00+09:00' })).toMatchObject({
      outcome: 'alreadyDone',
      published: 0,
    });
    expect(published.length).toBe(mark);
  });

  it.each([1, 2, 4])('section-inspection: dead after transaction %i', async (k) => {
    const period = `FY2052-Q${k}`;
    const month = { 1: '04', 2: '07', 4: '01' }[k as 1 | 2 | 4];
    const year = k === 4 ? 2053 : 2052;
    const { resumed } = await dieThenRedeliver('section-inspection', `${year}-${month}-01T00:10:00+09:00`, k);
    const all = await items();
    const inspections = ofType(all, 'inspection', (i) => i.period === period);
    expect(resumed.outcome).toBe('completed');
    expect(resumed.alreadyDone).toBeGreaterThanOrEqual(k);
    expect(resumed.republished).toBe(resumed.alreadyDone);
    expect(resumed.created + resumed.alreadyDone).toBe(inspections.length);
    const departments = inspections.map((i) => i.department);
    expect(new Set(departments).size).toBe(departments.length);
    expect(expectEveryTaskAnnouncedOnce(all, 'section-inspection', period)).toHaveLength(inspections.length);
    expect(ofType(all, 'claim', (c) => c.duty === 'section-inspection' && c.period === period)).toHaveLength(inspections.length);
  });

  it('contractor-check: dead after transaction 2 of 4', async () => {
    for (const n of [1, 2, 3, 4]) {
      const r = await stack.call('POST', '/contractors', {
        as: 'citizens-manager',
        body: contractorBody('citizens', { name: `株式会社送信${n}`, contractFrom: '2054-04-01', contractTo: '2055-03-31' }),
      });
      expect(r.status, r.text).toBe(201);
    }
    const { resumed } = await dieThenRedeliver('contractor-check', '2054-04-01T00:15:00+09:00', 2);
    const all = await items();
    const checks = ofType(all, 'contractorCheck', (c) => c.fiscalYear === 2054);
    expect(checks).toHaveLength(4);
    expect(resumed).toMatchObject({ outcome: 'completed' });
    expect(resumed.created + resumed.alreadyDone).toBe(4);
    expect(resumed.republished).toBe(resumed.alreadyDone);
    expect(expectEveryTaskAnnouncedOnce(all, 'contractor-check', 'FY2054')).toHaveLength(4);
  });

  it('overdue-actions: reminders dead after transaction 2, the marking dead after transaction 2; the 7-day reminder closes the 30-day one', async () => {
    const data = auditData(stack);
    const mine = [
      await data.actionIn('open', 'dx-manager', 'citizens'),
      await data.actionIn('inProgress', 'dx-manager', 'citizens'),
      await data.actionIn('open', lead, 'resident-tax'),
    ];
    const due = (await stack.call('GET', `/actions/${mine[0]}`, { as: lead })).body.dueDate as string;
    const at = (days: number) => new Date(new Date(`${due}T00:20:00+09:00`).getTime() + days * 86_400_000).toISOString();
    const day = (days: number) => new Date(Date.parse(`${due}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const ofMine = (all: Item[], kind: string) => ofType(all, 'task', (t) => t.kind === kind && mine.includes(subjectId(t)));

    // 30 days before: the first reminders, delivered normally.
    expect(await runDuty(rt, { duty: 'overdue-actions', instant: at(-30) })).toMatchObject({ outcome: 'completed', created: 3 });

    // 7 days before: dies after two reminders, then resumed.
    const sevenDays = await dieThenRedeliver('overdue-actions', at(-7), 2);
    expect(sevenDays.resumed).toMatchObject({ outcome: 'completed' });
    expect(sevenDays.resumed.republished).toBeGreaterThanOrEqual(2);
    let all = await items();
    const reminders = ofMine(all, 'actionReminder');
    expect(reminders).toHaveLength(6);
    const announced = taskIdsPublished();
    expect(reminders.filter((t) => !announced.has(t.taskId))).toEqual([]);
    for (const actionId of mine) {
      const own = reminders.filter((t) => subjectId(t) === actionId);
      // One open reminder per action: the 7-day one; the 30-day one closed in its transaction.
      expect(own.filter((t) => t.status === 'open').map((t) => t.title)).toEqual([expect.stringContaining('あと7日')]);
      expect(own.filter((t) => t.status === 'done').map((t) => t.title)).toEqual([expect.stringContaining('あと30日')]);
      const action = ofType(all, 'action', (a) => a.actionId === actionId)[0];
      expect(action?.openTaskIds).toEqual(own.filter((t) => t.status === 'open').map((t) => t.taskId));
    }
    expect(invariantViolations(all.filter((i) => i.type !== 'dutyRun'))).toEqual([]);

    // 3 days after: the marking dies after two actions, then resumed.
    const marked = await dieThenRedeliver('overdue-actions', at(3), 2);
    expect(marked.resumed).toMatchObject({ outcome: 'completed' });
    all = await items();
    const overdueTasks = ofMine(all, 'actionOverdue');
    expect(overdueTasks).toHaveLength(3 * mine.length);
    const units = overdueTasks.map((t) => `${subjectId(t)} ${JSON.stringify(t.assignee)}`);
    expect(new Set(units).size).toBe(units.length);
    const announcedNow = taskIdsPublished();
    expect(overdueTasks.filter((t) => !announcedNow.has(t.taskId))).toEqual([]);
    const overdueAnnounced = published
      .filter((e) => e.type === 'ActionOverdue' && e.detail.overdueSince === day(3))
      .map((e) => e.detail.actionId);
    expect([...new Set(overdueAnnounced)].sort()).toEqual([...mine].sort());
    for (const actionId of mine) {
      expect(ofType(all, 'auditEvent', (e) => e.entityId === actionId && e.action === 'action.markedOverdue')).toHaveLength(1);
      expect(ofType(all, 'auditEvent', (e) => e.entityId === actionId && e.action === 'action.reminded')).toHaveLength(2);
    }
    expect(invariantViolations(all.filter((i) => i.type !== 'dutyRun'))).toEqual([]);
  });
});

describe('a bus that refuses the events', () => {
  const eb = mockClient(EventBridgeClient);
  afterAll(() => eb.restore());

  it('leaves the period running and fails the delivery; the next delivery publishes every stored event', async () => {
    eb.on(PutEventsCommand).rejects(new Error('injected: EventBridge unavailable'));
    const failing: JobRuntime = {
      ...rt,
      deps: { ...rt.deps, events: new EventBridgePublisher(new EventBridgeClient({ region: 'ap-northeast-1' }), 'kansa-events') },
    };
    const instant = '2056-07-01T00:10:00+09:00';
    const err = await runDuty(failing, { duty: 'section-inspection', instant }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventsUnpublished);
    expect(await runRecord('section-inspection', 'FY2056-Q2')).toMatchObject({ status: 'running', attempts: 1 });

    eb.reset();
    eb.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `e${i}` })),
    }));
    const resumed = await runDuty(failing, { duty: 'section-inspection', instant });
    expect(resumed).toMatchObject({ outcome: 'completed', created: 0, unpublished: 0 });
    expect(resumed.published).toBe(resumed.alreadyDone);
    const sent = eb
      .commandCalls(PutEventsCommand)
      .flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => (JSON.parse(e.Detail as string) as { taskId: string }).taskId));
    const tasks = ofType(await items(), 'task', (t) => t.duty === 'section-inspection' && t.period === 'FY2056-Q2');
    expect(sent.sort()).toEqual(tasks.map((t) => t.taskId as string).sort());
    expect(await runRecord('section-inspection', 'FY2056-Q2')).toMatchObject({ status: 'done', attempts: 2 });
  });
});
