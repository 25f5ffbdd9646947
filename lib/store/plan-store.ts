import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest, PlanReader } from '#lib/app/ports.js';
import type { Plan, PlanStatus } from '#lib/domain/plan.js';
import { translateAwsError } from './errors.js';
import { keys, lists } from './keys.js';
import { queryPage, stripKeys } from './table.js';

/** 監査計画 reads: one GetItem by id, one Query per list page. */
export class DynamoPlanStore implements PlanReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(planId: string): Promise<Plan | undefined> {
    const out = await this.doc
      .send(new GetCommand({ TableName: this.tableName, Key: keys.plan(planId), ConsistentRead: true }))
      .catch(translateAwsError);
    return out.Item ? stripKeys<Plan>(out.Item) : undefined;
  }

  list(q: { fiscalYear: number; status?: PlanStatus | undefined } & PageRequest): Promise<Page<Plan>> {
    return queryPage<Plan>(this.doc, this.tableName, lists.plansByFiscalYear(q.fiscalYear, q.status), q, { newestFirst: true });
  }
}
