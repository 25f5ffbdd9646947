import type { AuditEvent, EntityType } from '#lib/domain/audit.js';
import type { ActionStatus, FollowUpAction } from '#lib/domain/action.js';
import type { Finding } from '#lib/domain/finding.js';
import type { Organisation } from '#lib/domain/organisation.js';
import type { Plan, PlanStatus } from '#lib/domain/plan.js';
import type { ScopeId } from '#lib/domain/scopes.js';
import type { RegulationProfile } from '#lib/profiles/index.js';

/**
 * What the use cases need from the outside world. lib/store implements these
 * against DynamoDB; unit tests pass fakes.
 */

export interface Clock {
  now(): Date;
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

/** One entity write with its audit event; `expectedVersion` null means "must not exist yet". */
export interface Change {
  entityType: EntityType;
  entity: { version: number } & (Plan | Finding | FollowUpAction);
  entityId: string;
  expectedVersion: number | null;
  event: AuditEvent;
}

/** A condition on an entity the change reads but does not write: it must still be at this version. */
export interface Precheck {
  entityType: EntityType;
  entityId: string;
  version: number;
}

/**
 * Writes changes atomically: all entities and all their audit events, or nothing;
 * `checks` name entities that must not have changed since they were read.
 */
export interface ChangeWriter {
  commit(changes: Change[], checks?: Precheck[]): Promise<void>;
}

export interface PlanReader {
  get(planId: string): Promise<Plan | undefined>;
  list(query: { fiscalYear: number; status?: PlanStatus | undefined } & PageRequest): Promise<Page<Plan>>;
}

export interface FindingReader {
  get(findingId: string): Promise<Finding | undefined>;
  list(planId: string, filter: { scope?: ScopeId | undefined; department?: string | undefined } & PageRequest): Promise<Page<Finding>>;
}

export interface ActionReader {
  get(actionId: string): Promise<FollowUpAction | undefined>;
  /** `overdueBefore`: today's date in Japan; only actions due before it and still owed. */
  list(filter: { department?: string | undefined; status?: ActionStatus | undefined; overdueBefore?: string | undefined } & PageRequest): Promise<Page<FollowUpAction>>;
  listOfPlan(planId: string, page: PageRequest): Promise<Page<FollowUpAction>>;
}

export interface AuditTrailReader {
  list(entityType: EntityType, entityId: string, page: PageRequest): Promise<Page<AuditEvent>>;
}

/** Everything a use case may use, built once per cold start. */
export interface Deps {
  plans: PlanReader;
  findings: FindingReader;
  actions: ActionReader;
  auditTrail: AuditTrailReader;
  writer: ChangeWriter;
  clock: Clock;
  ids: IdGenerator;
  profile: RegulationProfile;
  organisation: Organisation;
}
