import type { EntityType } from '#lib/domain/audit.js';
import type { IndexName } from './table-design.js';

/**
 * Every key of the single table is built here and nowhere else.
 *
 * | item        | pk            | sk            | gsi1pk         | gsi1sk   | gsi2pk                   | gsi2sk   |
 * |-------------|---------------|---------------|----------------|----------|--------------------------|----------|
 * | plan        | PLAN#<id>     | PLAN          | PLANS#FY<fy>   | <planId> | PLANS#FY<fy>#<status>    | <planId> |
 * | audit event | <entity pk>   | EVENT#<ulid>  |                |          |                          |          |
 *
 * ULIDs sort by time, so the indexes list plans in creation order and a trail in
 * the order it happened.
 */
export interface Key {
  pk: string;
  sk: string;
}

const entityPrefix: Record<EntityType, string> = { plan: 'PLAN' };
const plansOfYear = (fiscalYear: number) => `PLANS#FY${fiscalYear}`;
const plansOfYearInStatus = (fiscalYear: number, status: string) => `${plansOfYear(fiscalYear)}#${status}`;

export const keys = {
  plan(planId: string): Key {
    return { pk: `PLAN#${planId}`, sk: 'PLAN' };
  },
  planIndexes(p: { planId: string; fiscalYear: number; status: string }) {
    return {
      gsi1pk: plansOfYear(p.fiscalYear),
      gsi1sk: p.planId,
      gsi2pk: plansOfYearInStatus(p.fiscalYear, p.status),
      gsi2sk: p.planId,
    };
  },
  /** The partition holding an entity and its audit trail. */
  entityPartition(entityType: EntityType, entityId: string): string {
    return `${entityPrefix[entityType]}#${entityId}`;
  },
  auditEvent(entityType: EntityType, entityId: string, eventId: string): Key {
    return { pk: keys.entityPartition(entityType, entityId), sk: `${keys.auditEventPrefix}${eventId}` };
  },
  auditEventPrefix: 'EVENT#',
} as const;

/** A list query: which index (or the table) and which partition. */
export interface ListQuery {
  index?: IndexName;
  partition: string;
  skPrefix?: string;
}

export const lists = {
  plansByFiscalYear(fiscalYear: number, status?: string): ListQuery {
    return status
      ? { index: 'gsi2', partition: plansOfYearInStatus(fiscalYear, status) }
      : { index: 'gsi1', partition: plansOfYear(fiscalYear) };
  },
  auditTrail(entityType: EntityType, entityId: string): ListQuery {
    return { partition: keys.entityPartition(entityType, entityId), skPrefix: keys.auditEventPrefix };
  },
};
