import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type LoadOptions, type LoadReport, describeLoad, latencySummary, runLoad } from './support/load-driver.js';
import type { BenchStack, Teardown } from './support/local-stack.js';
import type { BenchSection } from './support/section.js';
import { ms } from './support/stats.js';
import { assertFreshProcess, benchSection } from './warm.js';

/**
 * Bounded load on loopback: several demo users drafting and editing plans (POST /plans,
 * PATCH /plans/{id} with If-Match) among reads of plans, the plan list and actions,
 * 10 connections for 60 s against the local stack (bench/support/load-driver.ts);
 * the baseline is the same sequence with every write replaced by a read, measured in
 * the same run just before and just after it. Held to: no 5xx, no lost write, the table's invariants.
 */

const seconds = Math.max(10, Number(process.env.BENCH_LOAD_SECONDS ?? 60));
/** Reads only, half before and half after the mixed run: drift (JIT warm-up of Node and DynamoDB Local's JVM) falls on both sides. */
const baselineSeconds = Math.max(4, Number(process.env.BENCH_LOAD_BASELINE_SECONDS ?? 20));
const connections = Math.min(10, Math.max(1, Number(process.env.BENCH_LOAD_CONNECTIONS ?? 10)));
/** Untimed, first. */
const warmupSeconds = 10;

const section = benchSection(import.meta.url, measure);

/** The section, measured in a process of its own (see benchSection in bench/warm.ts). */
export async function run(): Promise<BenchSection> {
  return section.run();
}

async function measure(stack: BenchStack, _teardown: Teardown, started: number): Promise<BenchSection> {
  await assertFreshProcess();
  // The stack points the handlers at its DynamoDB Local through the environment.
  const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT;
  if (!dynamoEndpoint) throw new Error('the bench stack set no DYNAMODB_ENDPOINT');
  const target = { baseUrl: stack.baseUrl, tableName: stack.tableName, dynamoEndpoint, token: stack.token };
  const phase = async (mix: LoadOptions['mix'], s: number) => {
    const r = await runLoad(target, { seconds: s, connections, mix });
    console.error(describeLoad(r));
    return r;
  };
  const warm = await phase('mixed', warmupSeconds);
  const measuredFrom = performance.now();
  const before = await phase('reads', baselineSeconds / 2);
  const mixed = await phase('mixed', seconds);
  const after = await phase('reads', baselineSeconds / 2);
  return report(mixed, [before, after], warm, { setup: (measuredFrom - started) / 1000, total: (performance.now() - started) / 1000 });
}

function report(m: LoadReport, reads: LoadReport[], warm: LoadReport, time: { setup: number; total: number }): BenchSection {
  const all = [m, ...reads, warm];
  const b = latencySummary(reads.flatMap((r) => r.latenciesMs));
  const bRequests = reads.reduce((n, r) => n + r.requests, 0);
  const bRate = bRequests / reads.reduce((n, r) => n + r.seconds, 0);
  const acked = m.acknowledged.created + m.acknowledged.updated;
  const lost = [...warm.lostWrites, ...m.lostWrites];
  const serverErrors = all.reduce((n, r) => n + r.serverErrors, 0);
  const responses = all.reduce((n, r) => n + r.requests, 0);
  /** The last run's check covers the whole table, every run's data. */
  const last = reads.at(-1) ?? m;
  const steps = Object.entries(m.bySteps)
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([step, n]) => `${step} ×${n}`)
    .join(', ');
  return {
    title: `Load: mixed reads and writes, ${connections} connections, ${seconds} s on loopback`,
    rows: [
      {
        name: 'p50 latency, mixed',
        baseline: `p50, reads only (${baselineSeconds / 2} s before and after)`,
        ratio: m.latencyMs.p50 / b.p50,
        detail: `${ms(m.latencyMs.p50)} ms vs ${ms(b.p50)} ms`,
      },
      {
        name: 'p99 latency, mixed',
        baseline: 'p99, reads only',
        ratio: m.latencyMs.p99 / b.p99,
        detail: `${ms(m.latencyMs.p99)} ms vs ${ms(b.p99)} ms (max ${ms(m.latencyMs.max)} vs ${ms(b.max)})`,
      },
      {
        name: 'requests/s, mixed',
        baseline: 'requests/s, reads only',
        ratio: m.requestsPerSecond / bRate,
        detail: `${m.requestsPerSecond.toFixed(1)} vs ${bRate.toFixed(1)} (${m.requests} and ${bRequests} responses)`,
      },
      {
        name: '5xx responses, every run',
        baseline: 'all responses',
        ratio: serverErrors / responses,
        detail: `${serverErrors} of ${responses}; socket errors ${all.reduce((n, r) => n + r.errors, 0)}, timeouts ${all.reduce((n, r) => n + r.timeouts, 0)}`,
        goal: '0',
        met: serverErrors === 0,
      },
      {
        name: 'lost writes (2xx change missing from the table or its trail)',
        baseline: 'acknowledged writes',
        ratio: acked === 0 ? 0 : lost.length / acked,
        detail: `${lost.length} of ${acked} (${m.acknowledged.created} plans created, ${m.acknowledged.updated} edits); ${m.unacknowledged} landed unacknowledged (cut off at the end)`,
        goal: '0',
        met: acked > 0 && lost.length === 0,
      },
      {
        name: 'table invariants after the run',
        baseline: 'items scanned',
        ratio: last.violations.length / last.items,
        detail: `${last.violations.length} violations over ${last.items} items${last.violations.length > 0 ? `: ${last.violations.slice(0, 3).join('; ')}` : ''}; stale reads of one's own edit ${m.staleReads}`,
        goal: '0',
        met: all.every((r) => r.violations.length === 0) && m.staleReads === 0,
      },
    ],
    notes: [
      `autocannon (programmatic API) in the same process as the local gateway and the handlers, over 127.0.0.1, ${connections} connections, each cycling: POST /plans (監査責任者), GET its plan, GET /plans?fiscalYear=2026, PATCH it with If-Match, GET /actions (a 課長, a 担当者, 総括保護管理者, 監査責任者 in turn), GET a shared plan, PATCH again, GET its plan; readers rotate among 総括保護管理者, both 監査補助者 and 監査責任者. Baseline: the same sequence with the writes replaced by reads, ${baselineSeconds / 2} s before and ${baselineSeconds / 2} s after the mixed run, after a ${warmupSeconds} s mixed warm-up (untimed; successive runs get faster as Node and DynamoDB Local's JVM warm up).`,
      `Responses by step (mixed): ${steps}.`,
      "Latency of every response, from request written to response complete (autocannon's timing), nearest-rank percentiles; the client shares the event loop and the CPU with the gateway, the handlers, DynamoDB Local (Java) and whatever else runs on the machine, so absolute figures are an upper bound; the ratios compare runs under the same conditions.",
      `After each run (once the table has stopped changing) the whole table is scanned: every acknowledged change must be there at its version with its audit event carrying the value the client wrote, and the invariants of test/support/invariants.ts must hold. Node ${process.version} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}; setup and warm-up ${time.setup.toFixed(1)} s, total ${time.total.toFixed(1)} s.`,
    ],
  };
}

await section.main();
