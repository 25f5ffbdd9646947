import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bundle, bundleEntry } from '../../bench/support/bundle.js';
import { type FunctionSpec, eventFunctionSpecs, functionSpecs } from '#lib/functions.js';
import { routeList } from '#lib/http/routes.js';
import { jobFunctionSpec } from '#lib/jobs/schedule.js';

/**
 * What each function carries at cold start, read from esbuild's metafile of its bundle
 * built as CDK builds it (bench/support/bundle.ts, the options AppFunction passes): every
 * npm package in a bundle must be one its access (functionSpecs) or its routes need, as
 * listed here with the reason. A function that gains a package fails here until the
 * package is listed, for that function only, with why its routes need it.
 */

/** The AWS SDK's shared runtime, carried with any client. */
const sdkRuntime = [
  '@aws-sdk/core',
  '@aws-sdk/credential-provider-env',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-node',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/nested-clients',
  '@aws-sdk/signature-v4-multi-region',
  '@aws-sdk/token-providers',
  '@aws-sdk/xml-builder',
  '@smithy/core',
  '@smithy/credential-provider-imds',
  '@smithy/node-http-handler',
  '@smithy/signature-v4',
  '@smithy/types',
];

/** Packages by what needs them. */
const needs = {
  /** Every function: the app, its validator (zod with the Japanese locale alone), middy, ids, and the logger/metrics. */
  every: [
    '(app)',
    'zod',
    'zod (locales)',
    '@middy/core',
    'ulid',
    '@aws-lambda-powertools/commons',
    '@aws-lambda-powertools/logger',
    '@aws/lambda-invoke-store',
  ],
  /** HTTP functions: header names normalised before the request is parsed. */
  http: ['@middy/http-header-normalizer'],
  /** Table access: the DynamoDB client and document client (lib/store/tables.ts). */
  table: [
    ...sdkRuntime,
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/lib-dynamodb',
    '@aws-sdk/util-dynamodb',
    '@aws-sdk/dynamodb-codec',
    '@aws-sdk/endpoint-cache',
    '@aws-sdk/middleware-endpoint-discovery',
    'mnemonist',
    'obliterator',
  ],
  /** Bucket access: the S3 client, both presigners, and file-type for the magic bytes (lib/store/bucket.ts). */
  bucket: [
    ...sdkRuntime,
    '@aws-sdk/client-s3',
    '@aws-sdk/checksums',
    '@aws-sdk/middleware-sdk-s3',
    '@aws-sdk/s3-presigned-post',
    '@aws-sdk/s3-request-presigner',
    'file-type',
    'strtok3',
    'token-types',
    '@tokenizer/inflate',
    '@borewit/text-codec',
    'uint8array-extras',
    'ieee754',
    'debug',
    'ms',
    'has-flag',
    'supports-color',
  ],
  /** Putting events on the bus (lib/jobs/event-bus.ts). */
  bus: [...sdkRuntime, '@aws-sdk/client-eventbridge'],
  /** CSV imports of the 職員名簿 and of e-learning attendance (lib/domain/csv.ts). */
  csv: ['csv-parse'],
};

/** What each function's routes need beyond its access (the key package of each group is checked present too). */
const routeNeeds: Record<string, (keyof typeof needs)[]> = {
  staff: ['csv'],
  trainings: ['csv'],
};

const functions: Record<string, FunctionSpec> = { ...functionSpecs, ...eventFunctionSpecs, jobs: jobFunctionSpec };

function allowed(name: string, spec: FunctionSpec): Set<string> {
  const groups: (keyof typeof needs)[] = ['every', ...(routeNeeds[name] ?? [])];
  if (name in functionSpecs) groups.push('http');
  if (spec.table !== 'none') groups.push('table');
  if (spec.bucket) groups.push('bucket');
  if (spec.events === 'publish' || name === 'jobs') groups.push('bus');
  return new Set(groups.flatMap((g) => needs[g]));
}

let dir: string;
const bundles = new Map<string, Bundle>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kansa-bundles-'));
  for (const [name, spec] of Object.entries(functions)) bundles.set(name, await bundleEntry(spec, join(dir, name)));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const packages = (name: string) => [...(bundles.get(name) as Bundle).byPackage.keys()].sort();
const inputs = (name: string) => Object.keys((bundles.get(name) as Bundle).metafile.inputs);

describe('each function carries only what its access and its routes need', () => {
  for (const [name, spec] of Object.entries(functions)) {
    it(`${name}: no package beyond its list`, () => {
      const extra = packages(name).filter((p) => !allowed(name, spec).has(p));
      expect(extra, `${name} carries packages its access and routes do not need`).toEqual([]);
    });
  }

  it('the access a spec grants is what the entry supplies: the S3, DynamoDB and EventBridge clients exactly where granted', () => {
    for (const [name, spec] of Object.entries(functions)) {
      const has = (p: string) => packages(name).includes(p);
      expect(has('@aws-sdk/client-s3'), `${name}: S3 client`).toBe(spec.bucket !== undefined);
      expect(has('@aws-sdk/client-dynamodb'), `${name}: DynamoDB client`).toBe(spec.table !== 'none');
      expect(has('@aws-sdk/client-eventbridge'), `${name}: EventBridge client`).toBe(spec.events === 'publish' || name === 'jobs');
    }
  });

  it('the packages a function’s routes need are in it (the lists above are not stale)', () => {
    for (const [name, groups] of Object.entries(routeNeeds))
      for (const g of groups) expect(packages(name), `${name} needs ${g}`).toContain(needs[g][0]);
  });

  it('file-type (magic bytes) only where uploads are verified: the verifier and the jobs function', () => {
    for (const name of bundles.keys())
      expect(packages(name).includes('file-type'), name).toBe(name === 'evidenceUploaded' || name === 'jobs');
  });

  it('exceljs is in no bundle: the reports function loads it from its chunk file on the first XLSX', () => {
    for (const name of bundles.keys()) expect(packages(name), name).not.toContain('exceljs');
    expect((bundles.get('reports') as Bundle).chunkBytes).toBeGreaterThan(500_000);
  });

  it('an HTTP function carries its own routes only, never the joined table', () => {
    const routeModules = (name: string) => inputs(name).filter((i) => /^lib\/http\/routes(\.ts|\/)/.test(i));
    for (const name of Object.keys(functionSpecs)) {
      const own = `lib/http/routes/${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`;
      expect(routeModules(name), name).toContain(own);
      const others = routeModules(name).filter((m) => m !== own && !/routes\/(define|fields)\.ts$/.test(m));
      expect(others, `${name} carries other functions' routes`).toEqual([]);
    }
  });

  it('data is read as data: no bundle holds the 祝日 package or the regulation profiles as code (each function reads its chunk)', () => {
    for (const name of bundles.keys()) {
      expect(packages(name), name).not.toContain('@holiday-jp/holiday_jp');
      expect(
        inputs(name).filter((i) => /^lib\/profiles\/(koriyama|nara|koka|kuki|law)\.ts$/.test(i)),
        name,
      ).toEqual([]);
      expect((bundles.get(name) as Bundle).initChunkBytes, `${name}: its profile, read at cold start`).toBeGreaterThan(5_000);
    }
  });

  it('the OpenAPI generator is in no bundle: system serves the document its build wrote', () => {
    for (const name of bundles.keys()) expect(inputs(name), name).not.toContain('lib/http/openapi.ts');
  });
});

describe('chunks load from the files beside the bundle', () => {
  /** Import `specifier` from a module inside the function's output directory, as its index.mjs does, in a fresh Node. */
  function importFromBundle(name: string, specifier: string, expression: string): string {
    const probe = join(dir, name, 'probe.mjs');
    writeFileSync(probe, `const m = await import(${JSON.stringify(specifier)});\nconsole.log(JSON.stringify(${expression}));\n`);
    return execFileSync(process.execPath, [probe], { cwd: tmpdir(), encoding: 'utf8', env: { PATH: process.env.PATH } });
  }

  it('reports: exceljs from chunks/exceljs.mjs, not from node_modules', () => {
    expect(JSON.parse(importFromBundle('reports', '#lib/reports/exceljs.js', 'typeof m.default.Workbook'))).toBe('function');
  });

  it('every function: the deployment’s profile alone, as data', () => {
    const served = JSON.parse(importFromBundle('plans', '#lib/profiles/served.js', 'm.default.map((p) => p.id)')) as string[];
    expect(served).toEqual(['001']);
  });

  it('incidents: the dates of the 祝日', () => {
    const dates = JSON.parse(importFromBundle('incidents', '#lib/domain/holiday-dates.js', 'm.default')) as string[];
    expect(dates).toContain('2026-11-23'); // 勤労感謝の日
    expect(dates).toContain('2026-05-06'); // 振替休日
    expect(dates).not.toContain('2026-11-24');
  });

  it('system: the OpenAPI document prebuilt for the profile, with every route', () => {
    const doc = JSON.parse(importFromBundle('system', '#lib/http/openapi-document.js', 'm.default')) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.openapi).toMatch(/^3\.1/);
    const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ids.sort()).toEqual(routeList.map((r) => r.id).sort());
  });
});
