import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { keys } from '#lib/store/keys.js';
import { type Item, invariantViolations, scanTable } from '#test/support/invariants.js';
import { planBody } from '#test/support/stack.js';
import { ms, percentile } from './stats.js';

/**
 * A bounded load of several demo users on a running kansa (the local stack, over
 * loopback): autocannon's programmatic API, at most 10 connections, for a fixed time.
 * Each connection cycles through a sequence of reads and writes: the 監査責任者 drafts
 * a plan (POST /plans) and edits it twice (PATCH with If-Match), while the
 * 総括保護管理者, the auditors and the 課 read plans, the plan list and actions.
 * Every 2xx change is recorded (plan, version, a marker written into `purpose`), and
 * afterwards each must be in the table with its audit event (no lost write), and the
 * table's invariants must hold (test/support/invariants.ts).
 */

export interface LoadTarget {
  baseUrl: string;
  tableName: string;
  /** DynamoDB endpoint of the table, for the check afterwards. */
  dynamoEndpoint: string;
  token(user: string): Promise<string>;
}

export interface LoadOptions {
  seconds: number;
  /** Concurrent connections, 1..10. */
  connections: number;
  /** `mixed`: reads and writes; `reads`: the same sequence with every write replaced by a read. */
  mix: 'mixed' | 'reads';
}

export interface LoadReport {
  mix: LoadOptions['mix'];
  seconds: number;
  connections: number;
  /** Responses received. */
  requests: number;
  requestsPerSecond: number;
  /** Of every response, from the request written to the response complete (autocannon's timing). */
  latenciesMs: number[];
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statuses: Record<string, number>;
  /** Responses by sequence step, e.g. `PATCH /plans/{id} 200`. */
  bySteps: Record<string, number>;
  serverErrors: number;
  /** Socket errors and client timeouts. */
  errors: number;
  timeouts: number;
  /** Changes answered 2xx: plans created, plans updated. */
  acknowledged: { created: number; updated: number };
  /** Acknowledged changes missing from the table or the trail (goal: none). */
  lostWrites: string[];
  /** Changes that landed without a 2xx reaching the client (cut off when the run ended). */
  unacknowledged: number;
  /** A GET /plans/{id} right after the client's own 2xx PATCH that showed an older version. */
  staleReads: number;
  /** Broken table invariants after the run (goal: none). */
  violations: string[];
  /** Items scanned for the check. */
  items: number;
}

/** Who reads what: plan readers (API.md) and action readers of their own 課. */
const writer = 'policy-director';
const planReaders = ['vice-mayor', 'dx-manager', 'pr-manager', 'policy-director'];
const actionReaders = ['citizens-manager', 'tax-staff', 'vice-mayor', 'policy-director'];

/** autocannon ships no types: the part of its API used here. */
interface CannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: CannonRequest, context: Context) => CannonRequest;
  onResponse?: (status: number, body: string, context: Context, headers: Record<string, string | string[]>) => void;
}
interface CannonResult {
  requests: { total: number };
  statusCodeStats: Record<string, { count: number }>;
  '5xx': number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: CannonRequest[];
}) => PromiseLike<CannonResult> & {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
};
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** One connection's state within a pass through the sequence (autocannon clears it each pass). */
interface Context {
  planId?: string;
  version?: number;
}

interface Acknowledged {
  planId: string;
  version: number;
  marker: string;
}

async function api(target: LoadTarget, method: string, path: string, as: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${target.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${await target.token(as)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`seed: ${method} ${path} as ${as} → ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Plans to read and a plan in progress with a finding and two actions, so GET /actions has rows. */
async function seed(target: LoadTarget): Promise<string[]> {
  const shared: string[] = [];
  for (let i = 0; i < 4; i++)
    shared.push((await api(target, 'POST', '/plans', writer, planBody({ purpose: `負荷試験の閲覧用計画 ${i + 1}` }))).planId as string);
  const host = shared[0] as string;
  await api(target, 'POST', `/plans/${host}/submit`, writer);
  await api(target, 'POST', `/plans/${host}/approve`, 'vice-mayor');
  await api(target, 'POST', `/plans/${host}/start`, writer);
  const finding = await api(target, 'POST', `/plans/${host}/findings`, writer, {
    department: 'citizens',
    article: '第12条',
    rating: 'minor',
    title: '保有個人情報の持出し記録',
    observation: '持出し記録に記載漏れがあった。',
  });
  const due = `${new Date().getUTCFullYear() + 1}-03-31`;
  for (const description of ['手順書を改訂する', '職員研修を行う']) {
    await api(target, 'POST', `/findings/${finding.findingId as string}/actions`, writer, { description, dueDate: due });
  }
  return shared;
}

const parse = (body: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

/** Runs the load, waits for the server to finish what it was sent, and checks the table. */
export async function runLoad(target: LoadTarget, opts: LoadOptions): Promise<LoadReport> {
  if (opts.connections < 1 || opts.connections > 10) throw new Error('connections must be 1..10');
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+(\/[\w-]+)*$/.test(target.baseUrl))
    throw new Error(`load only on loopback, not ${target.baseUrl}`);
  const shared = await seed(target);
  const auth = async (user: string) => ({ authorization: `Bearer ${await target.token(user)}` });
  const writerAuth = { ...(await auth(writer)), 'content-type': 'application/json' };
  const readers = await Promise.all(planReaders.map(auth));
  const listers = await Promise.all(actionReaders.map(auth));

  const run = randomUUID().slice(0, 8);
  let written = 0;
  const marker = () => `負荷試験 ${run} #${++written}`;
  let turn = 0;
  const pick = <T>(xs: readonly T[]): T => xs[turn++ % xs.length] as T;
  const acknowledged: Acknowledged[] = [];
  let created = 0;
  let staleReads = 0;
  const bySteps: Record<string, number> = {};
  const count = (step: string, status: number) => {
    const k = `${step} ${status}`;
    bySteps[k] = (bySteps[k] ?? 0) + 1;
  };

  const read = (step: string, path: (c: Context) => string, headers: () => Record<string, string>): CannonRequest => ({
    method: 'GET',
    path: '/plans',
    setupRequest: (req, c) => ({ ...req, method: 'GET', path: path(c), headers: headers(), body: '' }),
    onResponse: (status) => count(step, status),
  });
  const sharedPlan = (): string => `/plans/${pick(shared)}`;
  const readPlan = read(
    'GET /plans/{id}',
    () => sharedPlan(),
    () => pick(readers),
  );
  const listPlans = read(
    'GET /plans',
    () => '/plans?fiscalYear=2026&limit=20',
    () => pick(readers),
  );
  const listActions = read(
    'GET /actions',
    () => '/actions?limit=20',
    () => pick(listers),
  );

  const createPlan: CannonRequest = {
    method: 'POST',
    path: '/plans',
    // Each create is its own intent, as the app sends it: a new Idempotency-Key, claimed with the plan.
    setupRequest: (req) => ({
      ...req,
      method: 'POST',
      path: '/plans',
      headers: { ...writerAuth, 'idempotency-key': randomUUID() },
      body: JSON.stringify(planBody({ purpose: marker() })),
    }),
    onResponse: (status, body, c) => {
      count('POST /plans', status);
      const plan = status === 201 ? parse(body) : undefined;
      if (!plan) return;
      created += 1;
      c.planId = plan.planId as string;
      c.version = plan.version as number;
      acknowledged.push({ planId: c.planId, version: c.version, marker: plan.purpose as string });
    },
  };
  /** PATCH the connection's own plan at the version it last saw; without one (its POST failed), a read. */
  const updatePlan: CannonRequest = {
    method: 'PATCH',
    path: '/plans',
    setupRequest: (req, c) =>
      c.planId === undefined
        ? { ...req, method: 'GET', path: sharedPlan(), headers: pick(readers), body: '' }
        : {
            ...req,
            method: 'PATCH',
            path: `/plans/${c.planId}`,
            headers: { ...writerAuth, 'if-match': `"${c.version}"` },
            body: JSON.stringify({ purpose: marker() }),
          },
    onResponse: (status, body, c) => {
      if (c.planId === undefined) return count('GET /plans/{id}', status);
      count('PATCH /plans/{id}', status);
      const plan = status === 200 ? parse(body) : undefined;
      if (!plan) return;
      c.version = plan.version as number;
      acknowledged.push({ planId: c.planId, version: c.version, marker: plan.purpose as string });
    },
  };
  /** The connection's own plan right after its edit: GetItem is strongly consistent, so the edit shows. */
  const readOwn: CannonRequest = {
    method: 'GET',
    path: '/plans',
    setupRequest: (req, c) => ({
      ...req,
      method: 'GET',
      path: c.planId === undefined ? sharedPlan() : `/plans/${c.planId}`,
      headers: pick(readers),
      body: '',
    }),
    onResponse: (status, body, c) => {
      count('GET /plans/{id}', status);
      if (c.planId !== undefined && status === 200 && (parse(body)?.version as number) < (c.version ?? 0)) staleReads += 1;
    },
  };

  const requests =
    opts.mix === 'mixed'
      ? [createPlan, readOwn, listPlans, updatePlan, listActions, readPlan, updatePlan, readOwn]
      : [readPlan, readPlan, listPlans, readPlan, listActions, readPlan, readPlan, readPlan];

  const started = performance.now();
  const latencies: number[] = [];
  // autocannon sends each request's path as given: put the API's base path (`/api`) before it.
  const { origin, pathname } = new URL(target.baseUrl);
  const under = pathname.replace(/\/+$/, '');
  const atBase = (r: CannonRequest): CannonRequest => {
    const setup = r.setupRequest;
    return {
      ...r,
      path: `${under}${r.path}`,
      ...(setup
        ? {
            setupRequest: (req: CannonRequest, c: Context) => {
              const next = setup(req, c);
              return { ...next, path: `${under}${next.path}` };
            },
          }
        : {}),
    };
  };
  const cannon = autocannon({
    url: origin,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 10,
    requests: requests.map(atBase),
  });
  cannon.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await cannon;
  const elapsed = (performance.now() - started) / 1000;

  const doc = createDocumentClient({ region: 'ap-northeast-1', endpoint: target.dynamoEndpoint });
  try {
    await quiet(doc, target.tableName);
    const items = await scanTable(doc, target.tableName);
    const { lost, unacknowledged } = checkWrites(items, acknowledged, run);
    const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
    return {
      mix: opts.mix,
      seconds: elapsed,
      connections: opts.connections,
      requests: result.requests.total,
      requestsPerSecond: result.requests.total / elapsed,
      latenciesMs: latencies,
      latencyMs: latencySummary(latencies),
      statuses,
      bySteps,
      serverErrors: result['5xx'],
      errors: result.errors,
      timeouts: result.timeouts,
      acknowledged: { created, updated: acknowledged.length - created },
      lostWrites: lost,
      unacknowledged,
      staleReads,
      violations: invariantViolations(items),
      items: items.length,
    };
  } finally {
    doc.destroy();
  }
}

/**
 * autocannon drops its connections when the time is up; requests already sent still
 * run to the end in the server. Wait until the table stops growing (≤ 10 s).
 */
async function quiet(doc: ReturnType<typeof createDocumentClient>, tableName: string): Promise<void> {
  const countItems = async () => {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new ScanCommand({ TableName: tableName, Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      total += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return total;
  };
  let last = -1;
  for (const until = Date.now() + 10_000; Date.now() < until;) {
    const now = await countItems();
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Every acknowledged change must be in the table: the plan at that version or later,
 * and in its trail the event of that version carrying the marker the client wrote.
 * Changes of this run's plans past the last acknowledged version, and plans of this
 * run never acknowledged, landed without their 2xx reaching the client.
 */
function checkWrites(
  items: readonly Item[],
  acknowledged: readonly Acknowledged[],
  run: string,
): { lost: string[]; unacknowledged: number } {
  const plans = new Map<string, Item>();
  const events = new Map<string, Item[]>();
  for (const i of items) {
    if (i.type === 'plan') plans.set(String(i.planId), i);
    else if (i.type === 'auditEvent' && i.entityType === 'plan')
      events.set(String(i.entityId), [...(events.get(String(i.entityId)) ?? []), i]);
  }
  const lost: string[] = [];
  const latest = new Map<string, number>();
  for (const w of acknowledged) {
    latest.set(w.planId, Math.max(latest.get(w.planId) ?? 0, w.version));
    const plan = plans.get(w.planId);
    const event = (events.get(w.planId) ?? []).find((e) => e.version === w.version && e.action !== 'evidence.downloaded');
    const written = (event?.after as Record<string, unknown> | undefined)?.purpose;
    if (!plan) lost.push(`${keys.plan(w.planId).pk}: acknowledged version ${w.version}, no such plan`);
    else if ((plan.version as number) < w.version)
      lost.push(`${keys.plan(w.planId).pk}: acknowledged version ${w.version}, the table has ${String(plan.version)}`);
    if (!event) lost.push(`${keys.plan(w.planId).pk}: acknowledged version ${w.version} has no audit event`);
    else if (written !== w.marker)
      lost.push(`${keys.plan(w.planId).pk}: the event of version ${w.version} wrote ${String(written)}, the client was told ${w.marker}`);
  }
  let unacknowledged = 0;
  for (const [planId, plan] of plans) {
    if (!String(plan.purpose).startsWith(`負荷試験 ${run} `)) continue;
    unacknowledged += (plan.version as number) - (latest.get(planId) ?? 0);
  }
  return { lost, unacknowledged };
}

/** p50, p90, p99 (nearest rank) and the largest, in ms. */
export function latencySummary(ms: readonly number[]): LoadReport['latencyMs'] {
  if (ms.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN };
  return { p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), max: ms.reduce((a, b) => Math.max(a, b), 0) };
}

/** One line for a log: figures of a report. */
export function describeLoad(r: LoadReport): string {
  const statuses = Object.entries(r.statuses)
    .map(([s, c]) => `${s}×${c}`)
    .join(' ');
  return (
    `${r.mix} load, ${r.connections} connections, ${r.seconds.toFixed(1)} s: ${r.requests} responses (${statuses}), ` +
    `${r.requestsPerSecond.toFixed(0)} req/s, p50 ${ms(r.latencyMs.p50)} ms, p99 ${ms(r.latencyMs.p99)} ms (max ${ms(r.latencyMs.max)}); ` +
    `5xx ${r.serverErrors}, errors ${r.errors}, timeouts ${r.timeouts}; acknowledged writes ${r.acknowledged.created} created + ${r.acknowledged.updated} updated, ` +
    `lost ${r.lostWrites.length}, landed unacknowledged ${r.unacknowledged}, stale reads ${r.staleReads}; invariant violations ${r.violations.length} over ${r.items} items`
  );
}
