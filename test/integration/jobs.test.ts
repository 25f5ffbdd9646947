import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InitializeMiddleware, MiddlewareStack } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundEvent } from '#lib/app/ports.js';
import { InvalidInput } from '#lib/domain/errors.js';
import { lambdaContext } from '#lib/local/gateway.js';
import { type DutyRunSummary, type JobRuntime, runDuty } from '#lib/jobs/runner.js';
import { getProfile } from '#lib/profiles/index.js';
import { MemoryPublisher } from '#lib/jobs/events.js';
import { deps, runtime } from '#lib/runtime/ports.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { keys } from '#lib/store/keys.js';
import { DynamoRunLedger } from '#lib/store/run-store.js';
import { auditData, lead } from '#test/support/audit-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * The duty engine against DynamoDB Local: each duty delivered 3 times, 3 of them at
 * once, creates every unit once; a duplicate after `done` is one GetItem; a run that
 * dies halfway is completed by the next delivery without duplicates; a disabled duty
 * and a bad payload do nothing. The DynamoDB calls are counted by an SDK middleware on
 * the handlers' document client and on the run ledger's.
 */

let stack: TestStack;
let rt: JobRuntime;
let raw: DynamoDBDocumentClient;
const published: OutboundEvent[] = [];
const calls: string[] = [];
/** When set, called after each TransactWriteItems returns: throwing there is a crash after the commit. */
let afterTransaction: (() => void) | undefined;

const counter: InitializeMiddleware<object, object> = (next, context) => async (args) => {
  calls.push(context.commandName ?? 'unknown');
  const out = await next(args);
  if (context.commandName === 'TransactWriteItemsCommand') afterTransaction?.();
  return out;
};

beforeAll(async () => {
  stack = await startTestStack();
  const d = deps();
  const storeDoc = runtime().documentClient;
  const ledgerDoc = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
  for (const c of [storeDoc, ledgerDoc])
    (c.middlewareStack as unknown as MiddlewareStack<object, object>).add(counter, {
      step: 'initialize',
      priority: 'high',
      name: 'jobsTestCounter',
      override: true,
    });
  raw = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
  rt = {
    deps: { ...d, events: new MemoryPublisher(published) },
    runs: new DynamoRunLedger(ledgerDoc, stack.tableName),
  };
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

/** Every item of `type` in the table (a test-only Scan: requests never scan). */
async function itemsOf(type: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await raw.send(
      new ScanCommand({
        TableName: stack.tableName,
        FilterExpression: '#t = :t',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':t': type },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

const tasksOf = async (kind: string, period: string) => (await itemsOf('task')).filter((t) => t.kind === kind && t.period === period);
const countBy = (items: Record<string, unknown>[], key: (i: Record<string, unknown>) => unknown) => {
  const m = new Map<unknown, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m.values()];
};

/** 3 concurrent deliveries of the same scheduled event, then 3 more one after the other. */
async function deliverSix(duty: string, instant: string): Promise<DutyRunSummary[]> {
  const concurrent = await Promise.all([1, 2, 3].map(() => runDuty(rt, { duty, instant })));
  const sequential: DutyRunSummary[] = [];
  for (let i = 0; i < 3; i++) sequential.push(await runDuty(rt, { duty, instant }));
  return [...concurrent, ...sequential];
}

const createdIn = (runs: DutyRunSummary[]) => runs.reduce((n, r) => n + r.created, 0);

async function runRecord(duty: string, period: string) {
  const key = keys.dutyRun(duty, period);
  return (
    await raw.send(
      new ScanCommand({
        TableName: stack.tableName,
        FilterExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': key.pk },
        ConsistentRead: true,
      }),
    )
  ).Items?.[0];
}

describe('annual-plan', () => {
  it('makes one drafting task for the 監査責任者 however often the event comes', async () => {
    const before = published.length;
    const runs = await deliverSix('annual-plan', '2031-04-01T00:05:00+09:00');
    const tasks = await tasksOf('draftPlan', 'FY2031');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ duty: 'annual-plan', status: 'open', assignee: expect.objectContaining({ role: 'auditLead' }) });
    expect(createdIn(runs)).toBe(1);
    expect(runs.slice(3).every((r) => r.outcome === 'alreadyDone' && r.created === 0)).toBe(true);
    // At least once (a concurrent delivery may resume the running period and republish): one task, by its id.
    const announced = published.slice(before).filter((e) => e.type === 'TaskCreated');
    expect(announced.length).toBeGreaterThanOrEqual(1);
    expect(new Set(announced.map((e) => e.detail.taskId))).toEqual(new Set([tasks[0]?.taskId]));
    expect(await runRecord('annual-plan', 'FY2031')).toMatchObject({ status: 'done', created: 1, type: 'dutyRun' });
  });

  it('answers a duplicate after done with exactly one DynamoDB call, a GetItem', async () => {
    const mark = calls.length;
    const r = await runDuty(rt, { duty: 'annual-plan', instant: '2031-03-31T15:05:00Z' });
    expect(r).toMatchObject({ outcome: 'alreadyDone', period: 'FY2031', created: 0 });
    expect(calls.slice(mark)).toEqual(['GetItemCommand']);
  });
});

describe('section-inspection', () => {
  it('makes one inspection and one task per 課 for the quarter, however often the event comes', async () => {
    const runs = await deliverSix('section-inspection', '2031-07-01T00:10:00+09:00');
    const inspections = (await itemsOf('inspection')).filter((i) => i.period === 'FY2031-Q2');
    expect(inspections.length).toBeGreaterThan(0);
    expect(countBy(inspections, (i) => i.department).every((n) => n === 1)).toBe(true);
    expect(inspections.every((i) => JSON.stringify(i).includes('記録媒体') && JSON.stringify(i).includes('保管方法'))).toBe(true);
    const tasks = await tasksOf('inspection', 'FY2031-Q2');
    expect(tasks).toHaveLength(inspections.length);
    expect(createdIn(runs)).toBe(inspections.length);
  });
});

describe('contractor-check', () => {
  it('makes one check per registered contractor for the year, however often the event comes', async () => {
    // Registered by the contracting 課's 保護管理者.
    for (const [name, department, manager] of [
      ['株式会社○○情報サービス', 'citizens', 'citizens-manager'],
      ['△△印刷株式会社', 'resident-tax', 'tax-manager'],
    ] as const) {
      const r = await stack.call('POST', '/contractors', {
        as: manager,
        body: { name, department, handles: '住民票の写しの交付事務に係る個人情報', contractFrom: '2031-04-01', contractTo: '2032-03-31' },
      });
      expect(r.status, r.text).toBe(201);
    }
    const runs = await deliverSix('contractor-check', '2031-04-01T00:15:00+09:00');
    const checks = (await itemsOf('contractorCheck')).filter((c) => c.fiscalYear === 2031);
    expect(checks).toHaveLength(2);
    expect(countBy(checks, (c) => c.contractorId).every((n) => n === 1)).toBe(true);
    expect(await tasksOf('contractorCheck', 'FY2031')).toHaveLength(2);
    expect(createdIn(runs)).toBe(2);
  });
});

describe('overdue-actions', () => {
  it('marks each overdue action once, with one task for its owner, however often the event comes', async () => {
    const data = auditData(stack);
    const overdue = [
      await data.actionIn('open', 'dx-manager', 'citizens'),
      await data.actionIn('inProgress', 'pr-manager', 'resident-tax'),
    ];
    const settled = await data.actionIn('submitted', 'dx-manager', 'citizens');
    // Their due date is 31 March of next year: the day after next, in Japan, they are overdue.
    const due = (await stack.call('GET', `/actions/${overdue[0]}`, { as: lead })).body.dueDate as string;
    const dayAfter = new Date(new Date(`${due}T00:20:00+09:00`).getTime() + 2 * 86_400_000);
    const before = published.length;
    await deliverSix('overdue-actions', dayAfter.toISOString());
    const marked = new Set<string>();
    for (const actionId of overdue) {
      const a = (await stack.call('GET', `/actions/${actionId}`, { as: lead })).body;
      expect(a.overdueSince).toBeDefined();
      marked.add(`${actionId} ${String(a.overdueSince)}`);
    }
    expect((await stack.call('GET', `/actions/${settled}`, { as: lead })).body.overdueSince).toBeUndefined();
    const tasks = (await itemsOf('task')).filter((t) => t.kind === 'actionOverdue' && overdue.includes((t.subject as { id: string }).id));
    expect(tasks.filter((t) => (t.assignee as { role: string }).role === 'sectionManager')).toHaveLength(2);
    expect(countBy(tasks, (t) => `${(t.subject as { id: string }).id} ${JSON.stringify(t.assignee)}`).every((n) => n === 1)).toBe(true);
    // Announced at least once each: a concurrent delivery that finds the period running takes it for one
    // that died and republishes the units it finds done (README: consumers dedupe on actionId + overdueSince).
    const announced = published.slice(before).filter((e) => e.type === 'ActionOverdue');
    expect(announced.length).toBeGreaterThanOrEqual(2);
    expect(new Set(announced.map((e) => `${String(e.detail.actionId)} ${String(e.detail.overdueSince)}`))).toEqual(marked);
  });
});

describe('a run that dies halfway', () => {
  it('is completed by the next delivery, without duplicates', async () => {
    const instant = '2031-10-01T00:10:00+09:00';
    let transactions = 0;
    // The second unit commits, then the process "dies" before it hears back.
    afterTransaction = () => {
      transactions += 1;
      if (transactions === 2) throw new Error('injected: the process died after the second transaction');
    };
    await expect(runDuty(rt, { duty: 'section-inspection', instant })).rejects.toThrow(/injected/);
    afterTransaction = undefined;
    expect(await runRecord('section-inspection', 'FY2031-Q3')).toMatchObject({ status: 'running', attempts: 1 });
    const partial = (await itemsOf('inspection')).filter((i) => i.period === 'FY2031-Q3');
    expect(partial.length).toBeGreaterThanOrEqual(2);

    const resumed = await runDuty(rt, { duty: 'section-inspection', instant });
    expect(resumed).toMatchObject({ outcome: 'completed', alreadyDone: partial.length });
    const inspections = (await itemsOf('inspection')).filter((i) => i.period === 'FY2031-Q3');
    expect(countBy(inspections, (i) => i.department).every((n) => n === 1)).toBe(true);
    expect(inspections.length).toBe(resumed.created + partial.length);
    expect(await tasksOf('inspection', 'FY2031-Q3')).toHaveLength(inspections.length);
    expect(await runRecord('section-inspection', 'FY2031-Q3')).toMatchObject({ status: 'done', attempts: 2 });
  });
});

describe('a run that dies halfway, for every duty', () => {
  /** The first delivery dies after its `n`-th transaction committed; the second, the same event, finishes the period. */
  async function dieThenResume(duty: string, instant: string, n: number): Promise<DutyRunSummary> {
    let transactions = 0;
    afterTransaction = () => {
      transactions += 1;
      if (transactions === n) throw new Error(`injected: the process died after transaction ${n}`);
    };
    try {
      await expect(runDuty(rt, { duty, instant })).rejects.toThrow(/injected/);
    } finally {
      afterTransaction = undefined;
    }
    return runDuty(rt, { duty, instant });
  }

  it('annual-plan: the task committed before the death is not made again', async () => {
    const resumed = await dieThenResume('annual-plan', '2033-04-01T00:05:00+09:00', 1);
    expect(resumed).toMatchObject({ outcome: 'completed', created: 0, alreadyDone: 1 });
    expect(await tasksOf('draftPlan', 'FY2033')).toHaveLength(1);
    expect(await runRecord('annual-plan', 'FY2033')).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('contractor-check: each contractor is checked once', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      const r = await stack.call('POST', '/contractors', {
        as: 'citizens-manager',
        body: {
          name: `株式会社委託${n}`,
          department: 'citizens',
          handles: '住民票の写しの交付事務に係る個人情報',
          contractFrom: '2033-04-01',
          contractTo: '2034-03-31',
        },
      });
      ids.push(r.body.contractorId as string);
    }
    const resumed = await dieThenResume('contractor-check', '2033-04-01T00:15:00+09:00', 2);
    const checks = (await itemsOf('contractorCheck')).filter((c) => c.fiscalYear === 2033);
    expect(checks.map((c) => c.contractorId).sort()).toEqual([...ids].sort());
    expect(await tasksOf('contractorCheck', 'FY2033')).toHaveLength(ids.length);
    expect(resumed.outcome).toBe('completed');
    expect(resumed.created + resumed.alreadyDone).toBe(ids.length);
    expect(resumed.alreadyDone).toBeGreaterThanOrEqual(2);
    expect(await runRecord('contractor-check', 'FY2033')).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('overdue-actions: each action is reminded once and marked overdue once, with its three tasks once', async () => {
    const data = auditData(stack);
    const mine = [
      await data.actionIn('open', 'dx-manager', 'citizens'),
      await data.actionIn('inProgress', 'dx-manager', 'citizens'),
      await data.actionIn('open', lead, 'resident-tax'),
    ];
    const due = (await stack.call('GET', `/actions/${mine[0]}`, { as: lead })).body.dueDate as string;
    const at = (days: number) => new Date(new Date(`${due}T00:20:00+09:00`).getTime() + days * 86_400_000).toISOString();
    const ofMine = async (kind: string) =>
      (await itemsOf('task')).filter((t) => t.kind === kind && mine.includes((t.subject as { id: string }).id));

    // 7 days before the due date: reminders.
    const reminded = await dieThenResume('overdue-actions', at(-7), 2);
    expect(reminded.outcome).toBe('completed');
    expect(countBy(await ofMine('actionReminder'), (t) => (t.subject as { id: string }).id)).toEqual([1, 1, 1]);

    // 3 days after it: the marking, with the 課's, the auditor's and the 総括保護管理者's tasks.
    const marked = await dieThenResume('overdue-actions', at(3), 2);
    expect(marked.outcome).toBe('completed');
    const tasks = await ofMine('actionOverdue');
    expect(tasks).toHaveLength(3 * mine.length);
    expect(countBy(tasks, (t) => `${(t.subject as { id: string }).id} ${JSON.stringify(t.assignee)}`).every((n) => n === 1)).toBe(true);
    for (const actionId of mine) {
      const trail = await stack.call('GET', `/audit-log?entityType=action&entityId=${actionId}&limit=100`, { as: lead });
      expect(trail.body.items.filter((e: { action: string }) => e.action === 'action.markedOverdue')).toHaveLength(1);
      expect(trail.body.items.filter((e: { action: string }) => e.action === 'action.reminded')).toHaveLength(1);
    }
  });
});

describe('what does nothing', () => {
  it('a duty the profile disables (003 has no periodic contractor check): no call, no record', async () => {
    const mark = calls.length;
    const koka: JobRuntime = { ...rt, deps: { ...rt.deps, profile: getProfile('003') } };
    const r = await runDuty(koka, { duty: 'contractor-check', instant: '2032-04-01T00:15:00+09:00' });
    expect(r).toMatchObject({ outcome: 'disabled', created: 0 });
    expect(calls.slice(mark)).toEqual([]);
    expect(await runRecord('contractor-check', 'FY2032')).toBeUndefined();
  });

  it.each([
    [
      { duty: 'weekly-cleanup', instant: '2031-04-01T00:05:00+09:00' },
      /duty: 定期業務は annual-plan、section-inspection、contractor-check、overdue-actions、incident-deadlines、training-followup、evidence-pending、audit-anchor のいずれかです/,
    ],
    [{ duty: 'annual-plan', instant: 'yesterday' }, /instant: 日時は ISO 8601 形式/],
    [{ duty: 'annual-plan' }, /instant/],
    ['annual-plan', /定期業務の起動内容が正しくありません/],
    [null, /定期業務の起動内容が正しくありません/],
  ])('a bad payload %j is refused in Japanese before any call', async (payload, message) => {
    const mark = calls.length;
    const err = await runDuty(rt, payload).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as Error).message).toMatch(message);
    expect(calls.slice(mark)).toEqual([]);
  });

  it('the Lambda handler refuses a bad payload the same way', async () => {
    const { handler } = await import('#functions/jobs/run-duty.js');
    await expect(handler({ duty: 'annual-plan', instant: '2031-13-01' }, lambdaContext('runDuty', 'test'))).rejects.toThrow(
      /定期業務の起動内容が正しくありません/,
    );
  });
});

describe('npm run job', () => {
  const job = (args: string[], env: Record<string, string> = {}) => {
    // As a user runs it: without the test run's log and events settings (vitest.config.ts).
    const { LOG_LEVEL: _l, POWERTOOLS_LOG_LEVEL: _p, POWERTOOLS_DEV: _d, LOCAL_EVENTS: _e, ...rest } = process.env;
    return promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/local/job-cli.ts', ...args], {
      env: { ...rest, DYNAMODB_ENDPOINT: stack.endpoint, TABLE_NAME: stack.tableName, ...env },
    });
  };

  it('prints the summary without the INFO log lines, unless LOG_LEVEL asks for them; twice leaves one drafting task', async () => {
    const first = await job(['annual-plan', '--at', '2046-04-01T00:00:00+09:00']);
    const lines = first.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('annual-plan (FY2046): 新規作成 1 件、作成済み 0 件、対象外 0 件。');
    expect(first.stdout + first.stderr).not.toMatch(/"level":"INFO"/);
    const second = await job(['annual-plan', '--at', '2046-04-01T00:00:00+09:00'], { LOG_LEVEL: 'INFO' });
    expect(second.stdout).toMatch(/"level":"INFO","message":"duty already done for this period"/);
    expect(second.stdout.trim().split('\n').at(-1)).toBe('annual-plan (FY2046): この期間は実施済みです（新規作成 0 件）。');
    expect(await tasksOf('draftPlan', 'FY2046')).toHaveLength(1);
  }, 60_000);
});
