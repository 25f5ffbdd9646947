import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest, PlanReader } from '#lib/app/ports.js';
import type { Plan, PlanStatus } from '#lib/domain/plan.js';
import { lists } from './keys.js';
import { getEntity, queryPage } from './table.js';

/** 監査計画 reads: one GetItem by id, one Query per list page. */
export class DynamoPlanStore implements PlanReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(planId: string): Promise<Plan | undefined> {
    return getEntity<Plan>(this.doc, this.tableName, 'plan', planId);
  }

  list(q: { fiscalYear: number; status?: PlanStatus | undefined } & PageRequest): Promise<Page<Plan>> {
    return queryPage<Plan>(this.doc, this.tableName, lists.plansByFiscalYear(q.fiscalYear, q.status), q, { newestFirst: true });
  }
}
