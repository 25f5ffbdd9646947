import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type FunctionSpec, eventFunctionSpecs, functionSpecs } from '#lib/functions.js';
import {
  type Bundle,
  type SdkUse,
  assertCdkBundlingUnchanged,
  bundleEntry,
  bundleSource,
  cdkTarget,
  floorLabel,
  floorSource,
  packageOf,
} from './support/bundle.js';
import { type BenchRow, type BenchSection, renderSection } from './support/section.js';
import { inScratchDir } from './support/scratch.js';
import { bytes, median, ms, percentile } from './support/stats.js';

/**
 * Cold init of every function: a fresh Node process imports the function's production
 * bundle (built as CDK builds it) against one importing the function's floor bundle
 * (only the AWS SDK clients it uses, made as it makes them), interleaved in one run;
 * and the size of each bundle against its floor.
 */

const rounds = Math.max(30, Number(process.env.BENCH_ROUNDS ?? 30) || 30);
const importGoal = 1.15;
const sizeGoal = 1.3;

/** Imports the bundle named on its command line and prints how long the import took, in ms. */
export const runnerSource = `import { pathToFileURL } from 'node:url';
const started = performance.now();
await import(pathToFileURL(process.argv[2]).href);
process.stdout.write(String(performance.now() - started));
process.exit(0);
`;

/**
 * The child's whole environment: what AppFunction sets (NODE_OPTIONS becomes the flag
 * on the command line), without TABLE_NAME or EVIDENCE_BUCKET, which the handlers read
 * on first invocation, not at import. Nothing of this process leaks in (tsx's loader).
 */
export function childEnv(fn: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_REGION: 'ap-northeast-1',
    SERVICE_NAME: `kansa-${fn}`,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    DEPARTMENTS_JSON: '[]',
  };
}
/** Dummy values a bundle would get if importing it needed them; unused while imports need none. */
const dummyEnv = { TABLE_NAME: 'kansa-bench', EVIDENCE_BUCKET: 'kansa-bench-evidence' };

export interface Sample {
  /** The import as the child timed it. */
  importMs: number;
  /** Spawn to exit, as this process saw it: Node's startup + the import + exit. */
  processMs: number;
}

interface Side {
  bundle: Bundle;
  samples: Sample[];
  env: NodeJS.ProcessEnv;
  /** Build this side again for another target. */
  rebuild: (target: string) => Promise<Bundle>;
  /** Importing failed without the dummy env; the error. */
  neededEnv?: string;
  /** The CDK target did not parse here and this one was used. */
  fallbackTarget?: string;
}

interface Subject {
  name: string;
  spec: SdkUse & { entry: string };
  prod: Side;
  /** Shared by every function whose floor source is the same. */
  floor: Side;
}

class SampleError extends Error {}

/**
 * One child, awaited without blocking this process's event loop (so a Ctrl-C is handled at
 * once, and tsx's signal relay gets its answer in time).
 */
export function sample(node: string, runner: string, file: string, env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node, ['--enable-source-maps', runner, file], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const processMs = performance.now() - started;
      if (signal) return reject(new Error(`${file}: child stopped by ${signal}`));
      const importMs = Number(stdout);
      if (code !== 0 || stdout === '' || !Number.isFinite(importMs)) {
        return reject(new SampleError(`${file}: exit ${code}: ${(stderr || stdout).trim().split('\n').slice(0, 6).join(' | ')}`));
      }
      resolve({ importMs, processMs });
    });
  });
}

const pct = (a: number, b: number) => `${a.toFixed(1)} vs ${b.toFixed(1)}`;

function figures(prod: Side, floor: Side, key: keyof Sample): { ratio: number; ratioP95: number; text: string } {
  const p = prod.samples.map((s) => s[key]);
  const f = floor.samples.map((s) => s[key]);
  return {
    ratio: median(p) / median(f),
    ratioP95: percentile(p, 95) / percentile(f, 95),
    text: `${ms(median(p))} ms vs ${ms(median(f))} ms (p95 ${pct(percentile(p, 95), percentile(f, 95))})`,
  };
}

/** Output bytes of the production bundle beyond its floor, by package, largest first. */
function excess(prod: Bundle, floor: Bundle): [string, number][] {
  return [...prod.byPackage]
    .map(([pkg, n]): [string, number] => [pkg, n - (floor.byPackage.get(pkg) ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

export async function run(): Promise<BenchSection> {
  assertCdkBundlingUnchanged();
  const started = performance.now();
  return inScratchDir('kansa-cold-init-', async (dir, stopped) => {
    const node = process.execPath;
    const runner = join(dir, 'runner.mjs');
    writeFileSync(runner, runnerSource);

    // Build everything first (esbuild may use both cores; nothing is timed yet). Functions
    // with the same access share one floor bundle, sampled once per round.
    const specs: [string, FunctionSpec][] = [...Object.entries(functionSpecs), ...Object.entries(eventFunctionSpecs)];
    const side = async (rebuild: (target: string) => Promise<Bundle>, env: NodeJS.ProcessEnv): Promise<Side> => ({
      bundle: await rebuild(cdkTarget),
      samples: [],
      env,
      rebuild,
    });
    const floors = new Map<string, Promise<Side>>();
    const subjects: Subject[] = await Promise.all(
      specs.map(async ([name, spec]): Promise<Subject> => {
        const source = floorSource(spec);
        const key = `floor-${floors.size}`;
        if (!floors.has(source)) {
          floors.set(
            source,
            side((target) => bundleSource(source, `${key}.js`, join(dir, target, key), target), childEnv('floor')),
          );
        }
        const [prod, floor] = await Promise.all([
          side((target) => bundleEntry(spec, join(dir, target, name), target), childEnv(name)),
          floors.get(source) as Promise<Side>,
        ]);
        return { name, spec, prod, floor };
      }),
    );
    const groups = [...new Set(subjects.map((s) => s.floor))].map((floor) => ({
      floor,
      prods: subjects.filter((s) => s.floor === floor).map((s) => s.prod),
    }));
    const buildSeconds = (performance.now() - started) / 1000;

    // Import each bundle once, untimed: it warms the file cache and checks that the bundle
    // imports with the Node here and without table or bucket names.
    for (const one of groups.flatMap((g) => [g.floor, ...g.prods])) {
      try {
        await sample(node, runner, one.bundle.file, one.env);
      } catch (err) {
        if (!(err instanceof SampleError)) throw err;
        if (/SyntaxError/.test(err.message)) {
          one.bundle = await one.rebuild('node20');
          one.fallbackTarget = 'node20';
        } else {
          one.env = { ...one.env, ...dummyEnv };
          one.neededEnv = err.message;
        }
        await sample(node, runner, one.bundle.file, one.env);
      }
    }

    // Interleaved: each round samples every floor, each followed by the production bundles
    // measured against it; every other round in the reverse order.
    const sequence = groups.flatMap((g) => [g.floor, ...g.prods]);
    const load = [loadavg()[0] as number];
    for (let round = 0; round < rounds; round++) {
      for (const one of round % 2 === 0 ? sequence : [...sequence].reverse()) {
        const taken = await sample(node, runner, one.bundle.file, one.env);
        one.samples.push(taken);
        if (stopped()) throw new Error(`cold init: stopped by ${stopped()}`);
      }
    }
    load.push(loadavg()[0] as number);
    const measureSeconds = (performance.now() - started) / 1000 - buildSeconds;
    const named: [string, Side][] = [
      ...subjects.map((s): [string, Side] => [s.name, s.prod]),
      ...groups.map((g): [string, Side] => [floorLabel((subjects.find((s) => s.floor === g.floor) as Subject).spec), g.floor]),
    ];
    const fellBack = named.filter(([, one]) => one.fallbackTarget).map(([n]) => n);
    const neededEnv = named.filter(([, one]) => one.neededEnv).map(([n, one]) => `${n} (${one.neededEnv})`);

    const rows: BenchRow[] = [];
    const notes: string[] = [];
    for (const s of subjects) {
      const empty = s.spec.table === 'none' && !s.spec.bucket;
      const imp = figures(s.prod, s.floor, 'importMs');
      const proc = figures(s.prod, s.floor, 'processMs');
      // With an empty floor the import of nothing is ~a few ms; the goal is held to Node's startup + import instead.
      const held = empty ? proc : imp;
      rows.push({
        name: empty ? `cold init: ${s.name} (node startup + import)` : `cold init: ${s.name} (import)`,
        baseline: empty ? 'node + import of an empty module' : floorLabel(s.spec),
        ratio: held.ratio,
        ratioP95: held.ratioP95,
        detail: empty
          ? `process ${proc.text}; import alone ${imp.text} = ${imp.ratio.toFixed(1)}×`
          : `import ${imp.text}; process ${proc.text} = ${proc.ratio.toFixed(2)}×`,
        goal: `≤ ${importGoal}`,
        met: held.ratio <= importGoal,
      });
      // What a cold start reads: index.mjs and the chunks it imports statically (the deployment's profile, the 祝日).
      const sizeRatio = (s.prod.bundle.bytes + s.prod.bundle.initChunkBytes) / s.floor.bundle.bytes;
      rows.push({
        name: `bundle size: ${s.name}`,
        baseline: empty ? 'floor: empty module (the banner only)' : floorLabel(s.spec),
        ratio: sizeRatio,
        detail: `${bytes(s.prod.bundle.bytes + s.prod.bundle.initChunkBytes)} B (index.mjs ${bytes(s.prod.bundle.bytes)} + chunks it imports ${bytes(s.prod.bundle.initChunkBytes)}) vs ${bytes(s.floor.bundle.bytes)} B (+ maps ${bytes(s.prod.bundle.mapBytes)} vs ${bytes(s.floor.bundle.mapBytes)} B)${s.prod.bundle.chunkBytes > 0 ? `; chunks beside it, read on first use only: ${bytes(s.prod.bundle.chunkBytes)} B` : ''}`,
        goal: `≤ ${sizeGoal}`,
        met: sizeRatio <= sizeGoal,
      });
    }

    notes.push(
      `Method: per function, a fresh \`node --enable-source-maps runner.mjs <bundle>\` (AppFunction sets NODE_OPTIONS=--enable-source-maps; both sides get it) times \`await import()\` of the bundle with performance.now() in the child; the parent also times spawn → exit ("process"). ${rounds} samples of each bundle after one untimed import of each, one child at a time: each round samples every floor, each followed by the production bundles measured against it (functions with the same access share one floor bundle), and every other round runs that sequence backwards. Ratio = median production / median floor, and p95 / p95 (nearest rank).`,
      `Bundles: esbuild ${(await import('esbuild')).version} with AppFunction's options (format esm, platform node, target ${cdkTarget}, minify, keepNames, linked source map without sourcesContent, mainFields module,main, SDK bundled, the createRequire banner); bench/support/bundle.ts fails if cdk/constructs/app-function.ts changes them. Run with Node ${process.versions.node} here, Lambda runs Node 24.${fellBack.length > 0 ? ` Target node20 was needed for: ${fellBack.join(', ')} (the ${cdkTarget} build did not parse here).` : ` The node24 builds import as they are in Node ${process.versions.node.split('.')[0]}, so the measured files are the deployed ones byte for byte.`} Sizes are index.mjs bytes; the source maps beside them are listed but not in the ratio.`,
      "Floors import what lib/store uses of the SDK for the function's access in functionSpecs — table: DynamoDBClient + DynamoDBDocumentClient, Get/Query (+ TransactWrite, TransactionCanceledException, unmarshall for readWrite); bucket presign: S3Client, GetObjectCommand, createPresignedPost, getSignedUrl; verify: S3Client, Get/Copy/DeleteObjectCommand, NoSuchKey — and construct the clients at import with the options of createDocumentClient/createS3Client. The production bundles construct none at import: lib/runtime/ports.ts makes them on first use. So the floor side includes client construction the production side defers; the import ratios favour production by that much.",
      `Environment of the children: PATH, AWS_REGION, SERVICE_NAME, POWERTOOLS_LOG_LEVEL, DEPARTMENTS_JSON only. ${neededEnv.length > 0 ? `Importing needed dummy TABLE_NAME/EVIDENCE_BUCKET for: ${neededEnv.join('; ')}.` : 'No bundle needs TABLE_NAME or EVIDENCE_BUCKET to import (config is read on first invocation).'}`,
    );
    const system = subjects.filter((s) => s.spec.table === 'none' && !s.spec.bucket).map((s) => s.name);
    if (system.length > 0) {
      notes.push(
        `${system.join(', ')} uses no table and no bucket, so its floor is an empty module (the banner): importing it takes a few ms and its size is the banner's, so import-alone and size ratios are huge by construction. Its cold-init goal is held to Node's startup + import (spawn → exit) against \`node\` + import of the empty module; the size ratio is reported against the banner as is.`,
      );
    }
    const failed = subjects.filter((s) =>
      rows.some((r) => r.met === false && (r.name.startsWith(`cold init: ${s.name} `) || r.name === `bundle size: ${s.name}`)),
    );
    if (failed.length > 0) {
      notes.push(
        "Why goals are not met — output bytes of each production bundle beyond its floor, by package (esbuild metafile; zod's locales apart; import time follows parsing and evaluating these):",
      );
      for (const s of failed) {
        const top = excess(s.prod.bundle, s.floor.bundle);
        const total = top.reduce((n, [, b]) => n + b, 0);
        const rest = top.slice(9).reduce((n, [, b]) => n + b, 0);
        notes.push(
          `Beyond the floor, ${s.name}: +${bytes(total)} B = ${top
            .slice(0, 9)
            .map(([pkg, n]) => `${pkg} ${bytes(n)}`)
            .join(', ')}${top.length > 9 ? `, ${top.length - 9} more packages ${bytes(rest)}` : ''}.`,
        );
      }
      // The app's own bytes beyond the floor, by module: which rules and data a function carries.
      for (const s of failed) {
        const appModules = Object.entries(
          Object.values(s.prod.bundle.metafile.outputs).find((o) => o.entryPoint !== undefined)?.inputs ?? {},
        )
          .filter(([path]) => packageOf(path) === '(app)')
          .map(([path, { bytesInOutput }]): [string, number] => [path, bytesInOutput])
          .sort((a, b) => b[1] - a[1]);
        notes.push(
          `App modules of ${s.name} (${bytes(appModules.reduce((n, [, b]) => n + b, 0))} B): ${appModules
            .slice(0, 8)
            .map(([path, n]) => `${path.replace(/^lib\//, '')} ${bytes(n)}`)
            .join(', ')}${appModules.length > 8 ? `, ${appModules.length - 8} more` : ''}.`,
        );
      }
      notes.push(
        "What remains and why it stays: every function now carries only the SDK clients its spec grants (the entry supplies the adapters), its own routes, and no exceljs or OpenAPI generator (chunks, loaded on first use); test/infra/bundles.test.ts holds each bundle to that. The rest is what a request needs before it can be answered: zod/mini and the Japanese locale (every request is validated against the route's schema; classic zod cost 69 KB and 18–34 ms more, bench libraries.ts), the app — lib/domain/permissions.ts (the one authorization function, every role and separation of duties, ~20 KB), lib/profiles (the four regulations as data, ~38 KB; the deployment uses one), the route and domain schemas and rules, the stores and keys — and middy with the header normaliser (~5 KB). The floor is the SDK client alone, so the ratio counts all of kansa against it.",
      );
    }
    notes.push(
      `Run: ${buildSeconds.toFixed(1)} s building ${subjects.length + groups.length} bundles, ${measureSeconds.toFixed(1)} s measuring ${sequence.length * (rounds + 1)} children; 1-minute load average ${load.map((l) => l.toFixed(1)).join(' → ')} on ${cpus().length} cores. Anything else running inflates and spreads the absolute times (and the p95s most); the ratios are of samples taken side by side.`,
    );
    return { title: 'Cold init and bundle size against the SDK floor', rows, notes };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  run()
    .then((s) => {
      const text = renderSection(s);
      console.log(text);
      mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
      writeFileSync(new URL('./out/cold-init.md', import.meta.url), `${text}\n`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => console.log(`runtime ${((performance.now() - started) / 1000).toFixed(1)} s`));
}
