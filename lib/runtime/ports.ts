import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { Clock, Deps, EventPublisher, EvidenceObjects, MalwareScanner, TrailAnchors } from '#lib/app/ports.js';
import { type Config, config } from '#lib/config.js';
import { LogPublisher, MemoryPublisher } from '#lib/jobs/events.js';
import type { JobRuntime } from '#lib/jobs/runner.js';
import { logger } from '#lib/logger.js';
import { deferred, lazily } from './lazy.js';
import type * as BusModule from '#lib/jobs/event-bus.js';
import type * as BucketModule from '#lib/store/bucket.js';
import type * as TableModule from '#lib/store/tables.js';
import { practisedProfile } from '#lib/profiles/practices.js';
import { noMalwareScanner } from '#lib/store/no-scanner.js';

/**
 * Adapters a function carries only where its spec grants the access (lib/functions.ts):
 * the function's entry supplies their modules (`supplyAdapters`), each loaded on its
 * first call. A function whose entry supplies none has no S3 or EventBridge code in its
 * bundle at all; the local stack, one process for every function, supplies both.
 */
export interface AdapterModules {
  /**
   * The table (spec `table` read or readWrite): the DynamoDB document client and every
   * store, as a module the entry imports (every function with table access uses it on
   * its first request, so it is not deferred); the system function has none.
   */
  table: typeof TableModule;
  /** The evidence bucket (spec `bucket`): S3 client, presigners, file-type, anchors. */
  bucket: () => Promise<typeof BucketModule>;
  /** The jobs stack's EventBridge bus (spec `events: 'publish'`, and the jobs function). */
  bus: () => Promise<typeof BusModule>;
}

const supplied: Partial<AdapterModules> = {};

/** Make these adapters available to this process's ports (a function's entry, the local stack). */
export function supplyAdapters(modules: Partial<AdapterModules>): void {
  Object.assign(supplied, modules);
}

/** An adapter the entry supplied; a function whose entry did not supply it has no access to what it serves. */
function adapter<K extends keyof AdapterModules>(name: K): AdapterModules[K] {
  const supply = supplied[name];
  if (!supply)
    throw new Error(`this function carries no ${name} adapter: its entry does not supply it (lib/functions.ts grants it no access)`);
  return supply;
}

/**
 * The composition root: every port a function uses, built once per cold start from the
 * environment, each on first use. A function without table access (health, /me) needs
 * no `TABLE_NAME`; the S3 and EventBridge adapters (and their SDK clients) are loaded
 * on their first call from the modules its entry supplied, so a function that never
 * calls them never evaluates them, and one that may not call them does not carry them.
 */
export interface Runtime extends JobRuntime {
  /** The one DynamoDB document client every store and the run ledger share. */
  readonly documentClient: DynamoDBDocumentClient;
  /** The one S3 client of the evidence bucket (the evidence objects' and the anchors'). */
  readonly s3Client: Promise<S3Client>;
}

let built: Runtime | undefined;

/** This process's runtime, built on first call. */
export function runtime(): Runtime {
  built ??= build(config());
  return built;
}

/** The use cases' ports of this process. */
export function deps(): Deps {
  return runtime().deps;
}

/** Real time. */
const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is not set: this function has no access to it`);
  return value;
}

function build(cfg: Config): Runtime {
  const clock = systemClock;
  const ulid = monotonicFactory();
  const shared = lazily({
    stores: () => adapter('table'),
    doc: () => adapter('table').createDocumentClient({ region: cfg.AWS_REGION, endpoint: cfg.DYNAMODB_ENDPOINT }),
    table: () => required(cfg.TABLE_NAME, 'TABLE_NAME'),
    s3: async () => (await adapter('bucket')()).createS3Client({ region: cfg.AWS_REGION, endpoint: cfg.S3_ENDPOINT }),
    bucket: () => required(cfg.EVIDENCE_BUCKET, 'EVIDENCE_BUCKET'),
  });
  const deps = lazily<Deps>({
    plans: () => new shared.stores.DynamoPlanStore(shared.doc, shared.table),
    findings: () => new shared.stores.DynamoFindingStore(shared.doc, shared.table),
    actions: () => new shared.stores.DynamoActionStore(shared.doc, shared.table),
    evidence: () => new shared.stores.DynamoEvidenceStore(shared.doc, shared.table),
    disposals: () => new shared.stores.DynamoDisposalStore(shared.doc, shared.table),
    tasks: () => new shared.stores.DynamoTaskStore(shared.doc, shared.table),
    inspections: () => new shared.stores.DynamoInspectionStore(shared.doc, shared.table),
    contractors: () => new shared.stores.DynamoContractorStore(shared.doc, shared.table),
    contractorChecks: () => new shared.stores.DynamoContractorCheckStore(shared.doc, shared.table),
    incidents: () => new shared.stores.DynamoIncidentStore(shared.doc, shared.table),
    staff: () => new shared.stores.DynamoStaffStore(shared.doc, shared.table),
    trainings: () => new shared.stores.DynamoTrainingStore(shared.doc, shared.table),
    attendance: () => new shared.stores.DynamoAttendanceStore(shared.doc, shared.table),
    auditTrail: () => new shared.stores.DynamoAuditTrail(shared.doc, shared.table),
    idempotency: () => new shared.stores.DynamoIdempotencyStore(shared.doc, shared.table),
    claims: () => new shared.stores.DynamoClaimStore(shared.doc, shared.table),
    writer: () => new shared.stores.DynamoChangeWriter(shared.doc, shared.table, clock),
    objects: () =>
      deferred<EvidenceObjects>(async () => new (await adapter('bucket')()).S3EvidenceObjects(await shared.s3, shared.bucket, clock), {
        presignUpload: true,
        presignDownload: true,
        inspect: true,
        copy: true,
        remove: true,
      }),
    scanner: () =>
      cfg.MALWARE_SCAN === 'guardduty'
        ? deferred<MalwareScanner>(async () => new (await adapter('bucket')()).S3GuardDutyScanResults(await shared.s3, shared.bucket), {
            reportOf: true,
          })
        : noMalwareScanner,
    anchors: () =>
      deferred<TrailAnchors>(async () => new (await adapter('bucket')()).S3TrailAnchors(await shared.s3, shared.bucket, clock), {
        putOnce: true,
        latest: true,
        get: true,
      }),
    events: () => publisher(cfg),
    evidenceMaxBytes: () => cfg.EVIDENCE_MAX_BYTES,
    clock: () => clock,
    ids: () => ({ next: () => ulid() }),
    profile: () => practisedProfile(cfg.PROFILE_ID, cfg.PRACTICES_JSON),
    organisation: () => ({ departments: cfg.DEPARTMENTS_JSON }),
  });
  return lazily<Runtime>({
    deps: () => deps,
    runs: () => new shared.stores.DynamoRunLedger(shared.doc, shared.table),
    documentClient: () => shared.doc,
    s3Client: () => shared.s3,
  });
}

/** The bus where `EVENT_BUS_NAME` names one (AWS); else JSON lines on stdout, or a recorder (`LOCAL_EVENTS=memory`, tests). */
function publisher(cfg: Config): EventPublisher {
  const busName = cfg.EVENT_BUS_NAME;
  if (busName) {
    const bus = deferred<EventPublisher>(async () => (await adapter('bus')()).busPublisher({ busName, region: cfg.AWS_REGION }), {
      publish: true,
    });
    // A publisher never throws (the data has committed): a bus client that cannot be made is logged and counted.
    return {
      publish: async (events) => {
        try {
          return await bus.publish(events);
        } catch (error) {
          logger.error('the events bus client could not be made', { error: error as Error, busName });
          return { published: 0, failed: events.length };
        }
      },
    };
  }
  return cfg.LOCAL_EVENTS === 'memory' ? new MemoryPublisher() : new LogPublisher();
}
