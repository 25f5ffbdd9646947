import type { FindingReader, Page, PageRequest } from '#lib/app/ports.js';
import type { Finding } from '#lib/domain/finding.js';
import type { ScopeId } from '#lib/domain/scopes.js';
import { lists } from './keys.js';
import { entityStore } from './table.js';

/** 監査所見 reads: one GetItem by id, one Query per page by plan, scope and 課. */
export class DynamoFindingStore extends entityStore('finding') implements FindingReader {
  list(planId: string, q: { scope?: ScopeId | undefined; department?: string | undefined } & PageRequest): Promise<Page<Finding>> {
    return this.query(lists.findings(planId, q), q);
  }
}
