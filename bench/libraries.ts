import { spawn } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { childEnv, runnerSource, type Sample, sample } from './cold-init.js';
import { type Bundle, assertCdkBundlingUnchanged, bundleSource, cdkTarget, repoRoot } from './support/bundle.js';
import { invalidSamples, validSamples } from './support/schema-samples.js';
import { type BenchRow, type BenchSection, renderSection } from './support/section.js';
import { inScratchDir } from './support/scratch.js';
import { bytes, median, ms, percentile } from './support/stats.js';

/**
 * What the libraries cost at cold start: zod classic against `zod/mini` for kansa's
 * request schemas, and Powertools logger + metrics against the least that writes the
 * same lines, each bundled as CDK bundles a function and imported in a fresh Node,
 * interleaved in one run with an empty module as the baseline.
 */

const rounds = Math.max(30, Number(process.env.BENCH_ROUNDS ?? 30) || 30);

/** Parses one valid input with each schema at import, so the import includes a first parse. */
const parseAll = `
import { validSamples } from './bench/support/schema-samples.js';
export const parsed = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, schema.parse(validSamples[name])]));
`;

/** The real schemas (zod/mini) through lib/domain/zod.ts; GET /actions's query and params as lib/http/routes/actions.ts writes them. */
const realDomain = `import { createPlanSchema, updatePlanSchema } from '#lib/domain/plan.js';
import { createFindingSchema } from '#lib/domain/finding.js';
import { createActionSchema } from '#lib/domain/action.js';
import { createEvidenceSchema } from '#lib/domain/evidence.js';
import { actionRoutes } from '#lib/http/routes/actions.js';
export const schemas = {
  createPlan: createPlanSchema,
  updatePlan: updatePlanSchema,
  createFinding: createFindingSchema,
  createAction: createActionSchema,
  createEvidence: createEvidenceSchema,
  listActionsQuery: actionRoutes.listActions.query,
  getActionParams: actionRoutes.getAction.params,
};
${parseAll}`;

const miniFixture = `export { schemas } from './bench/support/zod-mini-schemas.js';
import { schemas } from './bench/support/zod-mini-schemas.js';
${parseAll}`;

/** The mini fixture built against zod classic: its `import * as z from 'zod/mini'` becomes `'zod'`, nothing else changes. */
async function classicFixture(): Promise<string> {
  const ts = readFileSync(join(repoRoot, 'bench/support/zod-mini-schemas.ts'), 'utf8');
  const { code } = await transform(ts, { loader: 'ts', format: 'esm' });
  const swapped = code.replace(/from "zod\/mini";/g, 'from "zod";');
  if (swapped === code || /zod\/mini/.test(swapped))
    throw new Error('bench/support/zod-mini-schemas.ts: its zod/mini import was not found once');
  return `${swapped}\n${parseAll}`;
}

/** A handler wrapped as lib/http/stack.ts wraps it, logging a line (and an error line) and adding a metric. */
const telemetryHandler = (use: string, addMetric: string) => `export const handler = middy()
${use}
  .handler(async (event) => {
    ${addMetric};
    logger.info('request', { route: 'getPlan' });
    if (event.fail) logger.error('request failed', { error: new Error('boom') });
    return { statusCode: 200 };
  });`;

const middyAlone = `import middy from '@middy/core';
export const handler = middy().handler(async () => ({ statusCode: 200 }));
`;

/** Powertools logger and metrics as lib/logger.ts and lib/metrics.ts made them before kansa wrote its own, wrapped as lib/http/stack.ts wrapped them. */
const powertools = `import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
const atPath = (path, data) => path.split('.').reduce((value, key) => value?.[key], data);
const logger = new Logger({ serviceName: process.env.SERVICE_NAME ?? 'kansa', correlationIdSearchFn: atPath });
const metrics = new Metrics({ namespace: 'kansa', serviceName: process.env.SERVICE_NAME ?? 'kansa', logger });
${telemetryHandler(
  "  .use(injectLambdaContext(logger, { resetKeys: true, correlationIdPath: 'requestContext.requestId' }))\n  .use(logMetrics(metrics))",
  "metrics.addMetric('Requests', MetricUnit.Count, 1)",
)}
`;

/** kansa's own logger and EMF writer, as lib/http/stack.ts uses them. */
const light = `import middy from '@middy/core';
import { injectLambdaContext, logger } from '#lib/logger.js';
import { MetricUnit, logMetrics, metrics } from '#lib/metrics.js';
${telemetryHandler(
  "  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId' }))\n  .use(logMetrics(metrics))",
  "metrics.addMetric('Requests', MetricUnit.Count, 1)",
)}
`;

interface Subject {
  key: string;
  label: string;
  source: () => Promise<string> | string;
  /** The subject it is measured against (its row's baseline); none for the empty module. */
  against?: string;
  bundle?: Bundle;
  samples: Sample[];
}

const subjects: Subject[] = [
  { key: 'empty', label: 'empty module', source: () => 'export {};\n', samples: [] },
  {
    key: 'real',
    label: 'kansa: the real schemas (lib/domain on zod/mini through lib/domain/zod.ts, ja locale)',
    source: () => realDomain,
    against: 'empty',
    samples: [],
  },
  {
    key: 'classicFixture',
    label: 'zod classic: the same schemas from the mini fixture (no other domain code)',
    source: classicFixture,
    against: 'empty',
    samples: [],
  },
  {
    key: 'mini',
    label: 'zod/mini: the same schemas (bench/support/zod-mini-schemas.ts, ja locale)',
    source: () => miniFixture,
    against: 'classicFixture',
    samples: [],
  },
  { key: 'middy', label: '@middy/core alone (a no-op handler)', source: () => middyAlone, against: 'empty', samples: [] },
  {
    key: 'light',
    label: "middy + kansa's logger and EMF writer (lib/logger.ts, lib/metrics.ts, their middlewares)",
    source: () => light,
    against: 'middy',
    samples: [],
  },
  {
    key: 'powertools',
    label: 'middy + Powertools logger + metrics (configured as kansa had them, their middlewares)',
    source: () => powertools,
    against: 'light',
    samples: [],
  },
];
const byKey = (key: string) => subjects.find((s) => s.key === key) as Subject;

/**
 * The bundled schemas answer alike: the same output for each valid input and the same
 * issues (codes, paths, Japanese messages) for each invalid one.
 */
async function checkSchemasAgree(files: Record<string, string>): Promise<string> {
  type Mod = { schemas: Record<string, { safeParse(x: unknown): { success: boolean; data?: unknown; error?: { issues: unknown[] } } }> };
  const mods = Object.fromEntries(
    await Promise.all(Object.entries(files).map(async ([k, f]) => [k, (await import(pathToFileURL(f).href)) as Mod] as const)),
  );
  const [first, ...rest] = Object.keys(mods) as [string, ...string[]];
  let issues = 0;
  for (const name of Object.keys(validSamples)) {
    const answers = Object.fromEntries(
      Object.entries(mods).map(([k, m]) => {
        const schema = m.schemas[name];
        if (!schema) throw new Error(`libraries: ${k} has no schema ${name}`);
        const ok = schema.safeParse(validSamples[name]);
        const bad = schema.safeParse(invalidSamples[name]);
        if (!ok.success) throw new Error(`libraries: ${k} ${name} rejects its valid sample: ${JSON.stringify(ok.error?.issues)}`);
        if (bad.success) throw new Error(`libraries: ${k} ${name} accepts its invalid sample`);
        return [k, { data: ok.data, issues: bad.error?.issues ?? [] }];
      }),
    );
    const base = answers[first] as { data: unknown; issues: { message: string }[] };
    for (const k of rest) {
      const other = answers[k] as { data: unknown; issues: unknown[] };
      if (!isDeepStrictEqual(other.data, base.data))
        throw new Error(`libraries: ${name}: ${k} parses to ${JSON.stringify(other.data)}, ${first} to ${JSON.stringify(base.data)}`);
      if (!isDeepStrictEqual(other.issues, base.issues)) {
        throw new Error(`libraries: ${name}: ${k} answers ${JSON.stringify(other.issues)}, ${first} ${JSON.stringify(base.issues)}`);
      }
    }
    const english = base.issues.filter((i) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(i.message));
    if (english.length > 0) throw new Error(`libraries: ${name}: messages not in Japanese: ${JSON.stringify(english)}`);
    issues += base.issues.length;
  }
  return `${Object.keys(validSamples).length} schemas, ${issues} issues on their invalid samples`;
}

/** What one handler bundle writes over two invocations (Lambda context, correlation id, an error line), as JSON lines. */
const invokeSource = `import { pathToFileURL } from 'node:url';
const { handler } = await import(pathToFileURL(process.argv[2]).href);
const context = { functionName: 'kansa-plans', functionVersion: '$LATEST', memoryLimitInMB: '1024', awsRequestId: 'request-1',
  invokedFunctionArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:kansa-plans', getRemainingTimeInMillis: () => 3000 };
await handler({ requestContext: { requestId: 'correlation-1' }, fail: true }, context);
await handler({ requestContext: { requestId: 'correlation-2' } }, { ...context, awsRequestId: 'request-2' });
`;

function invoke(runner: string, file: string): Promise<{ stdout: unknown[]; stderr: unknown[] }> {
  return new Promise((resolve, reject) => {
    const env = {
      ...childEnv('plans'),
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      _X_AMZN_TRACE_ID: 'Root=1-6789abcd-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1',
    };
    const child = spawn(process.execPath, [runner, file], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${file}: exit ${code}: ${err}`));
      // Times and stacks differ by nature; everything else must be the same.
      const normal = (text: string) =>
        text
          .split('\n')
          .filter((l) => l !== '')
          .map(
            (l) =>
              JSON.parse(l, (k, v: unknown) =>
                k === 'timestamp' || k === 'Timestamp' || k === 'stack' || k === 'location' ? typeof v : v,
              ) as unknown,
          );
      resolve({ stdout: normal(out), stderr: normal(err) });
    });
  });
}

export async function run(): Promise<BenchSection> {
  assertCdkBundlingUnchanged();
  const started = performance.now();
  return inScratchDir('kansa-libraries-', async (dir, stopped) => {
    const node = process.execPath;
    const runner = join(dir, 'runner.mjs');
    writeFileSync(runner, runnerSource);
    const invoker = join(dir, 'invoke.mjs');
    writeFileSync(invoker, invokeSource);
    const env = childEnv('plans');

    const build = async (s: Subject, target: string) =>
      (s.bundle = await bundleSource(await s.source(), `${s.key}.js`, join(dir, target, s.key), target));
    await Promise.all(subjects.map((s) => build(s, cdkTarget)));
    let fellBack = false;
    // One untimed import of each: warms the file cache and checks the bundle imports here.
    for (const s of subjects) {
      try {
        await sample(node, runner, (s.bundle as Bundle).file, env);
      } catch (err) {
        if (!/SyntaxError/.test(String(err))) throw err;
        fellBack = true;
        await sample(node, runner, (await build(s, 'node20')).file, env);
      }
    }
    const file = (key: string) => (byKey(key).bundle as Bundle).file;
    const agreed = await checkSchemasAgree({ real: file('real'), classicFixture: file('classicFixture'), mini: file('mini') });
    const [pt, lt] = await Promise.all([invoke(invoker, file('powertools')), invoke(invoker, file('light'))]);
    // Compared as text: the same keys in the same order, not only the same values.
    if (JSON.stringify(pt) !== JSON.stringify(lt)) {
      throw new Error(
        `libraries: lib/logger.ts and lib/metrics.ts write other lines than Powertools:\n${JSON.stringify(pt)}\n${JSON.stringify(lt)}`,
      );
    }
    const buildSeconds = (performance.now() - started) / 1000;

    const load = [loadavg()[0] as number];
    for (let round = 0; round < rounds; round++) {
      for (const s of round % 2 === 0 ? subjects : [...subjects].reverse()) {
        s.samples.push(await sample(node, runner, (s.bundle as Bundle).file, env));
        if (stopped()) throw new Error(`libraries: stopped by ${stopped()}`);
      }
    }
    load.push(loadavg()[0] as number);
    const measureSeconds = (performance.now() - started) / 1000 - buildSeconds;

    const empty = byKey('empty');
    const med = (s: Subject, k: keyof Sample) => median(s.samples.map((x) => x[k]));
    const p95 = (s: Subject, k: keyof Sample) =>
      percentile(
        s.samples.map((x) => x[k]),
        95,
      );
    const signed = (x: number, unit: string, f: (n: number) => string) => `${x < 0 ? '−' : '+'}${f(Math.abs(x))}${unit}`;
    const topPackages = (b: Bundle) =>
      [...b.byPackage]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 4)
        .map(([p, n]) => `${p} ${bytes(n)}`)
        .join(', ');
    const rows: BenchRow[] = [];
    for (const s of subjects) {
      const base = s.against ? byKey(s.against) : undefined;
      const b = s.bundle as Bundle;
      const vsEmpty = `import ${signed(med(s, 'importMs') - med(empty, 'importMs'), ' ms', ms)} over the empty module`;
      rows.push({
        name: s.label,
        baseline: base ? base.label : '—',
        ratio: base ? med(s, 'processMs') / med(base, 'processMs') : 1,
        ...(base ? { ratioP95: p95(s, 'processMs') / p95(base, 'processMs') } : {}),
        detail:
          `${bytes(b.bytes)} B${base ? ` (${signed(b.bytes - (base.bundle as Bundle).bytes, ' B', bytes)})` : ''}${b.bytes > 100 ? `: ${topPackages(b)}` : ''}; ` +
          `import ${ms(med(s, 'importMs'))} ms (p95 ${ms(p95(s, 'importMs'))})${base ? `, ${signed(med(s, 'importMs') - med(base, 'importMs'), ' ms', ms)} (p95 ${signed(p95(s, 'importMs') - p95(base, 'importMs'), ' ms', ms)})` : ''}` +
          `${s.against && s.against !== 'empty' ? `, ${vsEmpty}` : ''}; ` +
          `process ${ms(med(s, 'processMs'))} ms (p95 ${ms(p95(s, 'processMs'))})`,
      });
    }
    const notes = [
      `Method: each subject is an ES module bundled with AppFunction's esbuild options (bench/support/bundle.ts, target ${fellBack ? 'node20 (the node24 build did not parse here)' : cdkTarget}), imported by a fresh \`node --enable-source-maps runner.mjs <bundle>\` (the runner of bench/cold-init.ts) with the functions' environment; ${rounds} samples each after one untimed import, one child at a time, every round all subjects in turn, every other round backwards. Figures: bundle bytes (largest packages by esbuild's metafile) and their difference from the row's baseline; \`await import()\` as the child times it, median and p95 (nearest rank), and the difference; process = spawn → exit as this process sees it (Node's startup + import), whose medians and p95s make the ratio columns.`,
      `Schemas: POST /plans, PATCH /plans/{planId}, POST …/findings, POST …/actions, POST /evidence bodies, GET /actions query and GET /actions/{actionId} params; each module parses one valid input per schema at import. The kansa row imports the real schemas, now on zod/mini (their modules build every other schema in them at import too); the fixture rows build the same schemas from one source, bench/support/zod-mini-schemas.ts, once with \`zod/mini\` and once with its import replaced by \`zod\`, so their difference is the validator alone. Checked before timing on the three bundles: ${agreed} — identical outputs and identical issues (codes, paths, Japanese messages, the locale's as well as the domain's).`,
      "Telemetry: both modules wrap a handler as lib/http/stack.ts does (the Lambda context with the correlation id path, then the metrics): the light one with kansa's own lib/logger.ts and lib/metrics.ts, the Powertools one with Powertools' Logger and Metrics configured as kansa had them (a devDependency now, for this comparison only). Checked before timing: both handlers, invoked twice in a child with a Lambda context, an X-Ray trace id and one error, write the same JSON lines (stdout and stderr; timestamps and stacks aside): the same keys, order and values, cold_start true then false, and the same EMF blob.",
      `Run: ${buildSeconds.toFixed(1)} s building and checking ${subjects.length} bundles, ${measureSeconds.toFixed(1)} s measuring ${subjects.length * (rounds + 1)} children; 1-minute load average ${load.map((l) => l.toFixed(1)).join(' → ')} on ${cpus().length} cores.`,
    ];
    return { title: 'Libraries: zod classic vs zod/mini, Powertools vs a light logger', rows, notes };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run()
    .then((s) => {
      const text = renderSection(s);
      console.log(text);
      mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
      writeFileSync(new URL('./out/libraries.md', import.meta.url), `${text}\n`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
