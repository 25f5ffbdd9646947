import type { AuditEvent, EntityType } from '#lib/domain/audit.js';
import type { Plan, PlanStatus } from '#lib/domain/plan.js';
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
  entity: { version: number } & (Plan | Record<string, unknown>);
  entityId: string;
  expectedVersion: number | null;
  event: AuditEvent;
}

/** Writes changes atomically: all entities and all their audit events, or nothing. */
export interface ChangeWriter {
  commit(changes: Change[]): Promise<void>;
}

export interface PlanReader {
  get(planId: string): Promise<Plan | undefined>;
  list(query: { fiscalYear: number; status?: PlanStatus | undefined } & PageRequest): Promise<Page<Plan>>;
}

export interface AuditTrailReader {
  list(entityType: EntityType, entityId: string, page: PageRequest): Promise<Page<AuditEvent>>;
}

/** Everything a use case may use, built once per cold start. */
export interface Deps {
  plans: PlanReader;
  auditTrail: AuditTrailReader;
  writer: ChangeWriter;
  clock: Clock;
  ids: IdGenerator;
  profile: RegulationProfile;
}
