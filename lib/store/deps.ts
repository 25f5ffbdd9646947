import { monotonicFactory } from 'ulid';
import type { Deps, EvidenceObjects, TrailAnchors } from '#lib/app/ports.js';
import { config } from '#lib/config.js';
import { getProfile } from '#lib/profiles/index.js';
import { DynamoActionStore } from './action-store.js';
import { S3TrailAnchors } from './anchor-store.js';
import { DynamoAuditTrail } from './audit-store.js';
import { DynamoChangeWriter } from './change-writer.js';
import { DynamoClaimStore } from './claim-store.js';
import { createDocumentClient } from './dynamo.js';
import { DynamoFindingStore } from './finding-store.js';
import { DynamoIdempotencyStore } from './idempotency-store.js';
import { DynamoPlanStore } from './plan-store.js';
import { DynamoDisposalStore, DynamoEvidenceStore } from './evidence-store.js';
import { S3EvidenceObjects, createS3Client } from './s3.js';
import { DynamoTaskStore } from './task-store.js';
import { DynamoContractorCheckStore, DynamoContractorStore, DynamoInspectionStore } from './inspection-store.js';

type TableDeps = Pick<
  Deps,
  | 'plans'
  | 'findings'
  | 'actions'
  | 'evidence'
  | 'disposals'
  | 'tasks'
  | 'inspections'
  | 'contractors'
  | 'contractorChecks'
  | 'auditTrail'
  | 'idempotency'
  | 'claims'
  | 'writer'
>;

let built: Deps | undefined;

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is not set: this function has no access to it`);
  return value;
}

/**
 * The real dependencies, built once per cold start from the environment. The table
 * parts are made on first use, so a function without table access (health, /me)
 * needs no TABLE_NAME.
 */
export function deps(): Deps {
  if (built) return built;
  const cfg = config();
  const ulid = monotonicFactory();
  let table: TableDeps | undefined;
  let objects: EvidenceObjects | undefined;
  let anchors: TrailAnchors | undefined;
  const tableDeps = (): TableDeps => {
    if (table) return table;
    const tableName = required(cfg.TABLE_NAME, 'TABLE_NAME');
    const doc = createDocumentClient({ region: cfg.AWS_REGION, endpoint: cfg.DYNAMODB_ENDPOINT });
    table = {
      plans: new DynamoPlanStore(doc, tableName),
      findings: new DynamoFindingStore(doc, tableName),
      actions: new DynamoActionStore(doc, tableName),
      evidence: new DynamoEvidenceStore(doc, tableName),
      disposals: new DynamoDisposalStore(doc, tableName),
      tasks: new DynamoTaskStore(doc, tableName),
      inspections: new DynamoInspectionStore(doc, tableName),
      contractors: new DynamoContractorStore(doc, tableName),
      contractorChecks: new DynamoContractorCheckStore(doc, tableName),
      auditTrail: new DynamoAuditTrail(doc, tableName),
      idempotency: new DynamoIdempotencyStore(doc, tableName),
      claims: new DynamoClaimStore(doc, tableName),
      writer: new DynamoChangeWriter(doc, tableName),
    };
    return table;
  };
  built = {
    get plans() {
      return tableDeps().plans;
    },
    get findings() {
      return tableDeps().findings;
    },
    get actions() {
      return tableDeps().actions;
    },
    get evidence() {
      return tableDeps().evidence;
    },
    get disposals() {
      return tableDeps().disposals;
    },
    get tasks() {
      return tableDeps().tasks;
    },
    get inspections() {
      return tableDeps().inspections;
    },
    get contractors() {
      return tableDeps().contractors;
    },
    get contractorChecks() {
      return tableDeps().contractorChecks;
    },
    get objects() {
      objects ??= new S3EvidenceObjects(
        createS3Client({ region: cfg.AWS_REGION, endpoint: cfg.S3_ENDPOINT }),
        required(cfg.EVIDENCE_BUCKET, 'EVIDENCE_BUCKET'),
      );
      return objects;
    },
    get anchors() {
      anchors ??= new S3TrailAnchors(
        createS3Client({ region: cfg.AWS_REGION, endpoint: cfg.S3_ENDPOINT }),
        required(cfg.EVIDENCE_BUCKET, 'EVIDENCE_BUCKET'),
      );
      return anchors;
    },
    evidenceMaxBytes: cfg.EVIDENCE_MAX_BYTES,
    get auditTrail() {
      return tableDeps().auditTrail;
    },
    get idempotency() {
      return tableDeps().idempotency;
    },
    get claims() {
      return tableDeps().claims;
    },
    get writer() {
      return tableDeps().writer;
    },
    clock: { now: () => new Date() },
    ids: { next: () => ulid() },
    profile: getProfile(cfg.PROFILE_ID),
    organisation: { departments: cfg.DEPARTMENTS_JSON },
  };
  return built;
}
