import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { ensureTable } from '#lib/local/create-table.js';
import { demoUser } from '#lib/local/demo-users.js';
import { lambdaContext } from '#lib/local/gateway.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { indexesOf, keys, lists } from '#lib/store/keys.js';
import { planBody } from '#test/support/stack.js';
import type { BenchStack, Teardown } from './support/local-stack.js';
import type { BenchSection } from './support/section.js';
import { median, ms, ordersOfThree, percentile } from './support/stats.js';
import { type Handler, assertFreshProcess, benchSection, directEvent } from './warm.js';

/**
 * List scaling: one page of GET /plans?fiscalYear=…&limit=20 (the handler invoked
 * directly) with 1,000 plans in the table, then again after the table has grown to
 * 100,000 plans, most of them in the same 年度 (so the queried index partition is large
 * too). Sizes cannot be interleaved; at each size the handler and a raw Query of the
 * same page are interleaved, and the raw Query normalises the drift between the two.
 */

const samples = Math.max(30, Number(process.env.BENCH_LIST_SAMPLES ?? 100));
/** Warm-up before each size, in seconds of rounds; the first also warms DynamoDB Local's JVM on the query path. */
const warmupSeconds = [10, 3] as const;
const small = 1_000;
const large = Math.max(small, Number(process.env.BENCH_LIST_ITEMS ?? 100_000));
/** Of the growth, the share that goes to the queried 年度; the rest to four other years. */
const sameYearShare = 0.9;
const queriedYear = 2026;
const otherYears = [2024, 2025, 2027, 2028];
/** The load stops growing past this (then the larger size is what it reached, and says so). */
const loadBudgetMs = Number(process.env.BENCH_LIST_LOAD_BUDGET_S ?? 150) * 1000;
const inFlight = 8;
const region = 'ap-northeast-1';
const statuses = ['draft', 'submitted', 'approved', 'inProgress', 'reported', 'closed'] as const;
const user = 'policy-director';

interface Phase {
  /** Plans loaded in the table (besides the template plan and its event, in another year). */
  tableItems: number;
  /** Plans in the queried 年度's index partition. */
  partitionItems: number;
  handler: number[];
  raw: number[];
  /** The same Query on the control table, which keeps the small size throughout. */
  control: number[];
}

interface Load {
  items: number;
  ms: number;
  batches: number;
  retried: number;
}

const section = benchSection(import.meta.url, measure);
/** The section, measured in a process of its own (see benchSection). */
export const run = section.run;

async function measure(stack: BenchStack, teardown: Teardown, started: number): Promise<BenchSection> {
  const { handler } = (await import('#functions/http/plans.js')) as { handler: Handler };
  await assertFreshProcess();
  const doc = createDocumentClient({ region, endpoint: process.env.DYNAMODB_ENDPOINT });
  teardown.add(() => doc.destroy());
  const reader = demoUser(user);
  if (!reader) throw new Error(`no demo user ${user}`);

  // A real plan item (written by the API) in another year, as the template of every loaded one.
  const created = await fetch(`${stack.baseUrl}/plans`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await stack.token(user)}`, 'content-type': 'application/json' },
    body: JSON.stringify(planBody({ fiscalYear: 2030, schedule: { from: '2030-10-01', to: '2030-11-30' } })),
  });
  if (created.status !== 201) throw new Error(`POST /plans → ${created.status} ${await created.text()}`);
  const templateId = ((await created.json()) as { planId: string }).planId;
  const template = (await doc.send(new GetCommand({ TableName: stack.tableName, Key: keys.plan(templateId), ConsistentRead: true }))).Item;
  if (!template) throw new Error('template plan not found');

  const ulid = monotonicFactory();
  let made = 0;
  const planItem = (fiscalYear: number): Record<string, unknown> => {
    const planId = ulid();
    const status = statuses[made++ % statuses.length] as string;
    return {
      ...template,
      ...keys.plan(planId),
      ...indexesOf.plan({ planId, fiscalYear, status }),
      planId,
      fiscalYear,
      status,
      schedule: { from: `${fiscalYear}-10-01`, to: `${fiscalYear}-11-30` },
    };
  };

  const listEvent = () =>
    directEvent({
      method: 'GET',
      routePath: '/plans',
      path: '/plans',
      query: { fiscalYear: String(queriedYear), limit: '20' },
      user: reader,
    });
  const partition = lists.plansByFiscalYear(queriedYear);
  const viaHandler = async (): Promise<number> => {
    const event = listEvent();
    const context = lambdaContext('plans', event.requestContext.requestId);
    const t0 = performance.now();
    const res = await handler(event, context);
    const t = performance.now() - t0;
    const body = JSON.parse(res.body ?? '{}') as { items?: unknown[]; nextCursor?: string | null };
    if (res.statusCode !== 200 || body.items?.length !== 20 || !body.nextCursor)
      throw new Error(`list page → ${res.statusCode}, ${body.items?.length ?? 0} items`);
    return t;
  };
  const viaRaw = async (tableName: string): Promise<number> => {
    const t0 = performance.now();
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: partition.index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'gsi1pk' },
        ExpressionAttributeValues: { ':pk': partition.partition },
        Limit: 20,
        ScanIndexForward: false,
      }),
    );
    const t = performance.now() - t0;
    if (out.Items?.length !== 20) throw new Error(`raw Query returned ${out.Items?.length ?? 0} items`);
    return t;
  };
  const controlTable = `${stack.tableName}-control`;
  const sides = [
    (p: Phase) => viaHandler().then((t) => p.handler.push(t)),
    (p: Phase) => viaRaw(stack.tableName).then((t) => p.raw.push(t)),
    (p: Phase) => viaRaw(controlTable).then((t) => p.control.push(t)),
  ];
  const phase = async (tableItems: number, partitionItems: number, warmSeconds: number): Promise<Phase> => {
    const scratch: Phase = { tableItems, partitionItems, handler: [], raw: [], control: [] };
    const warmUntil = performance.now() + warmSeconds * 1000;
    while (performance.now() < warmUntil) for (const side of sides) await side(scratch);
    const p: Phase = { tableItems, partitionItems, handler: [], raw: [], control: [] };
    for (let i = 0; i < samples; i++)
      for (const k of ordersOfThree[i % ordersOfThree.length] as readonly number[]) await (sides[k] as (p: Phase) => Promise<unknown>)(p);
    return p;
  };

  // The control table: the same first 1,000 plans, never grown.
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? '', controlTable, region);
  const setupDone = performance.now();
  const firstLoad = await load(doc, [stack.tableName, controlTable], small, () => planItem(queriedYear), Number.POSITIVE_INFINITY);
  const atSmall = await phase(small, small, warmupSeconds[0]);

  // Grow: most of it in the queried year, the rest spread over other years.
  const growth = large - small;
  const sameYear = Math.round(growth * sameYearShare);
  const deadline = performance.now() + loadBudgetMs;
  let i = 0;
  const secondLoad = await load(
    doc,
    [stack.tableName],
    growth,
    () => planItem(i++ < sameYear ? queriedYear : (otherYears[i % otherYears.length] as number)),
    deadline,
  );
  const loadedSameYear = Math.min(secondLoad.items, sameYear);
  const atLarge = await phase(small + secondLoad.items, small + loadedSameYear, warmupSeconds[1]);

  return summarise(
    atSmall,
    atLarge,
    { first: firstLoad, second: secondLoad, wanted: large },
    { setupMs: setupDone - started, totalMs: performance.now() - started },
  );
}

/**
 * Puts `count` items made by `next` into each of `tables` with BatchWriteItem, 25 per
 * call and `inFlight` calls at a time, resending unprocessed items; stops early at
 * `deadline`. `items` counts the items of the first table.
 */
async function load(
  doc: DynamoDBDocumentClient,
  tables: string[],
  count: number,
  next: () => Record<string, unknown>,
  deadline: number,
): Promise<Load> {
  const t0 = performance.now();
  const stats: Load = { items: 0, ms: 0, batches: 0, retried: 0 };
  let remaining = count;
  const worker = async () => {
    while (remaining > 0 && performance.now() < deadline) {
      const n = Math.min(25, remaining);
      remaining -= n;
      const items = Array.from({ length: n }, () => next());
      for (const [t, tableName] of tables.entries()) {
        let requests = items.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
          stats.batches++;
          const unprocessed = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
          if (t === 0) stats.items += requests.length - unprocessed.length;
          stats.retried += unprocessed.length;
          requests = unprocessed;
          if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  stats.ms = performance.now() - t0;
  return stats;
}

function summarise(
  a: Phase,
  b: Phase,
  loads: { first: Load; second: Load; wanted: number },
  times: { setupMs: number; totalMs: number },
): BenchSection {
  const count = (n: number) => n.toLocaleString('en-US');
  const reached = b.tableItems;
  const full = reached >= loads.wanted;
  const label = full ? count(reached) : `${count(reached)} (fallback: the load budget stopped it short of ${count(loads.wanted)})`;
  const figures = (x: number[], y: number[]) =>
    `${ms(median(x))} ms vs ${ms(median(y))} ms (p95 ${ms(percentile(x, 95))} vs ${ms(percentile(y, 95))})`;
  const handlerRatio = median(b.handler) / median(a.handler);
  const drift = median(b.control) / median(a.control);
  // Per round, the handler against the control Query of the same round: drift within and between sizes cancels.
  const perRound = (p: Phase) => p.handler.map((h, i) => h / (p.control[i] as number));
  const normalised = median(perRound(b)) / median(perRound(a));
  const perSecond = (l: Load) => count(Math.round(l.items / (l.ms / 1000)));
  return {
    title: `List scaling: a page of GET /plans with ${label} plans in the table vs ${count(a.tableItems)}`,
    rows: [
      {
        name: `GET /plans?fiscalYear=${queriedYear}&limit=20 (handler), ${count(b.tableItems)} plans in the table, ${count(b.partitionItems)} in the year`,
        baseline: `the same page with ${count(a.tableItems)} plans in the table, all in the year (measured before the growth)`,
        ratio: handlerRatio,
        ratioP95: percentile(b.handler, 95) / percentile(a.handler, 95),
        detail: figures(b.handler, a.handler),
        goal: '≤ 1.2',
        met: handlerRatio <= 1.2,
      },
      {
        name: 'the same, drift-normalised: handler / control-table Query of the same round, after vs before',
        baseline: `the same per-round ratio at ${count(a.tableItems)}`,
        ratio: normalised,
        ratioP95: percentile(perRound(b), 95) / percentile(perRound(a), 95),
        detail: `per-round ratio median ${median(perRound(b)).toFixed(2)} vs ${median(perRound(a)).toFixed(2)}; control Query ${figures(b.control, a.control)}, drift ${drift.toFixed(2)}`,
        goal: '≤ 1.2',
        met: normalised <= 1.2,
      },
      {
        name: `raw Query of the page (gsi1, Limit 20, newest first) on the ${count(b.tableItems)}-plan table`,
        baseline: `the same Query on the ${count(a.tableItems)}-plan control table, interleaved`,
        ratio: median(b.raw) / median(b.control),
        ratioP95: percentile(b.raw, 95) / percentile(b.control, 95),
        detail: figures(b.raw, b.control),
      },
    ],
    notes: [
      `${samples} samples of each side at each size; at each size the handler, the raw Query on the same table and the raw Query on a control table (a second table on the same DynamoDB Local with the same first 1,000 plans, never grown) run in rotating order, after ${warmupSeconds[0]} s and ${warmupSeconds[1]} s of warm-up rounds. The sizes run one after the other (the table only grows), so the control table's Query, the same before and after, measures the drift between them; the last row compares the two tables interleaved.`,
      `Loaded with BatchWriteItem (25 items per call, ${inFlight} calls in flight) of plan items shaped like the one the API wrote (keys.plan + indexesOf.plan, statuses rotating): ${count(loads.first.items)} into each table in ${(loads.first.ms / 1000).toFixed(1)} s, then ${count(loads.second.items)} more in ${(loads.second.ms / 1000).toFixed(1)} s (${perSecond(loads.second)} items/s, ${count(loads.second.retried)} unprocessed and resent); ${Math.round(sameYearShare * 100)} % of the growth in FY${queriedYear}, the rest in FY${otherYears.join('/')}. Plus the template plan and its audit event in FY2030.`,
      `${full ? '' : `The load budget (${loadBudgetMs / 1000} s, BENCH_LIST_LOAD_BUDGET_S) stopped the growth at ${count(reached)} plans: the larger size is that, not ${count(loads.wanted)}. `}The page is a Query on the year's gsi1 partition with Limit 20, so DynamoDB reads 20 items whatever the table or partition size; the handler adds the same fixed costs at both sizes.`,
      `DynamoDB Local (in memory) and Node ${process.version} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, shared with other work. Setup ${(times.setupMs / 1000).toFixed(1)} s, whole section ${(times.totalMs / 1000).toFixed(1)} s.`,
    ],
  };
}

await section.main();
