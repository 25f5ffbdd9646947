/**
 * The Lambda functions: what CDK builds for each and what the local runtime loads.
 * The HTTP functions serve the routes of lib/http/routes.ts (each route names its
 * function); the event functions are invoked by S3; the scheduled jobs' function is
 * in lib/jobs/schedule.ts.
 */

/** One Lambda function per area; its entry is `functions/http/<fn>.ts`. */
export const functionNames = [
  'system',
  'plans',
  'findings',
  'actions',
  'auditLog',
  'evidence',
  'disposals',
  'reports',
  'tasks',
  'inspections',
  'contractors',
  'incidents',
  'staff',
  'trainings',
] as const;
export type FunctionName = (typeof functionNames)[number];

/** A level of access to the evidence bucket (cdk/constructs/evidence-access.ts grants each). */
export type BucketAccessLevel = 'presign' | 'verify' | 'anchorRead' | 'anchorWrite' | 'scanResult';

/**
 * How CDK (and the local gateway) build each function: its entry file and the
 * table access it needs, the least that serves its routes.
 */
export interface FunctionSpec {
  entry: string;
  table: 'none' | 'read' | 'readWrite';
  /**
   * Evidence bucket access: `presign` signs uploads to `incoming/*` and downloads of
   * `evidence/*` (the bytes never pass through the function); `verify` reads
   * `incoming/*`, copies to `evidence/*` or `quarantine/*` and removes the upload;
   * `anchorRead` lists and reads the audit trail's anchors (`anchors/entities/…`) and
   * `anchorWrite` puts them (`anchors/*`, never deletes); `scanResult` reads GuardDuty's
   * malware-scan tag on `incoming/*` (added by CDK to the verifier's and the jobs
   * function's levels where `malwareScan` is on). One level or several.
   */
  bucket?: BucketAccessLevel | readonly BucketAccessLevel[];
  /** `publish`: puts events on the jobs stack's bus (`EVENT_BUS_NAME`; events:PutEvents on that bus only). */
  events?: 'publish';
  /**
   * An event function invoked asynchronously (S3): how often Lambda retries a failed
   * invocation (0–2) and for how long, before the event goes to the function's
   * on-failure queue (with an alarm). The local S3 emulator retries as often.
   */
  asyncRetry?: { attempts: 0 | 1 | 2; maxEventAgeMinutes: number };
  /**
   * Modules the function loads with `await import()` only when a request needs them, each
   * built into a file of its own beside index.mjs, so that a cold start neither reads nor
   * parses them (cdk/function-chunks.ts builds them; the asset's package.json `imports`
   * maps each specifier to its file, as this repository's package.json maps it to the
   * source): `bundle` bundles the module; `prebuilt` evaluates it at build time with the
   * function's profile and keeps only its default export, as JSON. Every function also has
   * the chunks of {@link chunksOf}.
   */
  chunks?: Readonly<Record<ChunkSpecifier, ChunkKind>>;
  description: string;
}

/**
 * The chunks of a function: its spec's and the one every function has, the regulation
 * profile of the deployment prebuilt as data (lib/profiles/served.ts, imported statically,
 * so read at cold start: one profile of about 10 KB of JSON instead of four as code).
 */
export function chunksOf(spec: Pick<FunctionSpec, 'chunks'>): Readonly<Record<ChunkSpecifier, ChunkKind>> {
  return { '#lib/profiles/served.js': 'prebuilt', ...spec.chunks };
}

/** A module of this repository named as the code imports it (`#lib/reports/exceljs.js`). */
export type ChunkSpecifier = `#lib/${string}.js`;
/** How a chunk is built: see {@link FunctionSpec.chunks}. */
export type ChunkKind = 'bundle' | 'prebuilt';

export const functionSpecs: Record<FunctionName, FunctionSpec> = {
  system: {
    entry: 'functions/http/system.ts',
    table: 'none',
    // The OpenAPI document of the deployment's profile, built with the function: the route table's schemas are not in its bundle.
    chunks: { '#lib/http/openapi-document.js': 'prebuilt' },
    description: 'health, /me, OpenAPI',
  },
  plans: { entry: 'functions/http/plans.ts', table: 'readWrite', description: '監査計画' },
  findings: { entry: 'functions/http/findings.ts', table: 'readWrite', description: '監査所見' },
  actions: { entry: 'functions/http/actions.ts', table: 'readWrite', description: '改善措置 (フォローアップ)' },
  auditLog: {
    entry: 'functions/http/audit-log.ts',
    table: 'read',
    bucket: 'anchorRead',
    // It reads anchors only: file-type (70 KB with its readers), for verifying uploads, stays in a file it never loads.
    chunks: { '#lib/store/file-type.js': 'bundle' },
    description: '監査証跡（検証は証跡バケットのアンカーと照合）',
  },
  evidence: {
    entry: 'functions/http/evidence.ts',
    table: 'readWrite',
    bucket: 'presign',
    // It presigns only: file-type (70 KB with its readers), for verifying uploads, stays in a file it never loads.
    chunks: { '#lib/store/file-type.js': 'bundle' },
    description: '証跡 (presigned upload/download)',
  },
  disposals: { entry: 'functions/http/disposals.ts', table: 'readWrite', description: '消去・廃棄の記録' },
  reports: {
    entry: 'functions/http/reports.ts',
    table: 'read',
    // exceljs (with its zip and stream packages, ~1.7 MB) is read only when an XLSX is asked for.
    chunks: { '#lib/reports/exceljs.js': 'bundle' },
    description: '監査計画書・監査結果報告書・監査証跡 CSV',
  },
  tasks: { entry: 'functions/http/tasks.ts', table: 'read', description: '定期業務のタスク' },
  inspections: { entry: 'functions/http/inspections.ts', table: 'readWrite', events: 'publish', description: '点検' },
  contractors: {
    entry: 'functions/http/contractors.ts',
    table: 'readWrite',
    events: 'publish',
    description: '委託先と委託先の検査',
  },
  incidents: {
    entry: 'functions/http/incidents.ts',
    table: 'readWrite',
    events: 'publish',
    // The dates of the 祝日 that move a 確報 deadline: 20 KB of JSON instead of the 173 KB package.
    chunks: { '#lib/domain/holiday-dates.js': 'prebuilt' },
    description: '事案（漏えい等）と個人情報保護委員会への報告',
  },
  staff: { entry: 'functions/http/staff.ts', table: 'readWrite', description: '職員名簿（事務取扱担当者）と CSV 取込' },
  trainings: { entry: 'functions/http/trainings.ts', table: 'readWrite', description: '研修計画と受講の記録' },
};

/** Functions invoked by events rather than HTTP. */
export const eventFunctionSpecs = {
  /**
   * GuardDuty's malware scan result of an upload under `incoming/` (AWS; S3 ObjectCreated
   * where nothing scans: locally, `-c malwareScan=off`) → checks the scan, then size, magic
   * bytes and SHA-256. An event still
   * failing after an hour is for the daily `evidence-pending` duty, which re-checks evidence
   * pending for more than an hour; the failed event is kept in the on-failure queue.
   */
  evidenceUploaded: {
    entry: 'functions/events/evidence-uploaded.ts',
    table: 'readWrite',
    bucket: 'verify',
    asyncRetry: { attempts: 2, maxEventAgeMinutes: 60 },
    description: '証跡の到着検証',
  },
} as const satisfies Record<string, FunctionSpec>;
