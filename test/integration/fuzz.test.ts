import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionStatuses } from '#lib/domain/action.js';
import { entityTypes } from '#lib/domain/audit.js';
import { disposalMedia, disposalMethods } from '#lib/domain/disposal.js';
import { allowedTypes, evidenceTargetTypes } from '#lib/domain/evidence.js';
import { planStatuses } from '#lib/domain/plan.js';
import { roles } from '#lib/domain/roles.js';
import { type RouteDef, routeList } from '#lib/http/routes.js';
import { demoUsers } from '#lib/local/demo-users.js';
import { generateSigningKey, signToken } from '#lib/local/identity.js';
import { jpeg, pdf, png, sha256 } from '#test/fixtures/files.js';
import {
  type EvidenceTarget,
  auditData,
  auditedSections,
  chief,
  disposalBody,
  disposalDate,
  disposalYear,
  dueDate,
  evidenceBody,
  findingBody,
  lead,
  workerOf,
} from '#test/support/audit-data.js';
import { type RawReply, type RawRequest, rawClient } from '#test/support/raw-request.js';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';
import { contractorBody, dutyData, today } from '#test/support/duty-data.js';
import { incidentStatuses } from '#lib/domain/incident.js';
import * as z from '#lib/domain/zod.js';
import { clerk, incidentBody, incidentData } from '#test/support/incident-data.js';
import { staffCsvHeader, staffIn } from '#test/support/staff-data.js';

/**
 * Property: whatever arrives on any route — odd path parameters, query strings,
 * bodies, content types and tokens — the API answers without a 5xx, and every 4xx
 * is an RFC 9457 problem whose `status` is the HTTP status. Each route gets at least
 * `runsPerRoute` generated requests; the routes run side by side, each sequentially.
 *
 * A failure prints the request, the response, fast-check's seed and path, and the
 * command that replays it: `FUZZ_ROUTE=<id> FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest
 * run test/integration/fuzz.test.ts`. FUZZ_RUNS raises the runs per route; FUZZ_ROUTE
 * alone fuzzes one route (or several, comma-separated). The real ids include evidence pending, verified (a JPEG sent
 * through the presigned POST) and rejected, and disposal records complete or not.
 */
const runsPerRoute = Math.max(1000, Number(process.env.FUZZ_RUNS ?? 1000));
const replay = process.env.FUZZ_SEED
  ? { seed: Number(process.env.FUZZ_SEED), ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}) }
  : undefined;
const fuzzed = process.env.FUZZ_ROUTE ? routeList.filter((r) => (process.env.FUZZ_ROUTE ?? '').split(',').includes(r.id)) : routeList;

let stack: TestStack;
let client: ReturnType<typeof rawClient>;
/** Ids of real plans, findings, actions, evidence and disposal records in many states, by the path parameter that names them. */
const ids: Record<string, string[]> = {
  planId: [],
  findingId: [],
  actionId: [],
  evidenceId: [],
  disposalId: [],
  taskId: [],
  inspectionId: [],
  contractorId: [],
  checkId: [],
  incidentId: [],
  trainingId: [],
  staffId: [],
};
/** Real evidence targets (what POST /evidence and GET /evidence?targetType=&targetId= name), with who may attach to each. */
const targets: (EvidenceTarget & { attacher: string })[] = [];
/** Real `nextCursor`s of every list. */
const cursors: string[] = [];
/** A well-signed token from a key the gateway does not trust. */
let foreignToken = '';

beforeAll(async () => {
  stack = await startTestStack();
  client = rawClient(stack.baseUrl);
  const data = auditData(stack);
  const host = await data.hostPlan();
  const [plans, findings, actions] = await Promise.all([
    Promise.all(
      (['draft', 'draft', 'submitted', 'submitted', 'returned', 'approved', 'approved', 'inProgress', 'reported', 'closed'] as const).map(
        (st) => data.planIn(st),
      ),
    ),
    Promise.all([
      data.findingBy(lead, 'citizens'),
      data.findingBy(lead, 'resident-tax'),
      data.findingBy('dx-manager', 'citizens'),
      data.findingBy('pr-manager', 'dx-strategy'),
    ]),
    Promise.all([
      data.actionIn('open', lead, 'citizens'),
      data.actionIn('open', 'dx-manager', 'resident-tax'),
      data.actionIn('inProgress', lead, 'dx-strategy'),
      data.actionIn('submitted', lead, 'citizens'),
      data.actionIn('submitted', 'pr-manager', 'resident-tax'),
      data.actionIn('verified', lead, 'citizens'),
      data.actionIn('reopened', lead, 'public-relations'),
      data.actionIn('riskAccepted', lead, 'citizens'),
    ]),
  ]);
  const approved = plans[5] as string;
  const revision = await stack.call('POST', `/plans/${approved}/revisions`, { as: lead });
  ids.planId = [host, ...plans, revision.body.planId as string];
  ids.findingId = findings;
  ids.actionId = actions;

  // Disposal records of several 課 (one complete with a witness, one in-house, one correcting another).
  const disposals = await Promise.all(auditedSections.map((d) => data.disposalIn(d)));
  const citizensDisposal = disposals[0] as string;
  for (const [as, body] of [
    ['citizens-staff', disposalBody('citizens', { witness: 'citizens-manager' })],
    ['tax-manager', disposalBody('resident-tax', { contractor: undefined })],
    [lead, disposalBody('citizens', { correctionOf: citizensDisposal, description: '記録の訂正' })],
  ] as const) {
    const r = await stack.call('POST', '/disposals', { as, body });
    if (r.status !== 201) throw new Error(`setup: disposal → ${r.status} ${r.text}`);
    disposals.push(r.body.disposalId as string);
  }
  ids.disposalId = disposals;

  // 点検 open, answered and submitted, contractors and their checks, and the tasks of both.
  const duties = dutyData(stack);
  const inspections = await Promise.all([
    duties.inspectionIn('citizens'),
    duties.inspectionIn('resident-tax', 'answered'),
    duties.inspectionIn('dx-strategy', 'submitted'),
  ]);
  const checks = await Promise.all([duties.checkIn('citizens'), duties.checkIn('public-relations')]);
  ids.inspectionId = inspections.map((i) => i.inspectionId);
  ids.checkId = checks.map((c) => c.checkId);
  ids.taskId = [...inspections, ...checks].map((x) => x.taskId);
  ids.contractorId = await Promise.all([duties.contractorIn('citizens'), duties.contractorIn('resident-tax')]);

  // 事案 in every state of the chain, of two 課 (one shared with another 課), reported by a 職員 with no role.
  const incidents = incidentData(stack);
  ids.incidentId = await Promise.all([
    incidents.incidentIn('reported', 'citizens'),
    incidents.incidentIn('reported', 'resident-tax', { body: { records: { subjects: 101 } } }),
    incidents.incidentIn('contained', 'citizens'),
    incidents.incidentIn('investigated', 'resident-tax'),
    incidents.incidentIn('prevented', 'citizens', { shareWith: ['resident-tax'] }),
  ]);

  // Sessions of the training plan (one of a past 年度).
  ids.trainingId = await Promise.all(
    [Number(today.slice(0, 4)), 2020].map(async (fiscalYear) => {
      const body = {
        fiscalYear,
        name: '研修',
        timing: { from: `${fiscalYear}-10-01`, to: `${fiscalYear}-10-31` },
        audience: ['allStaff'],
        method: 'video',
      };
      const r = await stack.call('POST', '/trainings', { as: chief, body });
      if (r.status !== 201) throw new Error(`setup: training → ${r.status} ${r.text}`);
      return r.body.trainingId as string;
    }),
  );
  // People on two 課's registers, one with a period kept from a change from a later date.
  ids.staffId = await Promise.all([staffIn(stack, 'citizens'), staffIn(stack, 'resident-tax', { handler: false, handlerDuties: null })]);
  await stack.call('PATCH', `/staff/${ids.staffId[1]}`, { as: 'tax-manager', body: { title: '主任', effectiveFrom: '2026-10-01' } });

  // Evidence on every kind of target, pending, verified (real JPEG through the presigned POST) and rejected.
  targets.push(
    { type: 'plan', id: host, attacher: lead },
    { type: 'plan', id: plans[9] as string, attacher: 'dx-manager' },
    { type: 'finding', id: findings[0] as string, attacher: lead },
    { type: 'finding', id: findings[2] as string, attacher: 'dx-manager' },
    { type: 'action', id: actions[0] as string, attacher: 'citizens-staff' },
    { type: 'action', id: actions[2] as string, attacher: workerOf['dx-strategy'] as string },
    { type: 'disposal', id: citizensDisposal, attacher: 'citizens-staff' },
    { type: 'disposal', id: disposals[1] as string, attacher: 'tax-staff' },
    { type: 'inspection', id: ids.inspectionId[0] as string, attacher: 'citizens-manager' },
    { type: 'contractorCheck', id: ids.checkId[0] as string, attacher: 'citizens-manager' },
    { type: 'incident', id: ids.incidentId[0] as string, attacher: clerk },
  );
  ids.evidenceId = await Promise.all(
    targets.flatMap((t) => (['pending', 'verified', 'rejected'] as const).map((state) => data.evidenceIn(state, t.attacher, t))),
  );
  // a second on the host plan, so its evidence list has a next page
  ids.evidenceId.push(await data.evidenceIn('verified', lead, { type: 'plan', id: host }));

  for (const path of [
    '/plans?limit=1',
    `/audit-log?entityType=plan&entityId=${host}&limit=1`,
    `/plans/${host}/findings?limit=1`,
    '/actions?limit=1',
    `/evidence?targetType=plan&targetId=${host}&limit=1`,
    `/disposals?fiscalYear=${disposalYear}&limit=1`,
    `/audit-log?entityType=evidence&entityId=${ids.evidenceId[1]}&limit=1`,
  ]) {
    const page = await stack.call('GET', path, { as: lead });
    if (typeof page.body?.nextCursor !== 'string') throw new Error(`setup: no cursor from ${path}: ${page.status} ${page.text}`);
    cursors.push(page.body.nextCursor);
  }
  foreignToken = await signToken(await generateSigningKey(), {
    id: lead,
    name: '安積 花子',
    roles: ['auditLead'],
    department: 'policy-planning',
  });
});

afterAll(async () => {
  client?.close();
  await stack?.close();
});

// ---------------------------------------------------------------- encoding

const unreserved = /[A-Za-z0-9\-._~]/;

/** Percent-encodes every UTF-8 byte but the unreserved ones (lone surrogates become U+FFFD). */
function pct(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += unreserved.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Printable ASCII that may go on the request line as is. */
const rawSafe = /^[\x21-\x7e]*$/;

/** An e-learning system's attendance export: the columns the import reads among others it ignores. */
const attendanceCsvHeader = 'ユーザーID,職員番号,氏名,コース名,受講状況,修了日';

// ---------------------------------------------------------------- arbitraries

const ulidArb = fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/);
const pick = <T>(pool: () => readonly T[]) =>
  fc.nat().map((i) => {
    const p = pool();
    return p[i % p.length] as T;
  });
/** A real id of the kind the parameter names. */
const idOf = (param: string) => pick(() => ids[param] ?? ids.planId ?? []);
/** A real id of any kind (a plan id where a finding id belongs, …). */
const anyIdArb = pick(() => Object.values(ids).flat());

const trickySegments = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F',
  '%2F',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AE',
  '%FF',
  '%u0041',
  '__proto__',
  'constructor',
  'toString',
  'null',
  'undefined',
  '%20',
  '+',
  '~',
  '*',
  ';',
  ',',
  '!',
  '$',
  "'",
  '(',
  ')',
  '@',
  ':',
  '=',
  '&',
  '%3F',
  '%23',
  '%25',
  '%0A',
  '%0D%0A',
  '%EF%BC%90',
  'plans',
  '{planId}',
  'download',
  'evidence',
  '{evidenceId}',
  'disposals',
];

/** A path segment for `param` as it goes on the wire. */
function segmentArbFor(param: string): fc.Arbitrary<string> {
  const real = idOf(param);
  return fc.oneof(
    { weight: 12, arbitrary: real },
    { weight: 2, arbitrary: anyIdArb },
    { weight: 2, arbitrary: ulidArb },
    { weight: 1, arbitrary: real.map((id) => id.toLowerCase()) },
    // a real id with its first character percent-encoded: decodes to the real id
    { weight: 1, arbitrary: real.map((id) => `%${id.charCodeAt(0).toString(16).toUpperCase()}${id.slice(1)}`) },
    { weight: 1, arbitrary: fc.tuple(real, fc.string({ maxLength: 4 })).map(([id, s]) => pct(id + s)) },
    { weight: 2, arbitrary: fc.string().map(pct) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme' }).map(pct) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary' }).map(pct) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."!$&'()*+,;=:@-._~%AZaz09".split('')), maxLength: 30 }) },
    { weight: 2, arbitrary: fc.constantFrom(...trickySegments) },
    { weight: 1, arbitrary: fc.integer({ min: 300, max: 6000 }).map((n) => 'A'.repeat(n)) },
    { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 800, unit: 'grapheme' }).map(pct) },
  );
}

const weirdScalars = [
  '',
  ' ',
  '0',
  '1',
  '20',
  '100',
  '101',
  '-1',
  '-0',
  '1e2',
  '1e400',
  '0x10',
  '0b1',
  '2026',
  '2026.5',
  '1999',
  '2101',
  'NaN',
  'Infinity',
  '1,2',
  ' 20 ',
  '２０２６',
  'true',
  'null',
  '[]',
  '{}',
  'plan',
  'Plan',
  'finding',
  '%',
  '%zz',
  '\u0000',
  'inspection',
  'PLAN',
  'disposal ',
];

const realCursorArb = pick(() => cursors);
const keyValueArb = fc.oneof(
  anyIdArb.map((id) => `PLAN#${id}`),
  anyIdArb,
  ulidArb.map((u) => `EVENT#${u}`),
  fc.constantFrom('', 'PLAN', 'EVENT#', 'PLANS#FY2026', 'PLANS#FY2026#draft', 'PLANS#FY2030'),
  fc.string(),
  fc.string({ unit: 'grapheme', minLength: 300, maxLength: 600 }),
);

/** Cursors: real ones, base64url of anything, and LastEvaluatedKey-shaped objects with odd values. */
const cursorArb: fc.Arbitrary<string> = fc.oneof(
  realCursorArb,
  // a real cursor with one key's value replaced
  fc.tuple(realCursorArb, fc.nat(), keyValueArb).map(([c, i, v]) => {
    const key = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>;
    const names = Object.keys(key);
    key[names[i % names.length] as string] = v;
    return Buffer.from(JSON.stringify(key)).toString('base64url');
  }),
  fc.string().map((s) => Buffer.from(s).toString('base64url')),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
  fc
    .dictionary(fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'other'), keyValueArb, {
      maxKeys: 5,
    })
    .map((k) => Buffer.from(JSON.stringify(k)).toString('base64url')),
  fc.base64String(),
  fc.string({ minLength: 2000, maxLength: 3000 }),
);

const queryValueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...weirdScalars) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ...planStatuses,
      ...actionStatuses,
      ...entityTypes,
      ...evidenceTargetTypes,
      'DRAFT',
      'approved ',
      'closed\u0000',
      'dx',
      'koho',
      'lead',
      'TRUE',
      'yes',
    ),
  },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
  { weight: 2, arbitrary: anyIdArb },
  { weight: 1, arbitrary: ulidArb },
  { weight: 2, arbitrary: cursorArb },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }) },
);

/** Every query key some route takes. */
const knownKeys = [...new Set(routeList.flatMap((r) => (r.query ? Object.keys(r.query.shape) : [])))];
const queryKeyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...knownKeys) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'FiscalYear', 'limit[]', ''),
  },
  { weight: 1, arbitrary: fc.string() },
);

const encodePairs = (pairs: readonly (readonly [string, string, boolean])[]) =>
  pairs.map(([k, v, raw]) => (raw && rawSafe.test(k + v) && !/[&#=]/.test(k + v) ? `${k}=${v}` : `${pct(k)}=${pct(v)}`)).join('&');

/** Any query string as it goes on the wire, without the `?`. */
const anyQueryArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(queryKeyArb, queryValueArb, fc.boolean()), { maxLength: 6 }).map(encodePairs) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '&&',
      '=',
      '==',
      'limit',
      'limit=%',
      'a=%zz',
      'entityType=plan&entityType=plan',
      'limit=1&limit=2',
      'fiscalYear=2026;status=draft',
    ),
  },
);

/** Plausible values of the known query keys, so that cases get past validation into the use case. */
const goodQueryValues: Record<string, fc.Arbitrary<string>> = {
  fiscalYear: fc.constantFrom('2026', '2030', '2025', '2000', '2100'),
  status: fc.constantFrom(...planStatuses, ...actionStatuses, ...incidentStatuses, 'done', 'completed'),
  limit: fc.integer({ min: 1, max: 100 }).map(String),
  cursor: fc.oneof({ weight: 3, arbitrary: realCursorArb }, { weight: 1, arbitrary: cursorArb }),
  entityType: fc.constantFrom(...entityTypes),
  entityId: fc.oneof({ weight: 4, arbitrary: anyIdArb }, { weight: 1, arbitrary: ulidArb }),
  scope: fc.constantFrom('dx', 'koho', 'lead'),
  department: fc.constantFrom(...auditedSections, 'citizen-affairs', 'policy-planning', 'no-such-section'),
  overdue: fc.constantFrom('true', 'false'),
  mine: fc.constantFrom('true', 'false'),
  period: fc.constantFrom('FY2026', 'FY2026-Q1', 'FY2050-Q4', 'FY2027-Q5', '2026-04-01'),
  asOf: fc.constantFrom('2026-04-01', '2026-09-30', '2026-10-01', '2026-02-30', '2026/4/1'),
  effectiveFrom: fc.constantFrom('2026-10-01', '2026-04-01', '2025-01-01', '2026-13-01'),
  dryRun: fc.constantFrom('true', 'false', 'yes'),
  targetType: fc.constantFrom(...evidenceTargetTypes),
  targetId: fc.oneof(
    { weight: 4, arbitrary: pick(() => targets.map((t) => t.id)) },
    { weight: 1, arbitrary: anyIdArb },
    { weight: 1, arbitrary: ulidArb },
  ),
};

/** A real target named the way GET /evidence takes it, so that lists get past the lookup. */
const targetPairArb = pick(() => targets.map((t) => `targetType=${t.type}&targetId=${t.id}`));

/** The route's own query keys, each mostly plausible, sometimes absent or weird, plus now and then a random pair. */
function queryArbFor(route: RouteDef): fc.Arbitrary<string> {
  const keys = route.query ? Object.keys(route.query.shape) : [];
  const pair = (k: string) => {
    const absent = k === 'cursor' ? 6 : 1;
    return fc.oneof(
      { weight: absent, arbitrary: fc.constant(undefined) },
      { weight: 8, arbitrary: fc.tuple(fc.constant(k), goodQueryValues[k] ?? queryValueArb, fc.boolean()) },
      { weight: 1, arbitrary: fc.tuple(fc.constant(k), queryValueArb, fc.boolean()) },
    );
  };
  const randomPair = fc.tuple(fc.string(), queryValueArb, fc.boolean());
  const extra = fc.oneof(
    { weight: 4, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(randomPair, { minLength: 1, maxLength: 2 }) },
  );
  const plausible = fc
    .tuple(fc.tuple(...keys.map(pair)), extra)
    .map(([own, more]) => encodePairs([...own.filter((p) => p !== undefined), ...more]));
  const rest = keys.filter((k) => k !== 'targetType' && k !== 'targetId');
  const matched = fc
    .tuple(targetPairArb, fc.tuple(...rest.map(pair)))
    .map(([t, own]) => [t, encodePairs(own.filter((p) => p !== undefined))].filter((x) => x !== '').join('&'));
  return fc.oneof(
    { weight: keys.length > 0 ? 4 : 0, arbitrary: plausible },
    { weight: keys.includes('targetId') ? 4 : 0, arbitrary: matched },
    { weight: keys.length > 0 ? 0 : 4, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: anyQueryArb },
  );
}

const contentTypes = [
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'application/problem+json',
  'application/merge-patch+json',
  'APPLICATION/JSON',
  'application/jsonx',
  'image/png',
  '',
  'application/json; charset=shift_jis',
  'application/json, text/plain',
  'text/json',
];

/** A value of any JSON shape, weighted towards the ones validators trip over. */
const weirdJsonArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    null,
    '',
    ' ',
    0,
    -1,
    2026.5,
    1e308,
    -1e308,
    '2026',
    [],
    {},
    '2026-02-30',
    '2027-04-01',
    '2026-13-01',
    'x'.repeat(2001),
    [null],
    [''],
    { from: '2026-10-01' },
  ),
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.string(), { maxLength: 4 }),
  fc.array(fc.record({ role: fc.constantFrom('auditLead', 'auditorDx', 'chiefManager', ''), userId: fc.string() }), { maxLength: 3 }),
);

/** A stand-in target for the evidence bodies whose keys are listed before any data exists. */
const noTarget: EvidenceTarget = { type: 'plan', id: '0'.repeat(26) };

/** Valid bodies of every route that takes one: the bases the mutations start from. */
const staticBases: Record<string, unknown>[] = [
  planBody(),
  { purpose: '監査目的を改める' },
  findingBody(lead, 'citizens'),
  findingBody('dx-manager', 'resident-tax'),
  { title: '件名を改める', rating: 'major' },
  { description: '手順書を改訂する', dueDate },
  { note: '対応しました。' },
  { note: '対応しました。', evidenceIds: [] },
  { comment: '確認しました。' },
  { reason: '理由' },
  disposalBody('citizens'),
  disposalBody('resident-tax', { contractor: undefined, witness: 'tax-manager', media: 'device', method: 'physicalDestruction' }),
  contractorBody('citizens'),
  { name: '株式会社△△', contact: null },
  {
    answers: [
      { index: 0, result: 'ok' },
      { index: 1, result: 'issue', note: '要改善' },
    ],
    evidenceIds: [],
  },
  { method: 'onSite', checkedOn: today, result: 'compliant' },
  { method: 'remote', remoteReason: '遠隔地のため', checkedOn: today, result: 'issues', notes: '記録の不備' },
  incidentBody('citizens'),
  incidentBody('resident-tax', { records: { subjects: null, myNumber: true, inSystem: true } }),
  { summary: '概要を改める', records: { subjects: 101 } },
  { measures: '措置を講じた' },
  { findings: '経緯を確認した', cause: '確認漏れ' },
  { measures: '二人で確認する', shareWith: ['resident-tax'] },
  { stage: 'preliminary', submittedAt: new Date().toISOString() },
  { kind: 'subjects', at: new Date().toISOString(), note: '郵送で通知した' },
  {},
];
const fileOf = { jpeg: [jpeg, 'image/jpeg'], png: [png, 'image/png'], pdf: [pdf, 'application/pdf'] } as const;
/** A valid POST /evidence body for each real file type. */
const evidenceBodies = (t: EvidenceTarget) =>
  Object.entries(fileOf).map(([ext, [bytes, type]]) => ({
    ...evidenceBody(t, `証跡.${ext}`),
    contentType: type,
    size: bytes.length,
    sha256: sha256(bytes),
  }));
/** The bases, with evidence bodies naming the real targets (once they exist). */
const bases = (): Record<string, unknown>[] => [
  ...staticBases,
  ...(targets.length > 0 ? targets : [noTarget]).flatMap(({ type, id }) => evidenceBodies({ type, id })),
];
const baseKeys = [...new Set([...staticBases, ...evidenceBodies(noTarget), { capturedAt: '' }].flatMap((b) => Object.keys(b)))];

const articleArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '第17条の2',
    '第１７条の２',
    ' 第 17 条 の 2 第 1 項 ',
    '第十七条の二',
    '第11条',
    '第11条第1項',
    '第11条第9項',
    '第40条',
    '第18条の3',
    '第0条',
    '第999条',
    '第1000条',
    '第99999999999999999999条',
    '17',
    '17の2',
    '第17条の2第1項第3号',
    '第二条',
    '第百条',
    '第十十十条',
    '第〇条',
    '条',
    '第条',
    '',
  ),
  fc.record(
    {
      article: fc.integer({ min: -5, max: 1200 }),
      branch: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
      paragraph: fc.option(fc.integer({ min: -1, max: 12 }), { nil: undefined }),
    },
    { requiredKeys: ['article'] },
  ),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
);

const mutationKeyArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      ...baseKeys,
      'followUp',
      'status',
      'planId',
      'findingId',
      'version',
      'createdBy',
      'scope',
      'cause',
      'recommendation',
      'criteria',
      'evidenceIds',
      'correctionOf',
      'disposalId',
      'fiscalYear',
      'verifiedPhotoIds',
      'objectKey',
      'uploadedBy',
      'detectedType',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'schedule.from',
      'schedule.to',
      'schedule.byDepartment',
      'team.0.role',
      'team.0.userId',
      'team.3',
      'auditedDepartments.0',
      'methods.1',
      'article.article',
      'article.branch',
      'evidenceIds.0',
      'target.type',
      'target.id',
      'target.department',
      'target.0',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '__proto__.polluted') },
  { weight: 1, arbitrary: fc.string() },
);

/** Sets or deletes `path` (dotted) in a deep copy of `obj`. */
function mutate(obj: Record<string, unknown>, path: string, op: 'set' | 'delete', value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
  const parts = path.split('.');
  let target: Record<string, unknown> = copy;
  for (const p of parts.slice(0, -1)) {
    const next = Object.hasOwn(target, p) ? target[p] : undefined;
    if (typeof next !== 'object' || next === null) return copy;
    target = next as Record<string, unknown>;
  }
  const last = parts.at(-1) as string;
  if (op === 'delete') delete target[last];
  else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Values the evidence and disposal fields trip over: sizes around the limit, hashes, types, file names, dates. */
const fileFieldArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    1,
    -1,
    1.5,
    jpeg.length,
    jpeg.length + 1,
    20 * 1024 * 1024,
    20 * 1024 * 1024 + 1,
    2 ** 53,
    Number.MAX_SAFE_INTEGER + 2,
    '125',
    sha256(jpeg),
    sha256(png).toUpperCase(),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85',
    `${sha256(jpeg)}0`,
    'image/jpeg',
    ' IMAGE/JPEG ',
    'image/gif',
    'text/html',
    'image/svg+xml',
    'application/x-msdownload',
    'image/jpeg; charset=utf-8',
    '',
    '../../etc/passwd',
    'a/b.jpg',
    'a\\b.jpg',
    '廃棄証明書 2026.jpg',
    'CON',
    '.',
    'x'.repeat(256),
    'x'.repeat(255),
    '2026-11-20T10:00:00+09:00',
    '2026-11-20T10:00:00',
    '2026-11-20',
    '9999-12-31T23:59:59Z',
    'plan',
    'inspection',
    'disposal',
    'paper',
    'shredding',
    'server',
    disposalDate,
    '2099-01-01',
    '2000-02-29',
  ),
  fc.constantFrom(...Object.keys(allowedTypes), ...disposalMedia, ...disposalMethods),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.record(
    { type: fc.constantFrom(...evidenceTargetTypes, 'inspection', ''), id: fc.oneof(anyIdArb, ulidArb, fc.string()) },
    { requiredKeys: [] },
  ),
);

const mutationValueArb = fc.oneof(
  { weight: 4, arbitrary: weirdJsonArb },
  { weight: 2, arbitrary: fileFieldArb },
  { weight: 1, arbitrary: articleArb },
  {
    weight: 1,
    arbitrary: fc.constantFrom(dueDate, '2000-01-01', '2026-02-29', '2028-02-29', '9999-12-31', '2026-1-1', '20261001', 'today'),
  },
  { weight: 1, arbitrary: fc.array(fc.oneof(anyIdArb, ulidArb, fc.string()), { maxLength: 60 }) },
);

/** A valid body of the route (any base when none fits) with one to three fields set to odd values or deleted. */
function mutatedArbFor(route: RouteDef): fc.Arbitrary<Record<string, unknown>> {
  const all = bases();
  const own = all.filter((b) => route.body !== undefined && z.safeParse(route.body, b).success);
  return fc
    .tuple(
      fc.constantFrom(...(own.length > 0 ? own : all)),
      fc.array(fc.tuple(mutationKeyArb, fc.constantFrom<'set' | 'delete'>('set', 'delete'), mutationValueArb), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map(([base, ms]) => ms.reduce((b, [path, op, value]) => mutate(b, path, op, value), base));
}

/** Mostly `good`, now and then an odd value of any field. */
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 9, arbitrary: good as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fileFieldArb });

/** POST /evidence bodies: real or odd targets, allowed and refused types, sizes at the limit, good and bad hashes. */
const evidenceBodyArb: fc.Arbitrary<unknown> = fc.record(
  {
    target: fc.oneof(
      { weight: 8, arbitrary: pick(() => targets.map(({ type, id }) => ({ type, id }))) },
      { weight: 2, arbitrary: fc.record({ type: fc.constantFrom(...evidenceTargetTypes), id: fc.oneof(anyIdArb, ulidArb) }) },
      { weight: 1, arbitrary: fileFieldArb },
    ),
    fileName: mostly(
      fc.oneof(
        fc.constantFrom('廃棄証明書.jpg', '監査計画書.pdf', 'a.png', '施錠 キャビネット (2).HEIC'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
      ),
    ),
    contentType: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...Object.keys(allowedTypes)) }, { weight: 1, arbitrary: fileFieldArb }),
    size: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 21 * 1024 * 1024 }) }, { weight: 1, arbitrary: fileFieldArb }),
    sha256: mostly(fc.stringMatching(/^[0-9a-fA-F]{64}$/)),
    capturedAt: mostly(
      fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString()),
    ),
  },
  { requiredKeys: ['target', 'fileName', 'contentType', 'size', 'sha256'] },
);

/** POST /disposals bodies: own and other 課, past and future dates, with and without contractor, witness and corrections. */
const disposalBodyArb: fc.Arbitrary<unknown> = fc.record(
  {
    department: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...auditedSections) },
      { weight: 1, arbitrary: fc.constantFrom('citizen-affairs', 'policy-planning', 'no-such-section', '') },
    ),
    disposedOn: mostly(fc.constantFrom(disposalDate, '2026-04-01', '2025-03-31', '2099-01-01')),
    media: mostly(fc.constantFrom(...disposalMedia)),
    method: mostly(fc.constantFrom(...disposalMethods)),
    contractor: mostly(fc.oneof(fc.constant('株式会社○○リサイクル'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 210 }))),
    witness: mostly(fc.oneof(fc.constant(null), fc.constantFrom(...demoUsers.map((u) => u.id)), fc.string({ maxLength: 140 }))),
    certificateNumber: mostly(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 110 })),
    description: mostly(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })),
    evidenceIds: mostly(fc.array(fc.oneof(idOf('evidenceId'), ulidArb), { maxLength: 4 })),
    correctionOf: fc.oneof(
      { weight: 3, arbitrary: idOf('disposalId') },
      { weight: 1, arbitrary: anyIdArb },
      { weight: 1, arbitrary: ulidArb },
    ),
  },
  { requiredKeys: ['department', 'disposedOn', 'media', 'method'] },
);

/** Bodies near what the routes take: valid ones, subsets, and the text fields with any string. */
const plausibleBodyArb = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...bases()),
    evidenceBodyArb,
    disposalBodyArb,
    fc.record({ comment: fc.oneof(fc.string({ unit: 'grapheme' }), weirdJsonArb) }, { requiredKeys: [] }),
    fc.record({ reason: fc.oneof(fc.string({ unit: 'grapheme' }), weirdJsonArb) }, { requiredKeys: [] }),
    fc.record(
      { note: fc.string({ unit: 'grapheme' }), evidenceIds: fc.array(fc.oneof(anyIdArb, ulidArb), { maxLength: 3 }) },
      { requiredKeys: [] },
    ),
    fc.record(
      { description: fc.string({ unit: 'grapheme' }), dueDate: fc.constantFrom(dueDate, '2000-01-01', '2026-02-30') },
      { requiredKeys: [] },
    ),
    fc.tuple(fc.constantFrom(...bases()), fc.nat()).map(([b, n]) => Object.fromEntries(Object.entries(b).filter((_, i) => (n >> i) & 1))),
    articleArb.map((article) => ({ ...findingBody(lead, 'citizens'), article })),
  );

const hugeBodies = [
  JSON.stringify(planBody({ purpose: 'あ'.repeat(35_000) })),
  JSON.stringify({ ...findingBody(lead, 'citizens'), observation: '所'.repeat(34_000) }),
  JSON.stringify({ reason: 'x'.repeat(100_000) }),
  JSON.stringify({ comment: '監'.repeat(34_000) }),
  JSON.stringify({ ...evidenceBody(noTarget), fileName: '証'.repeat(34_000) }),
  JSON.stringify(disposalBody('citizens', { evidenceIds: Array.from({ length: 5_000 }, () => '0'.repeat(26)) })),
  'x'.repeat(100_000),
  JSON.stringify(Array.from({ length: 20_000 }, (_, i) => i)),
  JSON.stringify(Object.fromEntries(Array.from({ length: 8_000 }, (_, i) => [`k${i}`, i]))),
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
];

const nonJsonTexts = [
  'undefined',
  'NaN',
  "{'a':1}",
  '\uFEFF{}',
  '{"a":1}{"b":2}',
  '[',
  '{',
  '"',
  'null',
  'true',
  '0',
  '""',
  '{"reason":"\\ud800"}',
  '{"__proto__":{"polluted":1}}',
];

interface BodySpec {
  text: string | undefined;
  contentType: string | undefined;
}

/** Bodies of every kind; routes that take none mostly get none, so the other checks are reached too. */
function bodyArbFor(route: RouteDef): fc.Arbitrary<BodySpec> {
  const takesBody = route.body !== undefined;
  const mutated = mutatedArbFor(route);
  const plausibleBody = plausibleBodyArb();
  /** The route's own generator, where it has one. */
  const ownBody = route.id === 'createEvidence' ? evidenceBodyArb : route.id === 'createDisposal' ? disposalBodyArb : undefined;
  const text: fc.Arbitrary<string | undefined> = fc.oneof(
    { weight: takesBody ? 2 : 40, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('{}', ' ', '') },
    { weight: 3, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
    { weight: takesBody ? 6 : 2, arbitrary: mutated.map((b) => JSON.stringify(b)) },
    { weight: takesBody ? 6 : 1, arbitrary: plausibleBody.map((b) => JSON.stringify(b) ?? 'null') },
    { weight: ownBody ? 12 : 0, arbitrary: (ownBody ?? plausibleBody).map((b) => JSON.stringify(b) ?? 'null') },
    { weight: 2, arbitrary: fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom(...nonJsonTexts)) },
    {
      weight: 1,
      arbitrary: fc.tuple(mutated, fc.nat()).map(([b, n]) => {
        const s = JSON.stringify(b);
        return s.slice(0, n % s.length);
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom(...hugeBodies) },
    // A file route (the register's CSV, an e-learning system's attendance CSV): rows of any text under its header, quoted or not.
    {
      weight: route.raw ? 12 : 0,
      arbitrary: fc
        .array(fc.string({ unit: 'grapheme' }), { maxLength: 6 })
        .map((rows) => [route.id === 'importAttendance' ? attendanceCsvHeader : staffCsvHeader, ...rows].join('\r\n')),
    },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant<string | undefined>(route.raw?.type ?? 'application/json') },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom(...contentTypes) },
  );
  return fc.tuple(text, contentType).map(([t, ct]) => ({ text: t, contentType: ct }));
}

type CallerSpec =
  | { kind: 'user'; id: string }
  | { kind: 'custom'; id: string; name: string; roles: string[]; department: string }
  | { kind: 'anonymous' }
  | { kind: 'header'; value: string }
  | { kind: 'tampered'; id: string; at: number }
  | { kind: 'foreign' };

const callerArb: fc.Arbitrary<CallerSpec> = fc.oneof(
  // the 監査責任者 and the 総括保護管理者 get further into the use cases, so they call more often; so
  // do the 課 workers, who attach evidence and record disposals
  { weight: 8, arbitrary: fc.constantFrom(lead, chief).map((id) => ({ kind: 'user' as const, id })) },
  { weight: 2, arbitrary: fc.constantFrom('citizens-staff', 'tax-manager').map((id) => ({ kind: 'user' as const, id })) },
  { weight: 10, arbitrary: fc.constantFrom(...demoUsers.map((u) => u.id)).map((id) => ({ kind: 'user' as const, id })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('custom' as const),
      id: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 })),
      name: fc.string({ unit: 'grapheme', maxLength: 20 }),
      roles: fc.subarray([...roles, 'admin', '', 'auditLead auditorDx', '[chiefManager]', 'chiefManager,auditLead']),
      department: fc.string({ maxLength: 30 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'anonymous' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.string().map((s) => `Bearer ${s}`),
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'bearer x.y.z',
          'Basic dXNlcjpwYXNz',
          'Bearer a.b.c',
          'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ2aWNlLW1heW9yIn0.',
          'Bearer  x  y',
        ),
      )
      .filter((v) => /^[\x20-\x7e]*$/.test(v))
      .map((value) => ({ kind: 'header' as const, value })),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tampered' as const), id: fc.constantFrom(lead, chief), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'foreign' as const }) },
);

const ifMatchArb = fc.option(
  fc.constantFrom('"1"', '"2"', '"3"', '*', 'W/"1"', '"0"', '""', '"99999999999999999999"', '1', 'abc', ' "3" ', '"1", "2"', '"-1"'),
  { nil: undefined },
);

interface Case {
  caller: CallerSpec;
  /** One wire segment per path parameter, in order. */
  segments: string[];
  query: string;
  body: BodySpec;
  ifMatch: string | undefined;
}

const paramsOf = (route: RouteDef) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

function caseArbFor(route: RouteDef): fc.Arbitrary<Case> {
  const segments = fc.tuple(...paramsOf(route).map(segmentArbFor));
  return fc.record({ caller: callerArb, segments, query: queryArbFor(route), body: bodyArbFor(route), ifMatch: ifMatchArb });
}

// ---------------------------------------------------------------- running

async function authorization(c: CallerSpec): Promise<string | undefined> {
  switch (c.kind) {
    case 'anonymous':
      return undefined;
    case 'header':
      return c.value;
    case 'foreign':
      return `Bearer ${foreignToken}`;
    case 'user':
      return `Bearer ${await stack.token(c.id)}`;
    case 'custom':
      return `Bearer ${await stack.token({ id: c.id, name: c.name, roles: c.roles as never, department: c.department })}`;
    case 'tampered': {
      const t = await stack.token(c.id);
      const i = c.at % t.length;
      const swapped = t[i] === 'A' ? 'B' : 'A';
      return `Bearer ${t.slice(0, i)}${swapped}${t.slice(i + 1)}`;
    }
  }
}

async function requestOf(route: RouteDef, c: Case): Promise<RawRequest> {
  let i = 0;
  const path = route.path.replace(/\{\w+\}/g, () => c.segments[i++] ?? '') + (c.query === '' ? '' : `?${c.query}`);
  const headers: Record<string, string> = {};
  const auth = await authorization(c.caller);
  if (auth !== undefined) headers.authorization = auth;
  if (c.body.contentType !== undefined && c.body.text !== undefined) headers['content-type'] = c.body.contentType;
  if (c.ifMatch !== undefined) headers['if-match'] = c.ifMatch;
  return { method: route.method, path, headers, ...(c.body.text === undefined ? {} : { body: c.body.text }) };
}

/** Routes that answer documents (HTML, XLSX, CSV) rather than JSON, and the types they may answer. */
const documentTypes: Record<string, RegExp> = {
  exportPlanForm: /^(text\/html|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)\b/,
  exportPlanResults: /^(text\/html|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)\b/,
  exportIncidentReport: /^(text\/html|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)\b/,
  exportIncidentReviewList: /^(text\/html|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)\b/,
  exportStaffForm1: /^(text\/html|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)\b/,
  exportStaffForm2: /^(text\/html|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)\b/,
  exportTrainingForm3: /^(text\/html|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)\b/,
  exportAuditLog: /^text\/csv\b/,
};

/** Why a reply breaks the contract, or undefined when it keeps it. */
function violation(r: RawReply, routeId?: string): string | undefined {
  if (r.status >= 500) return 'server error';
  const type = String(r.headers['content-type'] ?? '');
  const expected = (routeId && documentTypes[routeId]) || /^application\/json\b/;
  if (r.status < 400) return expected.test(type) ? undefined : `2xx without the route's content type (${type})`;
  if (!type.startsWith('application/problem+json')) return `4xx without application/problem+json (${type})`;
  const p = r.json as Record<string, unknown> | undefined;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return '4xx body is not a JSON object';
  for (const k of ['type', 'title', 'detail'] as const)
    if (typeof p[k] !== 'string' || p[k] === '') return `problem.${k} is not a non-empty string`;
  if (p.status !== r.status) return `problem.status ${String(p.status)} ≠ HTTP ${r.status}`;
  if (r.status === 400 && !Array.isArray(p.errors) && !(typeof p.detail === 'string' && p.detail.length > 0))
    return '400 without errors or detail';
  return undefined;
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function describeFailure(req: RawRequest, r: RawReply | undefined, why: string): string {
  const auth = req.headers?.authorization;
  return [
    `${why}`,
    `request: ${req.method} ${clip(req.path)}`,
    `  headers: ${JSON.stringify({ ...req.headers, ...(auth ? { authorization: clip(auth, 40) } : {}) })}`,
    `  body: ${req.body === undefined ? '(none)' : clip(String(req.body))}`,
    r ? `response: ${r.status} ${String(r.headers['content-type'] ?? '')} ${clip(r.text)}` : 'response: none',
  ].join('\n');
}

interface RouteStats {
  cases: number;
  serverErrors: number;
  byStatus: Map<number, number>;
}

describe('fuzzing every route over HTTP', () => {
  it('answers a body over the 10 MB payload limit with a 413 problem, not a reset connection', async () => {
    const authorization = `Bearer ${await stack.token(lead)}`;
    const r = await client.send({
      method: 'POST',
      path: '/plans',
      headers: { authorization, 'content-type': 'application/json' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect(r.status).toBe(413);
    expect(violation(r)).toBeUndefined();
  });

  it("answers a request line and headers over 16 KB (a long percent-encoded query) with a 431 problem, not Node's bare answer", async () => {
    const authorization = `Bearer ${await stack.token(lead)}`;
    const long = await client.send({
      method: 'GET',
      path: `/evidence/x?q=${encodeURIComponent('証'.repeat(2_000))}`,
      headers: { authorization },
    });
    expect(long.status).toBe(431);
    expect(violation(long)).toBeUndefined();
    expect((long.json as { detail: string }).detail).toMatch(/長すぎます/);
  });

  it(`answers ${runsPerRoute} generated requests per route with no 5xx and only problem+json 4xx`, { timeout: 300_000 }, async () => {
    const started = Date.now();
    const stats = new Map<string, RouteStats>(fuzzed.map((r) => [r.id, { cases: 0, serverErrors: 0, byStatus: new Map() }]));

    const results = await Promise.all(
      fuzzed.map(async (route) => {
        const s = stats.get(route.id) as RouteStats;
        const property = fc.asyncProperty(caseArbFor(route), async (c) => {
          const req = await requestOf(route, c);
          s.cases++;
          let reply: RawReply;
          try {
            reply = await client.send(req);
          } catch (err) {
            throw new Error(describeFailure(req, undefined, `transport error: ${(err as Error).message}`), { cause: err });
          }
          s.byStatus.set(reply.status, (s.byStatus.get(reply.status) ?? 0) + 1);
          if (reply.status >= 500) s.serverErrors++;
          const why = violation(reply, route.id);
          if (why) throw new Error(describeFailure(req, reply, why));
        });
        // Shrinking over HTTP can outlast the test's timeout and lose the report: the full run
        // stops at the first counterexample and prints how to replay (and shrink) it.
        const details = await fc.check(property, {
          numRuns: runsPerRoute,
          includeErrorInReport: true,
          ...(replay ?? { endOnFailure: true }),
        });
        return { route, details };
      }),
    );

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const all = [...stats.values()];
    const total = all.reduce((n, s) => n + s.cases, 0);
    const serverErrors = all.reduce((n, s) => n + s.serverErrors, 0);
    for (const [id, s] of stats) {
      const statuses = [...s.byStatus]
        .sort(([a], [b]) => a - b)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ');
      console.log(`fuzz ${id}: ${s.cases} cases — ${statuses}`);
    }
    console.log(`fuzz: ${fuzzed.length} routes, ${total} cases, ${serverErrors} server errors (${seconds} s)`);

    const failures = results
      .filter((r) => r.details.failed)
      .map(({ route, details }) => {
        const again = `FUZZ_ROUTE=${route.id} FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ''} npx vitest run test/integration/fuzz.test.ts`;
        return `── ${route.id} (${route.method} ${route.path}); replay: ${again}\n${fc.defaultReportMessage(details)}`;
      });
    expect(failures.join('\n\n')).toBe('');
    expect(serverErrors).toBe(0);
    if (replay) return; // a replay runs the one counterexample, not the full count
    for (const [id, s] of stats) expect(s.cases, id).toBeGreaterThanOrEqual(runsPerRoute);
    if (process.env.FUZZ_ROUTE) return; // one route on purpose
    expect(fuzzed).toHaveLength(routeList.length);
    expect(total).toBeGreaterThanOrEqual(routeList.length * runsPerRoute);
  });
});
