import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { Clock, Deps, EventPublisher, EvidenceObjects, MalwareScanner, TrailAnchors } from '#lib/app/ports.js';
import { type Config, config } from '#lib/config.js';
import { LogPublisher, MemoryPublisher } from '#lib/jobs/events.js';
import type { JobRuntime } from '#lib/jobs/runner.js';
import { logger } from '#lib/logger.js';
import { deferred, lazily } from './lazy.js';
import { practisedProfile } from '#lib/profiles/practices.js';
import { DynamoActionStore } from '#lib/store/action-store.js';
import { DynamoAuditTrail } from '#lib/store/audit-store.js';
import { DynamoChangeWriter } from '#lib/store/change-writer.js';
import { DynamoClaimStore } from '#lib/store/claim-store.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { DynamoDisposalStore, DynamoEvidenceStore } from '#lib/store/evidence-store.js';
import { DynamoFindingStore } from '#lib/store/finding-store.js';
import { noMalwareScanner } from '#lib/store/no-scanner.js';
import { DynamoIdempotencyStore } from '#lib/store/idempotency-store.js';
import { DynamoIncidentStore } from '#lib/store/incident-store.js';
import { DynamoContractorCheckStore, DynamoContractorStore, DynamoInspectionStore } from '#lib/store/inspection-store.js';
import { DynamoPlanStore } from '#lib/store/plan-store.js';
import { DynamoRunLedger } from '#lib/store/run-store.js';
import { DynamoAttendanceStore, DynamoStaffStore, DynamoTrainingStore } from '#lib/store/staff-store.js';
import { DynamoTaskStore } from '#lib/store/task-store.js';

/**
 * The composition root: every port a function uses, built once per cold start from the
 * environment, each on first use. A function without table access (health, /me) needs
 * no `TABLE_NAME`; the S3 and EventBridge adapters (and their SDK clients) are loaded
 * on their first call, so a function that never calls them never evaluates them.
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
    doc: () => createDocumentClient({ region: cfg.AWS_REGION, endpoint: cfg.DYNAMODB_ENDPOINT }),
    table: () => required(cfg.TABLE_NAME, 'TABLE_NAME'),
    s3: async () => (await import('#lib/store/s3.js')).createS3Client({ region: cfg.AWS_REGION, endpoint: cfg.S3_ENDPOINT }),
    bucket: () => required(cfg.EVIDENCE_BUCKET, 'EVIDENCE_BUCKET'),
  });
  const deps = lazily<Deps>({
    plans: () => new DynamoPlanStore(shared.doc, shared.table),
    findings: () => new DynamoFindingStore(shared.doc, shared.table),
    actions: () => new DynamoActionStore(shared.doc, shared.table),
    evidence: () => new DynamoEvidenceStore(shared.doc, shared.table),
    disposals: () => new DynamoDisposalStore(shared.doc, shared.table),
    tasks: () => new DynamoTaskStore(shared.doc, shared.table),
    inspections: () => new DynamoInspectionStore(shared.doc, shared.table),
    contractors: () => new DynamoContractorStore(shared.doc, shared.table),
    contractorChecks: () => new DynamoContractorCheckStore(shared.doc, shared.table),
    incidents: () => new DynamoIncidentStore(shared.doc, shared.table),
    staff: () => new DynamoStaffStore(shared.doc, shared.table),
    trainings: () => new DynamoTrainingStore(shared.doc, shared.table),
    attendance: () => new DynamoAttendanceStore(shared.doc, shared.table),
    auditTrail: () => new DynamoAuditTrail(shared.doc, shared.table),
    idempotency: () => new DynamoIdempotencyStore(shared.doc, shared.table),
    claims: () => new DynamoClaimStore(shared.doc, shared.table),
    writer: () => new DynamoChangeWriter(shared.doc, shared.table, clock),
    objects: () =>
      deferred<EvidenceObjects>(
        async () => new (await import('#lib/store/s3.js')).S3EvidenceObjects(await shared.s3, shared.bucket, clock),
        { presignUpload: true, presignDownload: true, inspect: true, copy: true, remove: true },
      ),
    scanner: () =>
      cfg.MALWARE_SCAN === 'guardduty'
        ? deferred<MalwareScanner>(
            async () => new (await import('#lib/store/s3.js')).S3GuardDutyScanResults(await shared.s3, shared.bucket),
            { reportOf: true },
          )
        : noMalwareScanner,
    anchors: () =>
      deferred<TrailAnchors>(
        async () => new (await import('#lib/store/anchor-store.js')).S3TrailAnchors(await shared.s3, shared.bucket, clock),
        {
          putOnce: true,
          latest: true,
          get: true,
        },
      ),
    events: () => publisher(cfg),
    evidenceMaxBytes: () => cfg.EVIDENCE_MAX_BYTES,
    clock: () => clock,
    ids: () => ({ next: () => ulid() }),
    profile: () => practisedProfile(cfg.PROFILE_ID, cfg.PRACTICES_JSON),
    organisation: () => ({ departments: cfg.DEPARTMENTS_JSON }),
  });
  return lazily<Runtime>({
    deps: () => deps,
    runs: () => new DynamoRunLedger(shared.doc, shared.table),
    documentClient: () => shared.doc,
    s3Client: () => shared.s3,
  });
}

/** The bus where `EVENT_BUS_NAME` names one (AWS); else JSON lines on stdout, or a recorder (`LOCAL_EVENTS=memory`, tests). */
function publisher(cfg: Config): EventPublisher {
  const busName = cfg.EVENT_BUS_NAME;
  if (busName) {
    const bus = deferred<EventPublisher>(
      async () => (await import('#lib/jobs/event-bus.js')).busPublisher({ busName, region: cfg.AWS_REGION }),
      { publish: true },
    );
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
