import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident, recordIncidentPpcReport } from '#lib/app/incidents.js';
import type { OutboundEvent } from '#lib/app/ports.js';
import { noFlags, type Incident, createIncidentSchema } from '#lib/domain/incident.js';
import type { Actor } from '#lib/domain/roles.js';
import { type JobRuntime, runDuty } from '#lib/jobs/runner.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { type Item, invariantViolations, scanTable } from '#test/support/invariants.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';
import { jobRuntime } from '#test/support/duty-data.js';

/**
 * The daily `incident-deadlines` duty against DynamoDB Local, through the jobs runner: a
 * 事案 whose 速報 was filed and whose 確報 is due 2026-06-30 gets one reminder on the 29th,
 * nothing on the 30th, the chief's task and kansa.IncidentDeadlinePassed on 1 July, and
 * nothing more on any later run, delivery or retry; recording the 確報 closes both tasks.
 */

let stack: TestStack;
let scanner: DynamoDBDocumentClient;
let rt: JobRuntime;
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

const staff: Actor = { sub: 'u-shimin-staff', name: '市民課職員', roles: [], department: 'citizens' };
const deputy: Actor = { sub: 'u-deputy', name: '総括保護副管理者', roles: ['deputyManager'], department: 'general-affairs' };
const items = () => scanTable(scanner, stack.tableName);
const incidentTasks = (all: Item[]) => all.filter((i) => i.type === 'task' && i.duty === 'incident-deadlines');
const run = (instant: string) => runDuty(rt, { duty: 'incident-deadlines', instant });
const drain = () => published.splice(0);

/** A 市民課 事案 of 101 people learned of on 2026-06-01 (速報 2026-06-05, 確報 2026-06-30), reported and its 速報 filed through the use cases. */
async function seed(): Promise<Incident> {
  const d = rt.deps;
  const input = createIncidentSchema.parse({
    department: 'citizens',
    discoveredAt: '2026-06-01T10:00:00+09:00',
    summary: '住民票の写しを別人に誤送付した',
    category: 'leak',
    records: {
      items: ['氏名', '住所'],
      subjects: 101,
      ...noFlags,
    },
  });
  const reported = await createIncident(d, staff, input);
  const filed = await recordIncidentPpcReport(
    d,
    deputy,
    reported.incidentId,
    { stage: 'preliminary', submittedAt: '2026-06-04T15:00:00+09:00' },
    { ifMatch: reported.version },
  );
  expect(filed.assessment.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-06-30' });
  drain();
  return filed;
}

describe('incident-deadlines', () => {
  it('reminds the day before, escalates after, each once; the 確報 recorded closes both', async () => {
    const incident = await seed();

    // 06-29 (the day before): one reminder for the 総括保護副管理者 (001 第24条), however often delivered.
    expect(await run('2026-06-29T00:25:00+09:00')).toMatchObject({ outcome: 'completed', period: '2026-06-29', created: 1 });
    const reminded = await Promise.all(
      [1, 2, 3].map(() => runDuty(rt, { duty: 'incident-deadlines', instant: '2026-06-29T00:25:00+09:00' })),
    );
    expect(reminded.every((r) => r.created === 0)).toBe(true);
    const [reminder] = incidentTasks(await items());
    expect(incidentTasks(await items())).toHaveLength(1);
    expect(reminder).toMatchObject({
      kind: 'incidentDeadlineReminder',
      assignee: { role: 'deputyManager' },
      subject: { type: 'incident', id: incident.incidentId },
      dueDate: '2026-06-30',
      source: '第24条',
      status: 'open',
    });
    expect(drain().map((e) => [e.type, e.detail.taskId])).toEqual([['TaskCreated', reminder?.taskId]]);

    // 06-30 (the deadline): nothing new.
    expect(await run('2026-06-30T00:25:00+09:00')).toMatchObject({ outcome: 'completed', created: 0, alreadyDone: 0, skipped: 1 });
    expect(incidentTasks(await items())).toHaveLength(1);
    expect(drain()).toEqual([]);

    // 07-01 (passed): the chief's task and the event on the bus.
    expect(await run('2026-07-01T00:25:00+09:00')).toMatchObject({ outcome: 'completed', created: 1 });
    const escalation = incidentTasks(await items()).find((t) => t.kind === 'incidentDeadlinePassed');
    expect(escalation).toMatchObject({ assignee: { role: 'chiefManager' }, dueDate: '2026-06-30', status: 'open' });
    expect(drain()).toEqual([
      {
        type: 'IncidentDeadlinePassed',
        detail: expect.objectContaining({
          incidentId: incident.incidentId,
          stage: 'final',
          deadline: '2026-06-30',
          passedOn: '2026-07-01',
          taskIds: [escalation?.taskId],
        }),
      },
      expect.objectContaining({ type: 'TaskCreated', detail: expect.objectContaining({ taskId: escalation?.taskId }) }),
    ]);

    // The claim, keyed by the deadline, keeps the unit's events (its outbox) for a resumed run.
    const claim = await rt.deps.claims.get('incident-deadlines', '2026-06-30', `${incident.incidentId}#final#incidentDeadlinePassed`);
    expect(claim?.events?.map((e) => e.type)).toEqual(['IncidentDeadlinePassed', 'TaskCreated']);

    // Again on 07-01 (a duplicate delivery), and on the days after: nothing new.
    expect(await run('2026-07-01T00:25:00+09:00')).toMatchObject({ outcome: 'alreadyDone', created: 0 });
    for (const day of ['2026-07-02', '2026-07-15'])
      expect(await run(`${day}T00:25:00+09:00`)).toMatchObject({ outcome: 'completed', created: 0, alreadyDone: 1 });
    expect(incidentTasks(await items())).toHaveLength(2);
    expect(drain()).toEqual([]);

    // The 確報 recorded (POST /incidents/{id}/ppc-reports) closes the tasks it settles in its transaction.
    await recordIncidentPpcReport(
      rt.deps,
      deputy,
      incident.incidentId,
      { stage: 'final', submittedAt: '2026-07-15T10:00:00+09:00' },
      { ifMatch: incident.version },
    );
    const all = await items();
    expect(incidentTasks(all).map((t) => [t.kind, t.status, t.closedBy])).toEqual(
      expect.arrayContaining([
        ['incidentDeadlineReminder', 'done', deputy.sub],
        ['incidentDeadlinePassed', 'done', deputy.sub],
      ]),
    );
    expect(await run('2026-07-16T00:25:00+09:00')).toMatchObject({ outcome: 'completed', created: 0, alreadyDone: 0, skipped: 1 });
    // The entities, their trails and claims hold together (the runner's run records are not entities).
    expect(invariantViolations(all.filter((i) => i.type !== 'dutyRun'))).toEqual([]);
  }, 60_000);

  it('a 確報 filed between the unit’s read of the 事案 and its commit: the unit reads again and makes nothing', async () => {
    const incident = await seed();
    const store = rt.deps.incidents;
    let filed = false;
    // The duty's read of the 事案 sees it before the 確報, which lands right after that read.
    const incidents: typeof store = Object.assign(Object.create(store) as typeof store, {
      get: async (incidentId: string) => {
        const read = await store.get(incidentId);
        if (incidentId === incident.incidentId && !filed) {
          filed = true;
          await recordIncidentPpcReport(
            rt.deps,
            deputy,
            incidentId,
            { stage: 'final', submittedAt: '2026-07-02T10:00:00+09:00' },
            { ifMatch: incident.version },
          );
        }
        return read;
      },
    });
    const racing: JobRuntime = { ...rt, deps: { ...rt.deps, incidents } };
    expect(await runDuty(racing, { duty: 'incident-deadlines', instant: '2026-07-03T00:25:00+09:00' })).toMatchObject({
      outcome: 'completed',
      created: 0,
    });
    expect(filed).toBe(true);
    const mine = incidentTasks(await items()).filter((t) => (t.subject as { id: string }).id === incident.incidentId);
    expect(mine).toEqual([]);
    expect(drain()).toEqual([]);
  }, 60_000);
});
