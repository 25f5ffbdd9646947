import type { AuditEvent, EntityOf, EntityType } from '#lib/domain/audit.js';
import type { ActionNote, ActionStatus, FollowUpAction } from '#lib/domain/action.js';
import type { Finding } from '#lib/domain/finding.js';
import type { Disposal } from '#lib/domain/disposal.js';
import type { Evidence, EvidenceTargetType, ObservedUpload, ScanReport, UploadVersion } from '#lib/domain/evidence.js';
import type { Organisation } from '#lib/domain/organisation.js';
import type { Plan, PlanStatus } from '#lib/domain/plan.js';
import type { ScopeId } from '#lib/domain/scopes.js';
import type { Task, TaskAssignee, TaskStatus, TaskSubjectType } from '#lib/domain/task.js';
import type { Inspection, InspectionStatus } from '#lib/domain/inspection.js';
import type { Contractor, ContractorCheck } from '#lib/domain/contractor.js';
import type { Incident, IncidentStatus } from '#lib/domain/incident.js';
import type { Staff, StaffPeriod } from '#lib/domain/staff.js';
import type { AttendanceRoll, Training } from '#lib/domain/training.js';
import type { RegulationProfile } from '#lib/profiles/index.js';

/**
 * What the use cases need from the outside world. lib/store implements these
 * against DynamoDB; unit tests pass fakes.
 */

export interface Clock {
  now(): Date;
  /** Wait this long (a retry's backoff): real time in the runtime, none in tests. */
  sleep(ms: number): Promise<void>;
}

export interface IdGenerator {
  /** A new ULID. */
  next(): string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** An append-only item written with a change in its entity's partition (an action's note): put once, never rewritten. */
export interface ChildItem {
  /** `note`: an action's 経過; `period`: what held for a person before a change from a later date (its body carries its index keys). */
  kind: 'note' | 'period';
  /** Unique within the entity and kind; sorts in the order the items were written. */
  id: string;
  body: Record<string, unknown>;
}

/** One entity write with its audit event; `expectedVersion` null means "must not exist yet". */
export interface ChangeOf<T extends EntityType> {
  entityType: T;
  entity: EntityOf<T>;
  entityId: string;
  expectedVersion: number | null;
  event: AuditEvent;
  /** Items appended with the change (notes): what a user may add to again and again never grows the entity. */
  children?: ChildItem[];
}

/** A change of any entity type, whose `entity` is the domain type of its `entityType` (`Entities` of lib/domain/audit.ts). */
export type Change = { [T in EntityType]: ChangeOf<T> }[EntityType];

/** A condition on an entity the change reads but does not write: it must still be at this version. */
export interface Precheck {
  entityType: EntityType;
  entityId: string;
  version: number;
  /**
   * Also count a change among the entity's children (a plan's findings and actions):
   * a plan transition read before it then fails, so the report and close gates can
   * never miss a finding or action that lands while they decide.
   */
  bumpChildren?: boolean;
}

/**
 * An event kansa announces (lib/jobs/events.ts): `kansa.TaskCreated`, `kansa.ActionOverdue` by the
 * duties, `kansa.IncidentReported` when a 事案 is reported, `kansa.IncidentDeadlinePassed` by the
 * `incident-deadlines` duty.
 */
export interface OutboundEvent {
  type: 'TaskCreated' | 'ActionOverdue' | 'IncidentReported' | 'IncidentDeadlinePassed';
  detail: Record<string, unknown>;
}

/** What a publish did: entries accepted by the bus, and those given up on (already logged). */
export interface Delivery {
  published: number;
  failed: number;
}

/**
 * Where kansa announces tasks created and actions overdue, so a municipality can route
 * them to mail or chat without changing kansa (lib/jobs/event-bus.ts: the EventBridge bus
 * in AWS; lib/jobs/events.ts: JSON lines locally, a recorder in tests). Publishing happens after the data committed and never
 * throws: an event that cannot be put is logged and counted in `failed`.
 */
export interface EventPublisher {
  publish(events: readonly OutboundEvent[]): Promise<Delivery>;
}

/**
 * A unit of periodic-duty work, keyed (duty, period, subject): put with
 * `attribute_not_exists` in the same transaction as the work, so the work lands once.
 */
export interface Claim {
  duty: string;
  period: string;
  /** What the unit is about: a 課 code, an action id, `<actionId>#reminder-7` … */
  subject: string;
  /**
   * The unit's outbox: the events it announces, stored on the claim item in the same
   * transaction as the work, so a run that dies before publishing them can publish
   * them on its next delivery (from {@link AlreadyClaimed.events} or a {@link ClaimReader}).
   */
  events?: OutboundEvent[];
  /** What the work answered, for a repeated request (Idempotency-Key) to answer again: a register import's summary. */
  answer?: Record<string, unknown>;
}

/** The commit was cancelled because a claim already exists: the unit was done before; nothing was written. */
export class AlreadyClaimed extends Error {
  /**
   * @param claim the claim the commit asked for
   * @param events the events stored on the existing claim item (its outbox), returned by
   *   the cancelled transaction itself (no extra read); empty for a claim stored without any
   */
  constructor(
    readonly claim: Claim,
    readonly events: OutboundEvent[] = [],
  ) {
    super(`already claimed: ${claim.duty} ${claim.period} ${claim.subject}`);
    this.name = 'AlreadyClaimed';
  }
}

/** Reads claim items: a resumed duty run finds there the events of units it does not commit again. */
export interface ClaimReader {
  /** The claim of a unit with its stored events (one strongly consistent read); undefined when the unit was never done. */
  get(duty: string, period: string, subject: string): Promise<Claim | undefined>;
  /**
   * The claims of a duty's period with their stored events, one strongly consistent Query
   * per page: for a resumed run of a duty whose done units leave the list it works from.
   */
  list(duty: string, period: string, page: PageRequest): Promise<Page<Claim>>;
}

/**
 * The claim of an `Idempotency-Key` on a create: put in the same transaction as the
 * creation, with a snapshot of the created entity (the first change that makes a new
 * entity), so the same request again is answered from it and writes nothing.
 */
export interface IdempotencyClaim {
  /** SHA-256 of the caller's sub and the key: keys of different people never meet. */
  scope: string;
  /** The route the key was first used on. */
  route: string;
  /** SHA-256 of the route, path parameters and body: the same key with another request is a 422. */
  fingerprint: string;
  /** Epoch seconds now: an expired record (not yet removed by TTL) counts as absent. */
  now: number;
  /** Epoch seconds after which DynamoDB's TTL removes the record. */
  expiresAt: number;
}

/** A stored Idempotency-Key record: what the first request created. */
export interface IdempotencyRecord {
  route: string;
  fingerprint: string;
  entityType: EntityType;
  entityId: string;
  /** The created entity as it was committed (version 1). */
  snapshot: Change['entity'];
  expiresAt: number;
}

/** The commit was cancelled because its Idempotency-Key record exists: the create was done before; nothing was written. */
export class AlreadyCreated extends Error {
  constructor(readonly record: IdempotencyRecord) {
    super(`idempotency key already used for ${record.entityType} ${record.entityId}`);
    this.name = 'AlreadyCreated';
  }
}

/** Reads Idempotency-Key records (strongly consistent); an expired one is undefined. */
export interface IdempotencyReader {
  get(scope: string, nowEpochSeconds: number): Promise<IdempotencyRecord | undefined>;
}

/** The items one commit holds: DynamoDB takes at most this many in one TransactWriteItems (more changes nothing). */
export const maxTransactItems = 100;

/**
 * Writes changes atomically: all entities and all their audit events, or nothing;
 * `checks` name entities that must not have changed since they were read; `claims`
 * must not exist yet (else {@link AlreadyClaimed} and nothing is written); an
 * `idempotency` claim must not exist yet either (else {@link AlreadyCreated}).
 */
export interface ChangeWriter {
  commit(changes: Change[], checks?: Precheck[], claims?: Claim[], idempotency?: IdempotencyClaim): Promise<void>;
  /**
   * An audit event that records an access, not a change (evidence downloads): the
   * event is put and the entity's chain head moves from `event.prevHash` to it.
   */
  appendEvent(event: AuditEvent): Promise<void>;
}

export interface EvidenceReader {
  get(evidenceId: string): Promise<Evidence | undefined>;
  listByTarget(type: EvidenceTargetType, id: string, page: PageRequest): Promise<Page<Evidence>>;
  /** Evidence still `pending` that was registered before `createdBefore` (ISO), oldest first, from a sparse index (no Scan). */
  listPendingBefore(createdBefore: string, page: PageRequest): Promise<Page<Evidence>>;
}

export interface DisposalReader {
  get(disposalId: string): Promise<Disposal | undefined>;
  list(query: { fiscalYear: number; department?: string | undefined } & PageRequest): Promise<Page<Disposal>>;
}

/** The evidence bucket. Bytes go between the browser and S3; only verification reads them. */
export interface EvidenceObjects {
  /** A presigned POST pinning the key, exact size, content type and SHA-256. */
  presignUpload(
    key: string,
    file: { contentType: string; size: number; sha256: string },
  ): Promise<{ url: string; fields: Record<string, string>; expiresAt: string }>;
  presignDownload(key: string, file: { fileName: string; contentType: string }): Promise<{ url: string; expiresAt: string }>;
  /**
   * Size, SHA-256 and type by magic bytes of an uploaded object, in the version asked for
   * (else the current one), with the version and ETag it read; undefined when it is not there.
   */
  inspect(key: string, version?: UploadVersion): Promise<(ObservedUpload & UploadVersion) | undefined>;
  /**
   * Server-side copy of that version (and only while its ETag still matches); the
   * destination gets the bucket's retention (evidence) or a short one (quarantine).
   */
  copy(from: string, to: string, retention: 'default' | 'quarantine', version?: UploadVersion): Promise<{ sourceVersionId?: string }>;
  /** Delete one version of an object (the one copied), or the object where there are no versions. */
  remove(key: string, versionId?: string): Promise<void>;
}

/**
 * The malware scanner of uploads: GuardDuty's result tag on the object in AWS
 * (`MALWARE_SCAN=guardduty`), or `{ scanner: 'none' }` where nothing scans (locally,
 * `-c malwareScan=off`), so the verifier records the scan as skipped, never as clean.
 */
export interface MalwareScanner {
  /** The report on exactly this version of the upload; undefined while the scanner has not reported on it yet. */
  reportOf(key: string, version: UploadVersion): Promise<ScanReport | undefined>;
}

export interface PlanReader {
  get(planId: string): Promise<Plan | undefined>;
  list(query: { fiscalYear: number; status?: PlanStatus | undefined } & PageRequest): Promise<Page<Plan>>;
  /** Every finding and action of a plan together, read strongly consistent: one Query per page for both. */
  children(planId: string, page: PageRequest): Promise<Page<Finding | FollowUpAction>>;
}

export interface FindingReader {
  get(findingId: string): Promise<Finding | undefined>;
  list(planId: string, filter: { scope?: ScopeId | undefined; department?: string | undefined } & PageRequest): Promise<Page<Finding>>;
}

export interface ActionReader {
  get(actionId: string): Promise<FollowUpAction | undefined>;
  /** `overdueBefore`: today's date in Japan; only actions due before it and still owed. */
  list(
    filter: { department?: string | undefined; status?: ActionStatus | undefined; overdueBefore?: string | undefined } & PageRequest,
  ): Promise<Page<FollowUpAction>>;
  /** Every action of a plan, read strongly consistent (for the gates). */
  listOfPlan(planId: string, page: PageRequest): Promise<Page<FollowUpAction>>;
  /** An action's notes, oldest first (one strongly consistent Query per page). */
  notes(actionId: string, page: PageRequest): Promise<Page<ActionNote>>;
  /** Actions the 課 still owes that are due on exactly this date (for reminders), from one index. */
  listOwedDueOn(date: string, page: PageRequest): Promise<Page<FollowUpAction>>;
}

export interface TaskReader {
  get(taskId: string): Promise<Task | undefined>;
  /** Several tasks by id in one read (strongly consistent); unknown ids are left out. */
  getMany(taskIds: readonly string[]): Promise<Task[]>;
  /**
   * Tasks of several assignees, merged by due date: one Query per assignee per page.
   * The cursor is the last task's sort key, the same in every assignee's index.
   */
  listForAssignees(assignees: readonly TaskAssignee[], query: { status: TaskStatus } & PageRequest): Promise<Page<Task>>;
  listForDepartment(department: string, query: { status: TaskStatus } & PageRequest): Promise<Page<Task>>;
  /** Open tasks about one subject (e.g. the draftPlan task of a 年度), from an index. */
  openOfSubject(type: TaskSubjectType, id: string): Promise<Task[]>;
}

export interface InspectionReader {
  get(inspectionId: string): Promise<Inspection | undefined>;
  list(
    query: { department?: string | undefined; period?: string | undefined; status?: InspectionStatus | undefined } & PageRequest,
  ): Promise<Page<Inspection>>;
}

export interface ContractorReader {
  get(contractorId: string): Promise<Contractor | undefined>;
  list(query: { department?: string | undefined } & PageRequest): Promise<Page<Contractor>>;
}

export interface ContractorCheckReader {
  get(checkId: string): Promise<ContractorCheck | undefined>;
  list(query: { fiscalYear: number; department?: string | undefined } & PageRequest): Promise<Page<ContractorCheck>>;
}

export interface IncidentReader {
  get(incidentId: string): Promise<Incident | undefined>;
  /** 事案 of a 年度, of every 課 or of one, optionally in one status (one index's key range). */
  list(
    query: { fiscalYear: number; department?: string | undefined; status?: IncidentStatus | undefined } & PageRequest,
  ): Promise<Page<Incident>>;
  /** 事案 one person reported, by 年度 (and status): a reporter with no role reads their own. */
  listReportedBy(sub: string, query: { fiscalYear: number; status?: IncidentStatus | undefined } & PageRequest): Promise<Page<Incident>>;
  /** Every 事案 not closed, of any 年度, oldest discovery first, from a sparse index (the daily deadline duty). */
  listOpen(page: PageRequest): Promise<Page<Incident>>;
}

export interface StaffReader {
  get(staffId: string): Promise<Staff | undefined>;
  /**
   * One page of a 課's register from its index: its people (with `since`) and their periods (with
   * `validFrom`), each person's periods just before them. `registerOf` (lib/app/registers.ts) reads it whole.
   */
  registerPage(department: string, page: PageRequest): Promise<Page<Staff | StaffPeriod>>;
}

export interface TrainingReader {
  get(trainingId: string): Promise<Training | undefined>;
  /** A 年度's sessions, by first day of 実施時期. */
  list(query: { fiscalYear: number } & PageRequest): Promise<Page<Training>>;
}

export interface AttendanceReader {
  /** A roll by its id, `<trainingId>-<課>` (`rollIdOf`). */
  get(rollId: string): Promise<AttendanceRoll | undefined>;
  /** A session's rolls, by 課. */
  ofTraining(trainingId: string, page: PageRequest): Promise<Page<AttendanceRoll>>;
  /** A 課's rolls of a 年度, by session. */
  ofDepartment(department: string, fiscalYear: number, page: PageRequest): Promise<Page<AttendanceRoll>>;
}

/** An entity's whole trail as stored, in no particular order (`chainOrder` of lib/domain/audit.ts orders it). */
export interface StoredTrail {
  events: AuditEvent[];
  /** Ids of events stored under the key of another event (contents moved between keys). */
  misfiled: string[];
}

/**
 * An entity and its trail, read together: one strongly consistent Query of the entity's
 * partition returns its item on the first page and its events (page by page), so
 * whoever reads the whole trail reads the entity (who may see it, the head it records)
 * without a read of its own.
 */
export interface EntityTrail<T extends EntityType> {
  /** The entity as its reader's `get` gives it (undefined when there is none): the first page, read once. */
  entity(): Promise<EntityOf<T> | undefined>;
  /** Every event of the trail: the first page's and those of the pages after it, read now. */
  events(): Promise<StoredTrail>;
}

export interface AuditTrailReader {
  /** An entity with its whole trail ({@link EntityTrail}); nothing is read until it is asked for. */
  trail<T extends EntityType>(entityType: T, entityId: string): EntityTrail<T>;
  /** One page of an entity's trail in key order (by version; one Query, strongly consistent). */
  list(entityType: EntityType, entityId: string, page: PageRequest): Promise<Page<AuditEvent>>;
  /** The audit events of every entity written on one Japan day (`YYYY-MM-DD`), from its index, a page at a time. */
  ofDay(date: string, page: PageRequest): Promise<Page<AuditEvent>>;
}

/**
 * The audit trail's anchors (lib/domain/anchor.ts): JSON objects under `anchors/` of the
 * evidence bucket, written once each and kept by its Object Lock (in AWS; the local S3
 * emulator has no Object Lock, the code path is the same).
 */
export interface TrailAnchors {
  /** Write an object unless its key exists already (S3 `If-None-Match: *`): false when it did. */
  putOnce(key: string, body: string): Promise<boolean>;
  /** The object with the greatest key under `prefix` (the newest, where keys end in a date), parsed as JSON; undefined when there is none. */
  latest(prefix: string): Promise<{ key: string; body: unknown } | undefined>;
  /** One object parsed as JSON (undefined when it is not there or not JSON). */
  get(key: string): Promise<unknown>;
}

/** Everything a use case may use, built once per cold start. */
export interface Deps {
  plans: PlanReader;
  findings: FindingReader;
  actions: ActionReader;
  evidence: EvidenceReader;
  disposals: DisposalReader;
  tasks: TaskReader;
  inspections: InspectionReader;
  contractors: ContractorReader;
  contractorChecks: ContractorCheckReader;
  incidents: IncidentReader;
  staff: StaffReader;
  trainings: TrainingReader;
  attendance: AttendanceReader;
  objects: EvidenceObjects;
  /** What the malware scanner reported on an upload (GuardDuty's tag in AWS; nothing scans locally). */
  scanner: MalwareScanner;
  /** Largest evidence file accepted, in bytes. */
  evidenceMaxBytes: number;
  auditTrail: AuditTrailReader;
  /** The audit trail's anchors outside the table (the evidence bucket's `anchors/`). */
  anchors: TrailAnchors;
  idempotency: IdempotencyReader;
  /** Claim items of the periodic duties (their outbox). */
  claims: ClaimReader;
  /**
   * Where events are announced: by the duty runs, and by a use case outside them that
   * creates a task (a contractor registered mid-year: its check). The bus in AWS, JSON
   * lines locally, a recorder in tests (lib/runtime/ports.ts chooses by configuration).
   */
  events: EventPublisher;
  writer: ChangeWriter;
  clock: Clock;
  ids: IdGenerator;
  profile: RegulationProfile;
  organisation: Organisation;
}
