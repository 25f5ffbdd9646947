import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FindingReader, Page, PageRequest } from '#lib/app/ports.js';
import type { Finding } from '#lib/domain/finding.js';
import type { ScopeId } from '#lib/domain/scopes.js';
import { lists } from './keys.js';
import { getEntity, queryPage } from './table.js';

/** 監査所見 reads: one GetItem by id, one Query per page by plan, scope and 課. */
export class DynamoFindingStore implements FindingReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(findingId: string): Promise<Finding | undefined> {
    return getEntity<Finding>(this.doc, this.tableName, 'finding', findingId);
  }

  listOfPlan(planId: string, page: PageRequest): Promise<Page<Finding>> {
    return queryPage<Finding>(this.doc, this.tableName, lists.planChildren(planId, 'finding'), page, { consistent: true });
  }

  list(planId: string, q: { scope?: ScopeId | undefined; department?: string | undefined } & PageRequest): Promise<Page<Finding>> {
    return queryPage<Finding>(this.doc, this.tableName, lists.findings(planId, q), q);
  }
}
