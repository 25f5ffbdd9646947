import { performance } from 'node:perf_hooks';
import { type RouteId, routeKey, routes, routeList } from '#lib/http/routes.js';
import { fiscalYearOfDate } from '#lib/domain/calendar.js';
import { allSections } from '#lib/domain/organisation.js';
import { maxRegister } from '#lib/domain/staff.js';
import { jpeg } from '#test/fixtures/files.js';
import {
  auditedSections,
  chief,
  disposalBody,
  disposalYear,
  dueDate,
  evidenceBody,
  findingBody,
  lead,
  workerOf,
} from '#test/support/audit-data.js';
import { type CallOptions, type Reply, type TestStack, planBody } from '#test/support/stack.js';
import { staffCsvHeader } from '#test/support/staff-data.js';
import type { BenchStack, Teardown } from './support/local-stack.js';
import { type SdkCall, SdkCounter, describeCalls, roundTrips } from './support/sdk-counter.js';
import type { BenchRow, BenchSection } from './support/section.js';
import { assertFreshProcess, benchSection, handlersDocumentClient } from './warm.js';

/**
 * DynamoDB (and S3) round trips per request, for every route: one representative
 * successful request each, through the local gateway, with the calls counted by an SDK
 * middleware on the clients the handlers use, against the least the request needs:
 * 1 for a read, 1 per page for a list, 1 transaction for a change, plus 1 read where a
 * change of an existing entity needs its current state.
 */

interface Minimum {
  min: number;
  why: string;
  /** What the calls above the minimum are for (shown only when there are some). */
  extra?: string;
}

const read = (what: string): Minimum => ({ min: 1, why: `1 GetItem (${what})` });
const page: Minimum = { min: 1, why: '1 Query (one page)' };
const create: Minimum = { min: 1, why: '1 transaction (a new item and its event)' };
const change = (what: string): Minimum => ({ min: 2, why: `1 read + 1 transaction (${what})` });
const none: Minimum = { min: 0, why: 'no table data' };

/** Why recording attendance reads the session's open tasks. */
const followUpQuery =
  '+1 Query of the session’s open tasks on every record, so that a follow-up task (再受講) the roll settles closes in the same transaction; such a task exists only once the session has ended and the training-followup duty has run. The roll could name its 課’s open follow-up task, as an action names its open tasks (openTaskIds), and spare the Query whenever there is none';

const minimum: Record<RouteId, Minimum> = {
  health: none,
  getMe: none,
  getOpenApi: none,
  getProfile: none,
  // Creating the year's plan closes its drafting task (annual-plan duty) in the same transaction, so the request must look for it.
  createPlan: {
    min: 2,
    why: '1 Query (the 年度’s open drafting task, by the task-subject index) + 1 transaction',
    extra: '+1 consistent BatchGetItem of the drafting task when there is one to close (once a year)',
  },
  listPlans: page,
  getPlan: read('the plan'),
  updatePlan: change('editable only as draft/returned'),
  submitPlan: change('state machine'),
  approvePlan: change('state machine'),
  returnPlan: change('state machine'),
  startPlan: change('state machine'),
  createPlanRevision: change('the approved plan records its open revision'),
  reportPlan: {
    ...change('state machine'),
    extra:
      'the report gate (第26条1項) reads every finding and every action of the plan from its partition, strongly consistent: +1 Query per 100 of them (its CHILD# prefix holds both)',
  },
  closePlan: {
    ...change('state machine'),
    extra:
      'the close gate (第28条) reads every action of the plan (+1 Query per 100 actions) and conditions the transaction on each one’s version',
  },
  createFinding: {
    ...create,
    extra:
      'reads the plan: it must be inProgress, audit the finding’s 課, and its fiscal year is copied; its version conditions the transaction (bumpChildren). Status and 課 could be transaction conditions, the fiscal year could not',
  },
  listFindings: page,
  getFinding: read('the finding'),
  updateFinding: {
    ...change('the finding'),
    extra:
      'also reads the plan (must still be inProgress; its version guards the report gate); changing the article or 課 reads every action of the plan as well',
  },
  createAction: {
    ...create,
    extra:
      'reads the finding (its 課, scope and author decide who may add the action; its summary is copied) and then the plan (must be inProgress or reported; its version conditions the transaction)',
  },
  listActions: page,
  getAction: read('the action'),
  listActionNotes: { ...page, extra: 'reads the action first (exists, and the caller may see its 課)' },
  progressAction: change('state machine'),
  submitAction: change('state machine'),
  verifyAction: change('state machine, the verifier must not be the submitter'),
  reopenAction: change('state machine'),
  acceptRisk: change('state machine'),
  createEvidence: {
    ...create,
    extra: 'reads the target (plan, finding, action or disposal) to check it exists and that the uploader may attach to it',
  },
  listEvidence: { ...page, extra: 'reads the target first (exists, and the caller may read its evidence)' },
  getEvidence: { ...read('the evidence'), extra: 'evidence on a finding or action also reads the target for authorization' },
  downloadEvidence: change('status and object key; the transaction records the download in the audit trail'),
  createDisposal: create,
  listDisposals: page,
  getDisposal: read('the disposal record'),
  // The entity's item comes with the trail's first page (lib/store/keys.ts entityAndTrail): who may read it, and the chain head it records.
  verifyAuditLog: { min: 1, why: '1 Query per page of the entity’s item and its trail' },
  getAuditLog: {
    ...page,
    extra:
      'reads the entity first (GetItem): the caller must see it (else 404, as for an unknown id) and hold auditLog:read on it (else 403). A page of the trail cannot bring the item along: pages run oldest first through EVENT#V…, and the item’s key sorts after them (PLAN here, FINDING, …); where it sorts before them (ACTION, CCHECK, …), a first page could, a later one never',
  },
  exportPlanForm: read('the plan'),
  exportPlanResults: {
    min: 2,
    why: '1 GetItem + 1 Query per page of the plan’s children (findings and actions share the CHILD# prefix of its partition)',
  },
  exportIncidentReport: { min: 1, why: '1 GetItem (the 事案)', extra: '+1 GetItem of the 委託先 when the 事案 names one' },
  exportIncidentReviewList: { min: 1, why: '1 Query per page of the 年度’s 事案 (every 課: one partition of gsi1)' },
  // The forms read the register of each 課 listed (the caller's own here; every 課 for the chief: see the variant).
  exportStaffForm1: {
    min: 1,
    why: '1 Query per page of each listed 課’s register (its people and their periods: one partition of gsi1; one 課 for its 保護管理者)',
  },
  exportStaffForm2: {
    min: 1,
    why: '1 Query per page of each listed 課’s register (its people and their periods: one partition of gsi1; one 課 for its 保護管理者)',
  },
  exportTrainingForm3: { min: 1, why: '1 Query per page of the 年度’s sessions (one partition of gsi1)' },
  exportAuditLog: { min: 1, why: '1 Query per page of the entity’s item and its trail' },
  // A role's tasks are shared by whoever holds it, so they cannot also be keyed by person.
  listTasks: {
    min: 2,
    why: '1 Query per partition the caller’s tasks are in, one page each, in parallel: one per role held (one here) + one of the tasks assigned to them by name (TASKS#USER#<sub>)',
  },
  getTask: read('the task'),
  listInspections: page,
  getInspection: read('the 点検'),
  updateInspection: change('editable only while open'),
  submitInspection: {
    min: 3,
    why: '2 GetItems (the 点検, its task) + 1 transaction (the 点検, its task closed and the chief’s task of a report together)',
  },
  reviewInspection: { min: 3, why: '2 GetItems (the 点検, the chief’s task) + 1 transaction (the 見直し and the task closed together)' },
  createContractor: create,
  listContractors: page,
  getContractor: read('the contractor'),
  updateContractor: change('the contractor'),
  listContractorChecks: page,
  getContractorCheck: read('the check'),
  completeContractorCheck: {
    min: 3,
    why: '2 GetItems (the check, its task) + 1 transaction (the check and its task closed together)',
    extra:
      'also reads the check’s 委託先 (GetItem): the 再委託先 answered are held to those it has on record, and its version conditions the transaction, so an edit of the 委託先 meanwhile fails the completion (409). It and the task could come in one BatchGetItem (both ids are on the check) through a reader of two entity types, which the stores do not have',
  },
  // 事案: each step is one transaction with its tasks and its outbox claim; closing a task needs it found first.
  createIncident: create,
  listIncidents: page,
  getIncident: read('the 事案'),
  updateIncident: {
    min: 3,
    why: '1 GetItem (the 事案) + 1 Query (its open tasks: report tasks replaced, deadline tasks settled) + 1 transaction',
  },
  containIncident: change('the 事案'),
  investigateIncident: {
    min: 3,
    why: '1 GetItem (the 事案) + 1 Query (its open tasks) + 1 transaction (the response task closed together)',
  },
  escalateIncident: change('the 事案'),
  recordIncidentPrevention: change('the 事案'),
  acknowledgeIncident: { min: 3, why: '1 GetItem (the 事案) + 1 Query (its open tasks) + 1 transaction (the 課’s task closed together)' },
  recordIncidentPpcReport: {
    min: 3,
    why: '1 GetItem (the 事案) + 1 Query (its open tasks) + 1 transaction (the report tasks closed by the 確報)',
  },
  recordIncidentNotice: change('the 事案'),
  closeIncident: { min: 3, why: '1 GetItem (the 事案) + 1 Query (its open tasks) + 1 transaction (its tasks closed together)' },
  // The register of a 課 is one partition of gsi1 (its people and their periods), read to its end: a few hundred items, one page.
  createStaff: {
    min: 2,
    why: '1 Query per page of the 課’s register (a 職員番号 is unique among the people on it today or later, which no condition can say) + 1 transaction',
  },
  listStaff: {
    min: 1,
    why: '1 Query per page of the 課’s register: the register of a date is worked out from every person and period, so each request reads it whole and pages the result',
  },
  importStaff: {
    min: 2,
    why: '1 Query per page of the 課’s register (rows matched on 職員番号) + 1 transaction (every change and its event)',
  },
  getStaff: read('the person'),
  updateStaff: change('a change from a later date keeps a period item beside the person, in the same transaction'),
  createTraining: create,
  listTrainings: {
    min: 3,
    why: '1 Query (a page of the 年度’s sessions) + 1 Query per page of each 課 whose attendance the caller reads (its register; one 課 for its 保護管理者) + 1 Query per session (its rolls, by 課)',
  },
  getTraining: {
    min: 3,
    why: '1 GetItem (the session) + 1 Query per page of each 課 whose attendance the caller reads (its register; one 課 for its 保護管理者) + 1 Query (the session’s rolls)',
  },
  updateTraining: change('the session'),
  // Attendance: the session, the 課's register (who is in its audience) and its roll are what the new roll is made from.
  recordAttendance: {
    min: 4,
    why: '1 GetItem (the session) + 1 Query (the 課’s register: who is in its audience) + 1 GetItem (its roll) + 1 transaction',
    extra: followUpQuery,
  },
  listNonAttendees: { min: 3, why: '1 GetItem (the session) + 1 Query (the 課’s register) + 1 GetItem (its roll)' },
  importAttendance: {
    min: 4,
    why: '1 GetItem (the session) + 1 Query (the 課’s register: rows matched on 職員番号) + 1 GetItem (its roll) + 1 transaction',
    extra: followUpQuery,
  },
};

interface Measured {
  label: string;
  route: RouteId;
  status: number;
  calls: SdkCall[];
  min: Minimum;
}

const section = benchSection(import.meta.url, measure);
/** The section, measured in a process of its own (see benchSection). */
export const run = section.run;

/** The test helpers' view of the bench stack (test/support/audit-data.ts drives the same flows). */
function testStackOf(stack: BenchStack): TestStack {
  const call: TestStack['call'] = async (method: string, path: string, opts: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.as) headers.authorization = `Bearer ${await stack.token(opts.as)}`;
    // A raw body (a CSV) goes as it is, under the content type its caller gave.
    const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const res = await fetch(`${stack.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined; // a document (HTML, CSV, XLSX), not JSON
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  return {
    baseUrl: stack.baseUrl,
    origin: stack.origin,
    tableName: stack.tableName,
    endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    s3: stack.s3,
    token: stack.token,
    call,
    close: stack.close,
  };
}

async function measure(stack: BenchStack, teardown: Teardown, started: number): Promise<BenchSection> {
  const ts = testStackOf(stack);
  const { deps, runtime } = await import('#lib/runtime/ports.js');
  await assertFreshProcess();
  const counter = new SdkCounter();
  counter.attach(await handlersDocumentClient(), 'dynamodb');
  // The evidence bucket's one S3 client.
  counter.attach(await runtime().s3Client, 's3');
  teardown.add(() => counter.detach());

  /** A setup step that must succeed; its calls are not counted. */
  const ok = async (method: string, path: string, as: string, body?: unknown): Promise<Reply> => {
    const r = await ts.call(method, path, { as, ...(body === undefined ? {} : { body }) });
    if (r.status >= 300) throw new Error(`setup: ${method} ${path} as ${as} → ${r.status} ${r.text}`);
    await stack.s3.settled();
    return r;
  };
  const results: Measured[] = [];
  /** The measured request: every SDK call from the request until its reply (and any S3 event it caused) is counted. */
  const counted = async (
    route: RouteId,
    as: string | undefined,
    path: string,
    body?: unknown,
    opts: { label?: string; headers?: Record<string, string>; min?: Minimum } = {},
  ): Promise<Reply> => {
    await stack.s3.settled();
    const mark = counter.mark();
    // A string is a file (the CSV of an import), sent as it is.
    const headers = { ...opts.headers, ...(typeof body === 'string' ? { 'content-type': 'text/csv' } : {}) };
    const r = await ts.call(routes[route].method, path, {
      ...(as ? { as } : {}),
      ...(typeof body === 'string' ? { rawBody: body } : body === undefined ? {} : { body }),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    });
    await stack.s3.settled();
    const calls = counter.since(mark);
    if (r.status >= 300) throw new Error(`${route}: ${routes[route].method} ${path} → ${r.status} ${r.text}`);
    results.push({ label: opts.label ?? `${routeKey(routes[route])}`, route, status: r.status, calls, min: opts.min ?? minimum[route] });
    return r;
  };

  // Plans in every state the plan routes start from.
  const newPlan = async () =>
    (await ok('POST', '/plans', lead, planBody({ auditedDepartments: Object.keys(workerOf) }))).body.planId as string;
  const step = (planId: string, s: string, as: string, body?: unknown) => ok('POST', `/plans/${planId}/${s}`, as, body ?? {});
  const inProgress = async () => {
    const id = await newPlan();
    await step(id, 'submit', lead);
    await step(id, 'approve', chief);
    await step(id, 'start', lead);
    return id;
  };
  const finding = async (planId: string, department = 'citizens') =>
    (await ok('POST', `/plans/${planId}/findings`, lead, findingBody(lead, department))).body.findingId as string;
  const action = async (findingId: string) =>
    (await ok('POST', `/findings/${findingId}/actions`, lead, { description: '手順書を改訂する', dueDate })).body.actionId as string;

  // The counters see the handlers' clients: a read must register.
  const probe = await newPlan();
  const mark = counter.mark();
  await ok('GET', `/plans/${probe}`, lead);
  if (roundTrips(counter.since(mark), 'dynamodb') === 0)
    throw new Error('the SDK counter saw no DynamoDB call: the handlers use another client');

  // System routes.
  await counted('health', undefined, '/health');
  await counted('getMe', lead, '/me');
  await counted('getOpenApi', lead, '/openapi.json');
  await counted('getProfile', lead, '/profile');

  // Plans.
  const created = await counted('createPlan', lead, '/plans', planBody({ auditedDepartments: Object.keys(workerOf) }));
  const draft = created.body.planId as string;
  await counted('listPlans', lead, '/plans?fiscalYear=2026&limit=20');
  await counted('getPlan', lead, `/plans/${draft}`);
  await counted(
    'updatePlan',
    lead,
    `/plans/${draft}`,
    { purpose: '保有個人情報等の管理状況を検証する' },
    { headers: { 'if-match': '"1"' } },
  );
  await counted('submitPlan', lead, `/plans/${draft}/submit`, {});
  await counted('approvePlan', chief, `/plans/${draft}/approve`, { comment: '承認します。' });
  const toReturn = await newPlan();
  await step(toReturn, 'submit', lead);
  await counted('returnPlan', chief, `/plans/${toReturn}/return`, { reason: '監査範囲を見直してください。' });
  const revision = (await counted('createPlanRevision', lead, `/plans/${draft}/revisions`, {})).body.planId as string;
  // A plan with a revision under review cannot start: start another approved plan.
  const approved = await newPlan();
  await step(approved, 'submit', lead);
  await step(approved, 'approve', chief);
  await counted('startPlan', lead, `/plans/${approved}/start`, {});

  // Findings and actions on an in-progress plan.
  const host = await inProgress();
  const f1 = (await counted('createFinding', lead, `/plans/${host}/findings`, findingBody(lead, 'citizens'))).body.findingId as string;
  await finding(host, 'resident-tax');
  await counted('listFindings', lead, `/plans/${host}/findings`);
  await counted('getFinding', lead, `/findings/${f1}`);
  await counted('updateFinding', lead, `/findings/${f1}`, { title: '保有個人情報の持出し記録の不備' });
  const a1 = (await counted('createAction', lead, `/findings/${f1}/actions`, { description: '手順書を改訂する', dueDate })).body
    .actionId as string;
  await counted('listActions', lead, '/actions');
  await counted('getAction', lead, `/actions/${a1}`);
  const worker = workerOf.citizens as string;
  await counted('progressAction', worker, `/actions/${a1}/progress`, { note: '着手しました。' });
  await counted('submitAction', worker, `/actions/${a1}/submit`, { note: '対応しました。', evidenceIds: [] });
  await counted('verifyAction', lead, `/actions/${a1}/verify`, { comment: '確認しました。' });
  await counted('listActionNotes', worker, `/actions/${a1}/notes`);
  const a2 = await action(await finding(host));
  await ok('POST', `/actions/${a2}/submit`, worker, { note: '対応しました。', evidenceIds: [] });
  await counted('reopenAction', lead, `/actions/${a2}/reopen`, { reason: '証跡が不足しています。' });
  const a3 = await action(await finding(host));
  await counted('acceptRisk', chief, `/actions/${a3}/accept-risk`, { reason: '代替措置で足りるため受容する。' });

  // Report and close: a plan whose findings each have an action, settled after the report.
  const closing = await inProgress();
  const settled: [string, string][] = [];
  for (const department of ['citizens', 'resident-tax']) settled.push([await action(await finding(closing, department)), department]);
  await counted('reportPlan', lead, `/plans/${closing}/report`, {});
  for (const [id, department] of settled) {
    await ok('POST', `/actions/${id}/submit`, workerOf[department] as string, { note: '対応しました。', evidenceIds: [] });
    await ok('POST', `/actions/${id}/verify`, lead, { comment: '確認しました。' });
  }
  await counted('closePlan', chief, `/plans/${closing}/close`, {});

  // Evidence: registered, uploaded with the presigned POST, verified by the S3-triggered function.
  const registered = await counted('createEvidence', lead, '/evidence', evidenceBody({ type: 'plan', id: host }));
  const evidenceId = registered.body.evidenceId as string;
  const verifierCalls = await upload(registered, counter, stack);
  await counted('listEvidence', lead, `/evidence?targetType=plan&targetId=${host}`);
  await counted('getEvidence', lead, `/evidence/${evidenceId}`);
  await counted('downloadEvidence', lead, `/evidence/${evidenceId}/download`);

  // Disposal records, kept by the 課 itself.
  const disposal = (await counted('createDisposal', worker, '/disposals', disposalBody('citizens'))).body.disposalId as string;
  await counted('listDisposals', worker, `/disposals?fiscalYear=${disposalYear}`);
  await counted('getDisposal', worker, `/disposals/${disposal}`);

  // The audit trail of the plan that went through the most.
  await counted('verifyAuditLog', lead, `/audit-log/verify?entityType=plan&entityId=${closing}`);
  await counted('getAuditLog', lead, `/audit-log?entityType=plan&entityId=${closing}`);

  // Documents.
  await counted('exportPlanForm', lead, `/plans/${closing}/form4?format=html`);
  await counted('exportPlanResults', lead, `/plans/${closing}/results?format=xlsx`);
  await counted('exportAuditLog', lead, `/audit-log/export?entityType=plan&entityId=${closing}`);

  // Variants whose reads differ from the representative request.
  const onFinding = await ok('POST', '/evidence', lead, evidenceBody({ type: 'finding', id: f1 }));
  await upload(onFinding, counter, stack);
  await counted('getEvidence', lead, `/evidence/${String(onFinding.body.evidenceId)}`, undefined, {
    label: `${routeKey(routes.getEvidence)} — variant: evidence on a finding`,
  });
  await step(revision, 'submit', lead);
  results.push({
    ...(await countedVariant(counter, stack, () => ts.call('POST', `/plans/${revision}/approve`, { as: chief, body: {} }))),
    label: `${routeKey(routes.approvePlan)} — variant: approving a revision (supersedes the plan it revises)`,
    route: 'approvePlan',
    min: { min: 3, why: '2 reads + 1 transaction (it changes two plans)' },
  });
  await counted(
    'updateFinding',
    lead,
    `/findings/${await finding(host)}`,
    { department: 'resident-tax' },
    {
      label: `${routeKey(routes.updateFinding)} — variant: moving a finding (no actions) to another 課`,
    },
  );

  // Periodic duties: 点検 of every 課 opened by the quarterly duty's own work; a contractor and its yearly check.
  const { dutyWork } = await import('#lib/app/duty-work.js');
  const duty = (id: 'section-inspection' | 'contractor-check') => {
    const definition = deps().profile.duties.find((x) => x.duty === id);
    if (!definition) throw new Error(`no duty ${id}`);
    return definition;
  };
  await dutyWork['section-inspection'](deps(), {
    duty: 'section-inspection',
    definition: duty('section-inspection'),
    period: 'FY2026-Q3',
    instant: '2026-09-30T15:00:00Z',
    today: '2026-10-01',
  });
  const manager = 'citizens-manager';
  const inspections = await counted('listInspections', manager, '/inspections?period=FY2026-Q3');
  const inspection = inspections.body.items[0] as { inspectionId: string; taskId: string; checklist: unknown[] };
  await counted('listTasks', manager, '/tasks?mine=true');
  await counted('getTask', manager, `/tasks/${inspection.taskId}`);
  await counted('getInspection', manager, `/inspections/${inspection.inspectionId}`);
  await counted('updateInspection', manager, `/inspections/${inspection.inspectionId}`, {
    answers: inspection.checklist.map((_, index) => ({ index, result: 'ok' })),
  });
  await counted('submitInspection', manager, `/inspections/${inspection.inspectionId}/submit`, {
    reportToChief: { needed: true, reason: '処理経路図の更新が必要なため' },
  });
  await counted('reviewInspection', chief, `/inspections/${inspection.inspectionId}/review`, { changes: false, measures: '' });
  const contractorBody = {
    name: '株式会社○○情報サービス',
    department: 'citizens',
    handles: '住民基本台帳の入力データ',
    contractFrom: '2026-04-01',
    contractTo: '2027-03-31',
  };
  const contractorId = (await counted('createContractor', manager, '/contractors', contractorBody)).body.contractorId as string;
  await counted('listContractors', manager, '/contractors');
  await counted('getContractor', manager, `/contractors/${contractorId}`);
  await counted('updateContractor', manager, `/contractors/${contractorId}`, { contact: '担当 山田' });
  await dutyWork['contractor-check'](deps(), {
    duty: 'contractor-check',
    definition: duty('contractor-check'),
    period: 'FY2026',
    instant: '2026-03-31T15:00:00Z',
    today: '2026-04-01',
  });
  const checks = await counted('listContractorChecks', manager, '/contractor-checks?fiscalYear=2026');
  const check = (checks.body.items as { checkId: string; contractorId: string }[]).find((c) => c.contractorId === contractorId);
  if (!check) throw new Error('the contractor-check duty opened no check');
  await counted('getContractorCheck', manager, `/contractor-checks/${check.checkId}`);
  const checkedOn = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
  await counted('completeContractorCheck', manager, `/contractor-checks/${check.checkId}/complete`, {
    method: 'onSite',
    checkedOn,
    result: 'compliant',
  });

  // 事案: reported by a 職員 with no role, then every step of the chain (001).
  const reported = await counted('createIncident', 'clerk', '/incidents', {
    department: 'citizens',
    discoveredAt: new Date().toISOString(),
    summary: '通知書を別の住所に誤送付した',
    category: 'leak',
    records: {
      items: ['氏名', '住所'],
      subjects: 120,
      sensitive: false,
      financialHarm: false,
      wrongfulPurpose: false,
      myNumber: false,
      encrypted: false,
    },
  });
  const incident = `/incidents/${reported.body.incidentId as string}`;
  await counted('listIncidents', manager, '/incidents');
  await counted('getIncident', 'clerk', incident);
  await counted('updateIncident', manager, incident, { summary: '通知書を別の住所に誤送付した（120人分）' });
  await counted('containIncident', manager, `${incident}/contain`, { measures: '誤送付先から回収した' });
  await counted('investigateIncident', manager, `${incident}/investigate`, { findings: '封入の確認が一人で行われていた' });
  await counted('escalateIncident', lead, `${incident}/escalate`, { reason: '100人を超える' });
  await counted('recordIncidentPrevention', manager, `${incident}/prevention`, {
    measures: '封入を二人で確認する',
    shareWith: ['resident-tax'],
  });
  await counted('acknowledgeIncident', 'tax-manager', `${incident}/acknowledge`);
  await counted('recordIncidentPpcReport', lead, `${incident}/ppc-reports`, { stage: 'final', submittedAt: new Date().toISOString() });
  await counted('recordIncidentNotice', lead, `${incident}/notices`, { kind: 'subjects', at: new Date().toISOString() });
  await counted('closeIncident', chief, `${incident}/close`, {});
  await counted('exportIncidentReport', lead, `${incident}/report?format=xlsx`);
  await counted('exportIncidentReviewList', chief, `/incidents/review-list?fiscalYear=${reported.body.fiscalYear as number}&format=html`);

  // The staff register of 市民課, kept by its 保護管理者: people added one by one and from the HR department's CSV.
  const trainingDay = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
  const trainingYear = fiscalYearOfDate(trainingDay);
  const staffNumber = (prefix: string) => `${prefix}${Date.now()}`.slice(0, 20);
  const personBody = {
    department: 'citizens',
    name: '安積 一郎',
    title: '主事',
    kind: 'regular',
    handler: true,
    handlerDuties: '住民基本台帳事務',
    employeeNumber: staffNumber('B'),
    from: `${trainingYear}-04-01`,
  };
  const person = (await counted('createStaff', manager, '/staff', personBody)).body as { staffId: string; employeeNumber: string };
  await counted(
    'createStaff',
    manager,
    '/staff',
    { ...personBody, name: '郡山 花子', handler: false, handlerDuties: null, employeeNumber: null },
    {
      label: `${routeKey(routes.createStaff)} — variant: without a 職員番号 (nothing to find unique)`,
      min: {
        ...create,
        extra: `reads the 課’s register all the same (+1 Query per page): no more than ${maxRegister} people may be on it at once (409 register-full), a count that no condition can make`,
      },
    },
  );
  const staffMember = `/staff/${person.staffId}`;
  await counted('getStaff', manager, staffMember);
  await counted('updateStaff', manager, staffMember, { title: '主査', effectiveFrom: trainingDay }, { headers: { 'if-match': '"1"' } });
  // Another of the audience, added from the HR department's CSV; the e-learning system's CSV then records their attendance.
  const learner = { name: '大槻 翔', employeeNumber: staffNumber('E') };
  await counted(
    'importStaff',
    manager,
    '/staff/import?department=citizens',
    [
      staffCsvHeader,
      `${learner.employeeNumber},${learner.name},主事,職員,,,,,,`,
      `${person.employeeNumber},安積 一郎,主査,職員,○,住民基本台帳事務,,,,`,
    ].join('\r\n'),
  );
  await counted('listStaff', manager, '/staff?department=citizens');

  // 研修: the chief plans a session of this 年度, which ends today; the 課 records who attended.
  const planned = await counted('createTraining', chief, '/trainings', {
    fiscalYear: trainingYear,
    name: '個人情報保護研修',
    timing: { from: `${trainingYear}-04-01`, to: trainingDay },
    audience: ['allStaff'],
    method: 'elearning',
  });
  const training = `/trainings/${planned.body.trainingId as string}`;
  await counted('listTrainings', manager, `/trainings?fiscalYear=${trainingYear}`);
  await counted('getTraining', manager, training);
  await counted('updateTraining', chief, training, { note: '未受講者は再受講' }, { headers: { 'if-match': '"1"' } });
  await counted('recordAttendance', manager, `${training}/attendance`, {
    department: 'citizens',
    staffIds: [person.staffId],
    attendedOn: trainingDay,
  });
  await counted('listNonAttendees', manager, `${training}/non-attendees`);
  await counted(
    'importAttendance',
    manager,
    `${training}/attendance/import?department=citizens`,
    `職員番号,氏名,修了日\n${learner.employeeNumber},${learner.name},${trainingDay}`,
  );
  // The chief reads the completion of every 課 of the organisation: each 課's register once.
  const sections = allSections(deps().organisation).length;
  const everySection = (what: string): Minimum => ({
    min: 2 + sections,
    why: `${what} + 1 Query per page of each of the ${sections} 課’s registers + 1 Query (the session’s rolls)`,
  });
  await counted('getTraining', chief, training, undefined, {
    label: `${routeKey(routes.getTraining)} — variant: the chief (every 課: ${sections} registers)`,
    min: everySection('1 GetItem (the session)'),
  });
  await counted('listTrainings', chief, `/trainings?fiscalYear=${trainingYear}`, undefined, {
    label: `${routeKey(routes.listTrainings)} — variant: the chief (every 課: ${sections} registers; one session)`,
    min: everySection('1 Query (the 年度’s sessions)'),
  });

  // The registers' forms, once the register and the plan hold something.
  await counted('exportStaffForm1', manager, '/staff/form1?department=citizens&format=xlsx');
  await counted('exportStaffForm1', chief, '/staff/form1?format=html', undefined, {
    label: `${routeKey(routes.exportStaffForm1)} — variant: the chief (every 課: ${sections} registers)`,
    min: { min: sections, why: `1 Query per page of each of the ${sections} 課’s registers (in parallel)` },
  });
  await counted('exportStaffForm2', manager, '/staff/form2?department=citizens&format=html');
  await counted('exportTrainingForm3', chief, `/trainings/form3?fiscalYear=${trainingYear}&format=xlsx`);
  // The audit-result report with the completion of the 年度's training in each audited 課 (the plan above: 年度 2026; the session, if this is 2026).
  const audited = auditedSections.length;
  const sessionsOfPlanYear = planBody().fiscalYear === trainingYear ? 1 : 0;
  await counted('exportPlanResults', lead, `/plans/${closing}/results?format=xlsx&appendix=training`, undefined, {
    label: `${routeKey(routes.exportPlanResults)} — variant: appendix=training (${audited} audited 課, ${sessionsOfPlanYear} session)`,
    min: {
      ...minimum.exportPlanResults,
      min: 2 + 1 + audited + sessionsOfPlanYear,
      why: `the report’s 2 (1 GetItem + 1 Query of the plan’s children) + 1 Query (the 年度’s sessions) + 1 Query per page of each audited 課’s register (${audited}) + 1 Query per session (its rolls, by 課)`,
    },
  });

  const missing = routeList.filter((r) => !results.some((m) => m.route === r.id));
  if (missing.length > 0) throw new Error(`no request measured for ${missing.map((r) => r.id).join(', ')}`);
  return summarise(results, verifierCalls, performance.now() - started);
}

/** Counts a request that is not one of {@link minimum}'s representative ones. */
async function countedVariant(
  counter: SdkCounter,
  stack: BenchStack,
  send: () => Promise<Reply>,
): Promise<{ status: number; calls: SdkCall[] }> {
  await stack.s3.settled();
  const mark = counter.mark();
  const r = await send();
  await stack.s3.settled();
  if (r.status >= 300) throw new Error(`variant → ${r.status} ${r.text}`);
  return { status: r.status, calls: counter.since(mark) };
}

/** The presigned POST of the fixture JPEG, and the calls of the S3-triggered verification it causes. */
async function upload(registered: Reply, counter: SdkCounter, stack: BenchStack): Promise<SdkCall[]> {
  const { url, fields } = registered.body.upload as { url: string; fields: Record<string, string> };
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), 'upload.jpg');
  const mark = counter.mark();
  const sent = await fetch(url, { method: 'POST', body: form });
  await sent.arrayBuffer();
  if (sent.status >= 300) throw new Error(`presigned POST → ${sent.status}`);
  await stack.s3.settled();
  return counter.since(mark);
}

function summarise(results: Measured[], verifier: SdkCall[], runtimeMs: number): BenchSection {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  for (const m of results) {
    const ddb = m.calls.filter((c) => c.service === 'dynamodb');
    const s3 = m.calls.filter((c) => c.service === 's3');
    const trips = roundTrips(m.calls, 'dynamodb');
    const s3Trips = roundTrips(m.calls, 's3');
    const met = trips <= m.min.min;
    rows.push({
      name: m.label,
      baseline: `minimum ${m.min.min}: ${m.min.why}`,
      // Calls / minimum; where the minimum is 0, 1 + calls (so 1.00 still means "at the minimum").
      ratio: m.min.min === 0 ? 1 + trips : trips / m.min.min,
      detail: `DynamoDB ${trips} (${describeCalls(ddb)}) vs ${m.min.min}; S3 ${s3Trips}${s3.length > s3Trips ? ` (${describeCalls(s3)})` : ''}`,
      goal: '= minimum',
      met,
    });
    if (!met) notes.push(`${m.label}: ${trips} vs ${m.min.min} — ${m.min.extra ?? `extra calls: ${describeCalls(ddb)}`}.`);
  }
  // The emulator also delivers ObjectRemoved:Delete of the upload to the verifier (AWS
  // sends it only ObjectCreated): calls after the upload's DeleteObject belong to that.
  const removal = verifier.findIndex((c) => c.service === 's3' && c.command === 'DeleteObjectCommand');
  const created = removal < 0 ? verifier : verifier.slice(0, removal + 1);
  const afterRemoval = removal < 0 ? [] : verifier.slice(removal + 1);
  const createdDdb = created.filter((c) => c.service === 'dynamodb');
  rows.push({
    name: 'S3 ObjectCreated → evidence verification (event function, not a route)',
    baseline: 'minimum 2: 1 read + 1 transaction (reported)',
    ratio: roundTrips(createdDdb, 'dynamodb') / 2,
    detail: `DynamoDB ${roundTrips(createdDdb, 'dynamodb')} (${describeCalls(createdDdb)}) vs 2; S3 ${roundTrips(created, 's3')} (${describeCalls(created.filter((c) => c.service === 's3'))})`,
  });
  if (afterRemoval.length > 0) {
    notes.push(
      `Local stack only: s3rver also emits ObjectRemoved:Delete when the verifier removes the upload, and lib/local/s3-local.ts passes every event on incoming/ to the verifier, which then makes ${describeCalls(afterRemoval)} more (it finds the evidence no longer pending and stops). In AWS the notification is ObjectCreated only (cdk/stacks/api-stack.ts), so the row counts the ObjectCreated invocation alone.`,
    );
  }
  const atMinimum = rows.filter((r) => r.met === true).length;
  const counted = rows.filter((r) => r.met !== undefined).length;
  return {
    title: 'Round trips: DynamoDB calls per request vs the minimum',
    rows,
    notes: [
      `${atMinimum} of ${counted} requests at their minimum. One representative successful request per route (${routeList.length} routes) through the local gateway, plus variants; each counted from its request until its reply and any S3 event it caused settled. Counts are deterministic, so one request each. Ratio = calls / minimum (1 + calls where the minimum is 0).`,
      'Calls are counted by an SDK middleware pair (support/sdk-counter.ts) on the document client every store shares and on the evidence bucket’s S3 client: "initialize" names each send, "deserialize" counts HTTP attempts (retries would show), so presigning (no request) is not a round trip. The clients are the handlers’ own, as the composition root gives them (runtime().documentClient and s3Client, lib/runtime/ports.ts); the handlers run unchanged.',
      'Minimum: 1 GetItem for a read, 1 Query per page for a list, 1 transaction for a change, plus 1 read where a change of an existing entity needs its current state (update, transition, download). Creates are held to 1, so reads of a parent or target count as extra, even where the rule they enforce needs data that a condition cannot express.',
      ...notes,
      `No HTTP route sends an S3 request: presigned POSTs and GETs are signed in the function. Runtime ${(runtimeMs / 1000).toFixed(1)} s.`,
    ],
  };
}

await section.main();
