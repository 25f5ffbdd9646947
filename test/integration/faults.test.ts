import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import {
  InternalServerError,
  ThrottlingException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import type { Context, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '#lib/domain/audit.js';
import { Unavailable } from '#lib/domain/errors.js';
import { type RouteDef, isCreate, routeList, routes } from '#lib/http/routes.js';
import { staffBody, staffCsvHeader, staffIn } from '#test/support/staff-data.js';
import { lambdaContext } from '#lib/local/gateway.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { runtime } from '#lib/runtime/ports.js';
import { keys } from '#lib/store/keys.js';
import { jpeg } from '#test/fixtures/files.js';
import {
  type AuditData,
  auditData,
  chief,
  disposalBody,
  dueDate,
  evidenceBody,
  findingBody,
  lead,
  japanese,
} from '#test/support/audit-data.js';
import { type Item, invariantViolations, readPartitions, scanTable } from '#test/support/invariants.js';
import { type Reply, type TestStack, planBody, startTestStack } from '#test/support/stack.js';
import { contractorBody, dutyData, submitBody, today } from '#test/support/duty-data.js';
import { type IncidentState, clerk, deputy, incidentBody, incidentData } from '#test/support/incident-data.js';
import { onRegister, plannedSession, trainingBody } from '#test/support/training-data.js';

/**
 * Fault injection at every AWS call of every changing operation: each POST and PATCH
 * route, the evidence download (a GET that appends to the audit trail) and the S3
 * notification verifier. Each runs once per call position k and fault: its k-th SDK
 * `send` gets DynamoDB's ThrottlingException or InternalServerError (S3: SlowDown or
 * InternalError), a TimeoutError, or, at a write, a lost response (the call reaches
 * the service, the caller sees a timeout); a TransactWriteItems also gets
 * TransactionInProgressException and a cancellation for a throttled partition.
 *
 * - fault persists (thrown at `send`, outside the SDK's retry loop): the client gets a
 *   503 problem+json with a Japanese detail and nothing is written (a lost response:
 *   the whole change landed, never half of it; the verifier, failing after its
 *   commit, is delivered again and writes nothing more);
 * - fault once, inside the retry loop (a `finalizeRequest` middleware of low priority,
 *   below the retry middleware, on that one command): the SDK retries and the client
 *   gets its 2xx (a retried TransactWriteItems carries the same ClientRequestToken, so
 *   a lost response is not written twice).
 *
 * After every faulted run the partitions its writes named (read just before the first
 * write and again after) are checked: unchanged when the run failed, and their
 * invariants (test/support/invariants.ts) hold: every change has its event and every
 * event its change. The whole table is scanned and checked once everything has run.
 *
 * The clients are the handlers' own: `runtime()` is built once per process and the local
 * gateway runs the handlers in this process, so its stores' document client and the
 * S3 client are wrapped here. Wrapping `send` (not an `initialize` middleware) counts
 * only real calls: the presigners run a client's middleware stack too, but never send.
 * Each faulted run is a request marked with a header; Node's
 * `http.server.request.start` channel puts its state in an AsyncLocalStorage for the
 * request's whole handling (the gateway's, or the S3 emulator's for an upload and the
 * notification it triggers), so runs proceed concurrently and count their own calls.
 */

type FaultKind = 'throttling' | 'serverError' | 'timeout' | 'lostResponse' | 'transactionInProgress' | 'transactionThrottled';
type Mode = 'persist' | 'retry';
type Service = 'dynamodb' | 's3';

/** At every call. */
const kinds: readonly FaultKind[] = ['throttling', 'serverError', 'timeout'];
const transactWrite = 'dynamodb:TransactWriteCommand';
/** Calls that change something: where a lost response differs from a failed call. */
const writes = new Set([transactWrite, 's3:CopyObjectCommand', 's3:DeleteObjectCommand']);
/**
 * The faults tried at a call. A TransactWriteItems also meets DynamoDB's own two: a
 * retry of it (same ClientRequestToken) while the first is still running, and a
 * cancellation because an item's partition was throttled, which the SDK does not retry.
 */
function kindsAt(call: string, mode: Mode): readonly FaultKind[] {
  if (call === transactWrite)
    return [...kinds, 'lostResponse', 'transactionInProgress', ...(mode === 'persist' ? (['transactionThrottled'] as const) : [])];
  return writes.has(call) ? [...kinds, 'lostResponse'] : kinds;
}

function faultError(service: Service, kind: FaultKind, command: Command): Error {
  const $metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 });
  switch (kind) {
    case 'transactionInProgress':
      return new TransactionInProgressException({ message: 'Transaction is ongoing for the idempotency token', $metadata: $metadata(400) });
    case 'transactionThrottled': {
      // The first item's partition throttled; the others were not evaluated.
      const n = (command.input as { TransactItems?: unknown[] }).TransactItems?.length ?? 1;
      const codes = ['ThrottlingError', ...Array.from({ length: n - 1 }, () => 'None')];
      return new TransactionCanceledException({
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
        CancellationReasons: codes.map((Code) =>
          Code === 'None' ? { Code } : { Code, Message: 'Throughput exceeds the current capacity of your table or index.' },
        ),
        $metadata: $metadata(400),
      });
    }
    case 'throttling':
      return service === 'dynamodb'
        ? new ThrottlingException({ message: 'Throughput exceeds the current capacity of your table or index.', $metadata: $metadata(400) })
        : new S3ServiceException({
            name: 'SlowDown',
            $fault: 'server',
            message: 'Please reduce your request rate.',
            $metadata: $metadata(503),
          });
    case 'serverError':
      return service === 'dynamodb'
        ? new InternalServerError({ message: 'Internal server error', $metadata: $metadata(500) })
        : new S3ServiceException({
            name: 'InternalError',
            $fault: 'server',
            message: 'We encountered an internal error. Please try again.',
            $metadata: $metadata(500),
          });
    case 'timeout':
    case 'lostResponse':
      // As @smithy/node-http-handler raises it when a socket times out.
      return Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' });
  }
}

/** One faulted run: its calls, its fault, and the partitions its writes named as they were before. */
class Run {
  readonly id = randomUUID();
  readonly calls: string[] = [];
  fired = false;
  /** HTTP attempts of the faulted call (retry mode). */
  attempts = 0;
  /** What the S3 emulator's delivery of a notification failed with. */
  deliveryError: unknown;
  readonly before = new Map<string, Item[]>();
  /**
   * The claim items its writes named (`pk|sk`). A claim partition (`CLAIM#<duty>#<period>`)
   * is shared by every unit of that duty and period, which other requests may claim
   * meanwhile: of it, only these items are this run's.
   */
  readonly claims = new Set<string>();

  constructor(
    readonly fault: { at: number; kind: FaultKind; mode: Mode } | undefined,
    private readonly read: (partitions: string[]) => Promise<Item[]>,
  ) {}

  /** The partitions' items before this run first writes to them. */
  async capture(partitions: string[]): Promise<void> {
    const fresh = partitions.filter((pk) => !this.before.has(pk));
    for (const pk of fresh) this.before.set(pk, []);
    for (const item of await this.read(fresh)) this.before.get(String(item.pk))?.push(item);
  }
}

const scope = new AsyncLocalStorage<Run | undefined>();
const runs = new Map<string, Run>();
const runHeader = 'x-fault-run';
const onRequestStart = (message: unknown): void => {
  const id = (message as { request: IncomingMessage }).request.headers[runHeader];
  // Always: a keep-alive socket would otherwise carry the last request's run on.
  scope.enterWith(typeof id === 'string' ? runs.get(id) : undefined);
};

type Command = { input: unknown; middlewareStack: { add: (...args: unknown[]) => void }; constructor: { name: string } };
type Sendable = { send: (command: Command, ...rest: unknown[]) => Promise<unknown> };

/** The keys (`pk`, `sk`) a TransactWriteItems names. */
function keysOf(input: unknown): { pk: string; sk: string }[] {
  const items = (input as { TransactItems?: Record<string, { Item?: Item; Key?: Item }>[] }).TransactItems ?? [];
  return items.flatMap((t) => Object.values(t).map((op) => ({ pk: String((op.Item ?? op.Key)?.pk), sk: String((op.Item ?? op.Key)?.sk) })));
}

/** The partitions a TransactWriteItems names. */
function partitionsOf(input: unknown): string[] {
  return [...new Set(keysOf(input).map((k) => k.pk))];
}

const isClaim = (pk: unknown): boolean => String(pk).startsWith('CLAIM#');

/** Wraps a client's `send`: inside a run, counts the call and faults the chosen one. */
function instrument(client: object, service: Service): () => void {
  const target = client as Sendable;
  const send = target.send;
  target.send = async (command, ...rest) => {
    const run = scope.getStore();
    if (!run) return send.call(target, command, ...rest);
    const call = `${service}:${command.constructor.name}`;
    run.calls.push(call);
    if (call === transactWrite) {
      for (const k of keysOf(command.input)) if (isClaim(k.pk)) run.claims.add(`${k.pk}|${k.sk}`);
      await run.capture(partitionsOf(command.input));
    }
    const fault = run.fault;
    if (fault && fault.at === run.calls.length) {
      run.fired = true;
      if (fault.mode === 'persist') {
        if (fault.kind === 'lostResponse') await send.call(target, command, ...rest);
        throw faultError(service, fault.kind, command);
      }
      // Once, below the retry middleware: the SDK sees a failed attempt and retries.
      const once: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
        run.attempts += 1;
        if (run.attempts > 1) return next(args);
        if (fault.kind === 'lostResponse') await next(args);
        throw faultError(service, fault.kind, command);
      };
      // lib-dynamodb commands share their stack with the inner command: added once, resolved twice.
      command.middlewareStack.add(once, { step: 'finalizeRequest', priority: 'low', name: 'injectedFaultOnce', override: true });
    }
    return send.call(target, command, ...rest);
  };
  return () => {
    target.send = send;
  };
}

/** What one run of an operation came to. */
interface Outcome {
  ok: boolean;
  /** For messages. */
  summary: string;
  /** The failure the contract promises: a 503 problem+json with a Japanese detail (the verifier: Unavailable thrown). */
  unavailable: boolean;
  /** The problem's type slug (`unavailable`, or `outcome-unknown` after a write whose answer was lost). */
  problemType?: string;
}

/** A changing operation: how to make the data it needs, and how to run it once in a run. */
interface Operation {
  name: string;
  /** Fresh preconditions; the returned function may run again while nothing has changed. */
  prepare(data: AuditData): Promise<(run: Run) => Promise<Outcome>>;
  /** Notification handlers may land a change and fail after it: retried, they change nothing more. */
  event?: boolean;
  /** A create sent with an Idempotency-Key: after a lost answer, the same request again creates nothing more. */
  idempotent?: boolean;
}

let stack: TestStack;
let scanner: DynamoDBDocumentClient;
const undo: (() => void)[] = [];

beforeAll(async () => {
  // The verifier's retries are played here (Lambda's retry of a held notification), not by the emulator.
  stack = await startTestStack({ verifierRetries: 0 });
  scanner = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
  const handlers = runtime();
  undo.push(instrument(handlers.documentClient, 'dynamodb'), instrument(await handlers.s3Client, 's3'));
  subscribe('http.server.request.start', onRequestStart);
  undo.push(() => unsubscribe('http.server.request.start', onRequestStart));
  // The S3 emulator logs a failed delivery; a held one is expected, and kept with its run.
  const error = console.error;
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    const run = scope.getStore();
    if (run && args[0] === 'evidence verification failed') run.deliveryError = args[1];
    else error(...args);
  });
});
afterAll(async () => {
  for (const u of undo.splice(0)) u();
  vi.restoreAllMocks();
  scanner?.destroy();
  await stack?.close();
});

function startRun(fault: Run['fault']): Run {
  const run = new Run(fault, (partitions) => readPartitions(scanner, stack.tableName, partitions));
  runs.set(run.id, run);
  return run;
}

function httpOutcome(r: Reply, want: number): Outcome {
  const problem = (r.headers.get('content-type') ?? '').includes('application/problem+json');
  return {
    ok: r.status === want,
    summary: `${r.status} ${r.text.slice(0, 200)}`,
    problemType: typeof r.body?.type === 'string' ? r.body.type.replace('urn:kansa:problem:', '') : undefined,
    unavailable:
      r.status === 503 &&
      problem &&
      r.body?.status === 503 &&
      ['urn:kansa:problem:unavailable', 'urn:kansa:problem:outcome-unknown'].includes(r.body?.type) &&
      typeof r.body?.detail === 'string' &&
      japanese.test(r.body.detail) &&
      japanese.test(String(r.body?.title)),
  };
}

/** An HTTP operation: `request` makes the data and names a request that succeeds on it. */
function http(route: RouteDef, as: string, request: (data: AuditData) => Promise<{ path: string; body?: unknown }>): Operation {
  return {
    name: route.id,
    idempotent: isCreate(route),
    prepare: async (data) => {
      const { path, body } = await request(data);
      // A create carries one key for as long as its request is sent again unchanged.
      const key: Record<string, string> = isCreate(route) ? { 'idempotency-key': randomUUID() } : {};
      return async (run) =>
        httpOutcome(
          await stack.call(route.method, path, {
            as,
            // A file route's body (the register's CSV) is sent as its text.
            headers: { [runHeader]: run.id, ...key, ...(typeof body === 'string' ? { 'content-type': 'text/csv' } : {}) },
            ...(typeof body === 'string' ? { rawBody: body } : body === undefined ? {} : { body }),
          }),
          route.status ?? 200,
        );
    },
  };
}

const onPlan = (state: Parameters<AuditData['planIn']>[0], action: string) => async (data: AuditData) =>
  `/plans/${await data.planIn(state)}${action}`;

type VerifierHandler = (event: S3Event, context: Context) => Promise<void>;
async function verifier(event: S3Event, context: Context): Promise<void> {
  const { handler } = (await import('#functions/events/evidence-uploaded.js')) as { handler: VerifierHandler };
  return handler(event, context);
}

function s3Event(bucket: string, key: string): S3Event {
  return { Records: [{ eventName: 'ObjectCreated:Post', s3: { bucket: { name: bucket }, object: { key } } }] } as unknown as S3Event;
}

/** An uploaded photo of a disposal record, its notification failed (held): pending in incoming/. */
async function heldUpload(data: AuditData): Promise<{ key: string; evidenceId: string }> {
  const disposalId = await data.disposalIn('citizens');
  const created = await stack.call('POST', '/evidence', { as: 'citizens-staff', body: evidenceBody({ type: 'disposal', id: disposalId }) });
  if (created.status !== 201) throw new Error(`setup: POST /evidence → ${created.status} ${created.text}`);
  const { url, fields } = created.body.upload as { url: string; fields: Record<string, string> };
  // The emulator's own notification runs inside this run: its first call is throttled.
  const hold = startRun({ at: 1, kind: 'throttling', mode: 'persist' });
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), 'photo.jpg');
  const sent = await fetch(url, { method: 'POST', body: form, headers: { [runHeader]: hold.id } });
  if (sent.status >= 300) throw new Error(`setup: presigned POST → ${sent.status}`);
  await stack.s3.settled();
  if (!hold.fired || !(hold.deliveryError instanceof Unavailable))
    throw new Error(`setup: the held notification did not fail with Unavailable: ${String(hold.deliveryError)}`);
  return { key: fields.key as string, evidenceId: created.body.evidenceId as string };
}

/** A 事案 of 市民課 about 101 people, moved on to `state` (its prevention shared with `shareWith`). */
const incidentIn = (state: IncidentState, shareWith: string[] = []) =>
  incidentData(stack).incidentIn(state, 'citizens', { shareWith, body: { records: { subjects: 101 } } });

const operations: Operation[] = [
  http(routes.createPlan, lead, async () => ({ path: '/plans', body: planBody() })),
  http(routes.updatePlan, lead, async (d) => ({ path: await onPlan('draft', '')(d), body: { purpose: '障害注入の試験のために編集する' } })),
  http(routes.submitPlan, lead, async (d) => ({ path: await onPlan('draft', '/submit')(d) })),
  http(routes.approvePlan, chief, async (d) => ({ path: await onPlan('submitted', '/approve')(d), body: { comment: '承認します。' } })),
  http(routes.returnPlan, chief, async (d) => ({
    path: await onPlan('submitted', '/return')(d),
    body: { reason: '監査範囲を見直してください。' },
  })),
  http(routes.startPlan, lead, async (d) => ({ path: await onPlan('approved', '/start')(d) })),
  http(routes.createPlanRevision, lead, async (d) => ({ path: await onPlan('approved', '/revisions')(d) })),
  http(routes.reportPlan, lead, async (d) => ({ path: await onPlan('inProgress', '/report')(d) })),
  http(routes.closePlan, chief, async (d) => ({ path: await onPlan('reported', '/close')(d) })),
  http(routes.createFinding, lead, async (d) => ({ path: `/plans/${await d.hostPlan()}/findings`, body: findingBody(lead, 'citizens') })),
  http(routes.updateFinding, lead, async (d) => ({
    path: `/findings/${await d.findingBy(lead, 'citizens')}`,
    body: { title: '持出し記録の記載漏れ（修正）' },
  })),
  http(routes.createAction, lead, async (d) => ({
    path: `/findings/${await d.findingBy(lead, 'citizens')}/actions`,
    body: { description: '手順書を改訂する', dueDate },
  })),
  http(routes.progressAction, 'citizens-staff', async (d) => ({
    path: `/actions/${await d.actionIn('open', lead, 'citizens')}/progress`,
    body: { note: '着手しました。' },
  })),
  http(routes.submitAction, 'citizens-staff', async (d) => ({
    path: `/actions/${await d.actionIn('open', lead, 'citizens')}/submit`,
    body: { note: '対応しました。', evidenceIds: [] },
  })),
  http(routes.verifyAction, lead, async (d) => ({
    path: `/actions/${await d.actionIn('submitted', lead, 'citizens')}/verify`,
    body: { comment: '確認しました。' },
  })),
  http(routes.reopenAction, lead, async (d) => ({
    path: `/actions/${await d.actionIn('submitted', lead, 'citizens')}/reopen`,
    body: { reason: '証跡が不足しています。' },
  })),
  http(routes.acceptRisk, chief, async (d) => ({
    path: `/actions/${await d.actionIn('open', lead, 'citizens')}/accept-risk`,
    body: { reason: '代替措置で足りるため受容する。' },
  })),
  http(routes.createEvidence, 'citizens-staff', async (d) => ({
    path: '/evidence',
    body: evidenceBody({ type: 'disposal', id: await d.disposalIn('citizens') }),
  })),
  http(routes.createDisposal, 'citizens-staff', async () => ({ path: '/disposals', body: disposalBody('citizens') })),
  // 委託先 (第22条) and 点検 (第27条): the 保護管理者 of 市民課; submitting and completing close a task in the same transaction.
  http(routes.createContractor, 'citizens-manager', async () => ({ path: '/contractors', body: contractorBody('citizens') })),
  http(routes.updateContractor, 'citizens-manager', async () => ({
    path: `/contractors/${await dutyData(stack).contractorIn('citizens')}`,
    body: { name: '株式会社△△' },
  })),
  http(routes.updateInspection, 'citizens-manager', async () => ({
    path: `/inspections/${(await dutyData(stack).inspectionIn('citizens')).inspectionId}`,
    body: { answers: [{ index: 0, result: 'ok' }] },
  })),
  http(routes.submitInspection, 'citizens-manager', async () => ({
    path: `/inspections/${(await dutyData(stack).inspectionIn('citizens', 'answered')).inspectionId}/submit`,
    body: submitBody(),
  })),
  // The 総括保護管理者's 見直し of a reported 点検 closes their task in the same transaction.
  http(routes.reviewInspection, chief, async () => ({
    path: `/inspections/${(await dutyData(stack).inspectionIn('citizens', 'reported')).inspectionId}/review`,
    body: { changes: false },
  })),
  http(routes.completeContractorCheck, 'citizens-manager', async () => ({
    path: `/contractor-checks/${(await dutyData(stack).checkIn('citizens')).checkId}/complete`,
    body: { method: 'onSite', checkedOn: today, result: 'compliant' },
  })),
  // 事案 (第23条–第25条) of 市民課: reported by a 職員 without an audit role, each step by whom the chain
  // names (its 保護管理者, the 総括保護副管理者, the 総括保護管理者); the tasks they open and close go in
  // the same transaction. A mis-sent letter about 101 people: the PPC reports are due (施行規則第43条第4号).
  http(routes.createIncident, clerk, async () => ({ path: '/incidents', body: incidentBody('citizens', { records: { subjects: 101 } }) })),
  http(routes.updateIncident, 'citizens-manager', async () => ({
    path: `/incidents/${await incidentIn('reported')}`,
    body: { records: { subjects: 100 } },
  })),
  http(routes.containIncident, 'citizens-manager', async () => ({
    path: `/incidents/${await incidentIn('reported')}/contain`,
    body: { measures: '封書を回収した' },
  })),
  http(routes.investigateIncident, 'citizens-manager', async () => ({
    path: `/incidents/${await incidentIn('contained')}/investigate`,
    body: { findings: '宛名の照合を省いていた' },
  })),
  http(routes.escalateIncident, deputy, async () => ({
    path: `/incidents/${await incidentIn('reported')}/escalate`,
    body: { reason: '本人の数が多いため' },
  })),
  http(routes.recordIncidentPrevention, 'citizens-manager', async () => ({
    path: `/incidents/${await incidentIn('investigated')}/prevention`,
    body: { measures: '二人で照合する', shareWith: ['resident-tax'] },
  })),
  http(routes.acknowledgeIncident, 'tax-manager', async () => ({
    path: `/incidents/${await incidentIn('prevented', ['resident-tax'])}/acknowledge`,
  })),
  http(routes.recordIncidentPpcReport, deputy, async () => ({
    path: `/incidents/${await incidentIn('reported')}/ppc-reports`,
    body: { stage: 'final', submittedAt: new Date().toISOString() },
  })),
  http(routes.recordIncidentNotice, deputy, async () => ({
    path: `/incidents/${await incidentIn('reported')}/notices`,
    body: { kind: 'subjects', at: new Date().toISOString() },
  })),
  http(routes.closeIncident, chief, async () => {
    const id = await incidentIn('prevented');
    await stack.call('POST', `/incidents/${id}/ppc-reports`, {
      as: deputy,
      body: { stage: 'final', submittedAt: new Date().toISOString() },
    });
    return { path: `/incidents/${id}/close`, body: {} };
  }),
  // 研修 (第11条): the chief plans and edits; the 課's 保護管理者 records attendance on a roll of its own.
  http(routes.createTraining, chief, async () => ({ path: '/trainings', body: trainingBody() })),
  http(routes.updateTraining, chief, async () => ({ path: `/trainings/${await plannedSession(stack)}`, body: { note: '変更' } })),
  http(routes.recordAttendance, 'citizens-manager', async () => ({
    path: `/trainings/${await plannedSession(stack)}/attendance`,
    body: { department: 'citizens', staffIds: [(await onRegister('citizens')).staffId], attendedOn: today },
  })),
  http(routes.importAttendance, 'citizens-manager', async () => {
    const person = await onRegister('citizens', { employeeNumber: `F${randomUUID().slice(0, 12)}` });
    return {
      path: `/trainings/${await plannedSession(stack)}/attendance/import?department=citizens`,
      body: `職員番号,氏名,修了日\n${person.employeeNumber},${person.name},${today}`,
    };
  }),
  http(routes.createStaff, 'citizens-manager', async () => ({ path: '/staff', body: staffBody('citizens') })),
  http(routes.importStaff, 'citizens-manager', async () => ({
    path: '/staff/import?department=citizens',
    body: `${staffCsvHeader}\nF${randomUUID().slice(0, 12)},安積 一郎,主事,職員,,,,,,`,
  })),
  http(routes.updateStaff, 'citizens-manager', async () => ({
    path: `/staff/${await staffIn(stack, 'citizens', { handler: false, handlerDuties: null })}`,
    body: { title: '主任', effectiveFrom: '2026-10-01' },
  })),
  http(routes.downloadEvidence, 'citizens-staff', async (d) => ({
    path: `/evidence/${await d.evidenceIn('verified', 'citizens-staff', { type: 'disposal', id: await d.disposalIn('citizens') })}/download`,
  })),
  {
    // A photo of an outsourced disposal (第18条4項): the verifier also records it on the disposal.
    name: 'evidenceUploaded (S3 ObjectCreated)',
    event: true,
    prepare: async (data) => {
      const { key, evidenceId } = await heldUpload(data);
      // Lambda's retry of the failed asynchronous invocation: the same event again.
      return async (run) => {
        try {
          await scope.run(run, () => verifier(s3Event(stack.s3.bucket, key), lambdaContext('evidenceUploaded', randomUUID())));
        } catch (err) {
          return { ok: false, summary: String(err), unavailable: err instanceof Unavailable };
        }
        const evidence = await scanner.send(
          new GetCommand({ TableName: stack.tableName, Key: keys.entity('evidence', evidenceId), ConsistentRead: true }),
        );
        return { ok: evidence.Item?.status === 'verified', summary: `evidence ${String(evidence.Item?.status)}`, unavailable: false };
      };
    },
  },
];

/** At most this many retried runs at once: each holds retry tokens of the SDK's shared quota (500) until it succeeds. */
const retryLimit = 24;
let retrying = 0;
const waiting: (() => void)[] = [];
async function retrySlot<T>(f: () => Promise<T>): Promise<T> {
  while (retrying >= retryLimit) await new Promise<void>((r) => waiting.push(r));
  retrying += 1;
  try {
    return await f();
  } finally {
    retrying -= 1;
    waiting.shift()?.();
  }
}

interface Tally {
  operation: string;
  calls: string[];
  persist: number;
  retry: number;
  /** Creates whose answer was lost, sent again with their key and answered without a second write. */
  replayed: number;
}
const tallies: Tally[] = [];
const sameItems = (a: readonly Item[], b: readonly Item[]) =>
  canonicalJson([...a].map(canonicalJson).sort()) === canonicalJson([...b].map(canonicalJson).sort());

/**
 * Runs `op` with each fault persisting at call k = 1, 2, … until a run makes fewer
 * than k calls (the fault-free run, which must succeed); then with each fault once,
 * retried by the SDK, at every position found, each on fresh data, concurrently.
 */
async function exercise(op: Operation): Promise<{ tally: Tally; problems: string[] }> {
  const data = auditData(stack);
  const problems: string[] = [];
  const tally: Tally = { operation: op.name, calls: [], persist: 0, retry: 0, replayed: 0 };
  /** The partitions the run wrote, after it: their invariants, and whether they changed. */
  const settle = async (run: Run, label: string): Promise<boolean> => {
    const partitions = new Set(run.before.keys());
    const after = await readPartitions(scanner, stack.tableName, partitions);
    for (const v of invariantViolations(after, partitions)) problems.push(`${label}: ${v}`);
    const mine = (i: Item): boolean => !isClaim(i.pk) || run.claims.has(`${String(i.pk)}|${String(i.sk)}`);
    return !sameItems([...run.before.values()].flat().filter(mine), after.filter(mine));
  };

  let attempt = await op.prepare(data);
  for (let k = 1; ; k++) {
    let done = false;
    for (let i = 0; ; i++) {
      // Which call k is shows in the first run at k; the faults of that call follow.
      const kind = kindsAt(tally.calls[k - 1] ?? '', 'persist')[i];
      if (kind === undefined) break;
      const run = startRun({ at: k, kind, mode: 'persist' });
      const outcome = await attempt(run);
      const label = `${op.name} call ${k} (${run.calls[k - 1] ?? 'none'}) ${kind}, persisting`;
      const changed = await settle(run, label);
      if (!run.fired) {
        // Fewer than k calls: a run without a fault.
        if (!outcome.ok) problems.push(`${op.name} without a fault: ${outcome.summary}`);
        tally.calls = [...run.calls];
        done = true;
        break;
      }
      tally.calls[k - 1] = run.calls[k - 1] as string;
      tally.persist += 1;
      if (!outcome.unavailable) problems.push(`${label}: expected 503 problem+json with a Japanese detail, got ${outcome.summary}`);
      // A write whose answer is lost may have landed: the caller is told so (retry with the same key), not "nothing changed".
      const unknown = run.calls[k - 1] === transactWrite && !['throttling', 'transactionThrottled'].includes(kind);
      if (!op.event && outcome.problemType !== (unknown ? 'outcome-unknown' : 'unavailable'))
        problems.push(`${label}: expected problem type ${unknown ? 'outcome-unknown' : 'unavailable'}, got ${String(outcome.problemType)}`);
      if (!changed) continue;
      const afterCommit = op.event === true && run.calls.slice(0, k - 1).includes(transactWrite);
      if (kind !== 'lostResponse' && !afterCommit) problems.push(`${label}: the table changed although the request failed`);
      if (kind === 'lostResponse' && op.idempotent) {
        // The phone sends the create again with its key: answered 201 from the key's record, nothing written twice.
        const again = startRun(undefined);
        const retried = await attempt(again);
        if (!retried.ok || again.calls.includes(transactWrite))
          problems.push(`${label}, sent again with its Idempotency-Key: ${retried.summary}, calls ${again.calls.join(', ')}`);
        else tally.replayed += 1;
        if (await settle(again, `${label}, sent again`)) problems.push(`${label}, sent again: the table changed`);
      }
      if (afterCommit) {
        // Lambda retries the failed invocation: it finds the work done and writes nothing more.
        const again = startRun(undefined);
        const redelivered = await attempt(again);
        if (!redelivered.ok || again.calls.includes(transactWrite))
          problems.push(`${label}, delivered again: ${redelivered.summary}, calls ${again.calls.join(', ')}`);
      }
      // The whole change landed (the invariants hold): the next run needs fresh data.
      attempt = await op.prepare(data);
    }
    if (done) break;
  }
  if (tally.calls.length === 0) problems.push(`${op.name} made no SDK call`);

  const cases = tally.calls.flatMap((call, i) => kindsAt(call, 'retry').map((kind) => ({ call, at: i + 1, kind })));
  await Promise.all(
    cases.map(({ call, at, kind }) =>
      retrySlot(async () => {
        const fresh = await op.prepare(data);
        const run = startRun({ at, kind, mode: 'retry' });
        const outcome = await fresh(run);
        const label = `${op.name} call ${at} (${call}) ${kind} once, retried`;
        if (!run.fired || run.attempts < 2)
          problems.push(`${label}: the fault did not fire inside the SDK's retries (fired ${run.fired}, attempts ${run.attempts})`);
        if (!outcome.ok) problems.push(`${label}: expected success after the SDK's retry, got ${outcome.summary}`);
        await settle(run, label);
      }),
    ),
  );
  tally.retry = cases.length;
  return { tally, problems };
}

describe('fault injection at every AWS call of every changing operation', () => {
  it('covers every POST and PATCH route, the evidence download and the S3 notification', () => {
    const changing = routeList.filter((r) => r.method !== 'GET').map((r) => r.id);
    expect(operations.map((o) => o.name).sort()).toEqual(
      [...changing, routes.downloadEvidence.id, 'evidenceUploaded (S3 ObjectCreated)'].sort(),
    );
  });

  for (const op of operations) {
    it.concurrent(
      `${op.name}: 503 and nothing written while a fault persists; success when the SDK retries`,
      { timeout: 120_000 },
      async ({ expect }) => {
        const { tally, problems } = await exercise(op);
        tallies.push(tally);
        expect(problems).toEqual([]);
      },
    );
  }

  it('ran every case, and the whole table holds together', async () => {
    expect(tallies).toHaveLength(operations.length);
    const persist = tallies.reduce((n, t) => n + t.persist, 0);
    const retry = tallies.reduce((n, t) => n + t.retry, 0);
    const expected = (mode: Mode) => tallies.reduce((n, t) => n + t.calls.reduce((m, c) => m + kindsAt(c, mode).length, 0), 0);
    const positions = tallies.reduce((n, t) => n + t.calls.length, 0);
    const table = await scanTable(scanner, stack.tableName);
    const lines = [...tallies]
      .sort((a, b) => operations.findIndex((o) => o.name === a.operation) - operations.findIndex((o) => o.name === b.operation))
      .map(
        (t) => `  ${t.operation.padEnd(36)} ${t.calls.map((c, i) => `${i + 1} ${c.split(':')[1]?.replace(/Command$/, '')}`).join(', ')}`,
      );
    console.log(
      `fault injection: ${tallies.length} operations, ${positions} call positions, ${persist + retry} faulted runs ` +
        `(${persist} with the fault persisting → 503, ${retry} with one fault retried by the SDK → 2xx); ${table.length} items checked at the end\n${lines.join('\n')}`,
    );
    const replayed = tallies.reduce((n, t) => n + t.replayed, 0);
    console.log(
      `fault injection: ${replayed} creates whose answer was lost, sent again with their Idempotency-Key: one entity each, no second write`,
    );
    expect(replayed).toBe(operations.filter((o) => o.idempotent).length);
    expect(persist).toBe(expected('persist'));
    expect(retry).toBe(expected('retry'));
    expect(invariantViolations(table)).toEqual([]);
  });
});

/**
 * 事案 under the faults of its create and its steps, seen from the table and the trail: a report
 * must never be half-made (an incident without its 保護管理者's task, or a task without it), a
 * phone that sends its report again after a lost answer must not make two, and two people
 * taking the same step at once must not record it twice.
 */
describe('事案: a report is whole or absent, made once, and each step is taken once', () => {
  const entitySk = (type: 'incident' | 'task') => keys.entity(type, 'x').sk;
  const incidentItems = (table: Item[], summary: string) => table.filter((i) => i.sk === entitySk('incident') && i.summary === summary);
  const taskItemsOf = (table: Item[], incidentId: string) =>
    table.filter((i) => i.sk === entitySk('task') && (i.subject as { id?: string } | undefined)?.id === incidentId);
  /** The calls a fault-free create makes: where its TransactWriteItems is. */
  const transactionAt = async (): Promise<number> => {
    const probe = startRun(undefined);
    const r = await stack.call('POST', '/incidents', {
      as: clerk,
      headers: { [runHeader]: probe.id, 'idempotency-key': randomUUID() },
      body: incidentBody('citizens', { records: { subjects: 101 } }),
    });
    expect(r.status, r.text).toBe(201);
    const at = probe.calls.indexOf(transactWrite) + 1;
    expect(at, probe.calls.join(', ')).toBeGreaterThan(0);
    return at;
  };

  it('a create whose transaction fails leaves no 事案 and no task: the table is as it was', async () => {
    const at = await transactionAt();
    const summary = `障害注入：失敗した報告 ${randomUUID()}`;
    const before = await scanTable(scanner, stack.tableName);
    for (const kind of ['throttling', 'serverError', 'transactionThrottled'] as const) {
      const run = startRun({ at, kind, mode: 'persist' });
      const r = await stack.call('POST', '/incidents', {
        as: clerk,
        headers: { [runHeader]: run.id, 'idempotency-key': randomUUID() },
        body: incidentBody('citizens', { summary, records: { subjects: 101 } }),
      });
      expect(run.fired, kind).toBe(true);
      expect(httpOutcome(r, 201).unavailable, `${kind}: ${r.text}`).toBe(true);
    }
    const after = await scanTable(scanner, stack.tableName);
    expect(incidentItems(after, summary)).toEqual([]);
    expect(sameItems(before, after)).toBe(true);
  });

  it('a create whose answer was lost, sent again with its Idempotency-Key, makes one 事案 with one task', async () => {
    const at = await transactionAt();
    const summary = `障害注入：応答が失われた報告 ${randomUUID()}`;
    // The same request each time: the phone sends again what it sent.
    const key = randomUUID();
    const body = incidentBody('citizens', { summary, records: { subjects: 101 } });
    const send = (run: Run) =>
      stack.call('POST', '/incidents', { as: clerk, headers: { [runHeader]: run.id, 'idempotency-key': key }, body });
    const lost = startRun({ at, kind: 'lostResponse', mode: 'persist' });
    const first = await send(lost);
    expect(first.status, first.text).toBe(503);
    expect(httpOutcome(first, 201).problemType).toBe('outcome-unknown');

    const again = await send(startRun(undefined));
    expect(again.status, again.text).toBe(201);
    const third = await send(startRun(undefined));
    expect(third.body.incidentId).toBe(again.body.incidentId);

    const table = await scanTable(scanner, stack.tableName);
    const stored = incidentItems(table, summary);
    expect(stored.map((i) => i.incidentId)).toEqual([again.body.incidentId]);
    const tasks = taskItemsOf(table, again.body.incidentId as string);
    // The 保護管理者's task (第23条第1項) and the 総括保護副管理者's 速報・確報 (第24条), each once.
    expect(tasks.map((t) => ({ kind: t.kind, assignee: t.assignee })).sort((a, b) => String(a.kind).localeCompare(String(b.kind)))).toEqual(
      [
        { kind: 'incidentReport', assignee: { role: 'deputyManager' } },
        { kind: 'incidentResponse', assignee: { role: 'sectionManager', department: 'citizens' } },
      ],
    );
    expect(invariantViolations(table)).toEqual([]);
  });

  const N = 8;
  const trailOf = async (incidentId: string) =>
    (await stack.call('GET', `/audit-log?entityType=incident&entityId=${incidentId}&limit=100`, { as: chief })).body.items as {
      action: string;
      version: number;
    }[];

  it(`${N} concurrent containments, then ${N} concurrent 速報: one of each lands, the others 409, one event each`, async () => {
    const incidentId = await incidentIn('reported');
    const batches = [
      () => stack.call('POST', `/incidents/${incidentId}/contain`, { as: 'citizens-manager', body: { measures: '封書を回収した' } }),
      () =>
        stack.call('POST', `/incidents/${incidentId}/ppc-reports`, {
          as: deputy,
          body: { stage: 'preliminary', submittedAt: new Date().toISOString() },
        }),
    ];
    for (const send of batches) {
      const replies = await Promise.all(Array.from({ length: N }, send));
      expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
      expect(replies.map((r) => r.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    }
    const events = await trailOf(incidentId);
    expect(events.map((e) => e.action)).toEqual(['incident.reported', 'incident.contained', 'incident.ppcReported']);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3]);
    const after = (await stack.call('GET', `/incidents/${incidentId}`, { as: 'citizens-manager' })).body;
    expect(after).toMatchObject({ status: 'contained', version: 3 });
  });

  it(`${N} concurrent changes of one version (If-Match): one lands, the others 412 or 409, never two`, async () => {
    const incidentId = await incidentIn('reported');
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        i % 2 === 0
          ? stack.call('PATCH', `/incidents/${incidentId}`, {
              as: 'citizens-manager',
              headers: { 'if-match': '"1"' },
              body: { records: { subjects: 100 + i } },
            })
          : stack.call('POST', `/incidents/${incidentId}/contain`, {
              as: 'citizens-manager',
              headers: { 'if-match': '"1"' },
              body: { measures: `封書を回収した ${i}` },
            }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.map((r) => r.status).filter((s) => s !== 200 && s !== 409 && s !== 412)).toEqual([]);
    const events = await trailOf(incidentId);
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.version)).toEqual([1, 2]);
    const table = await scanTable(scanner, stack.tableName);
    expect(invariantViolations(table)).toEqual([]);
  });
});
