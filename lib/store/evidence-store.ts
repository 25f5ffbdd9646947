import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DisposalReader, EvidenceReader, Page, PageRequest } from '#lib/app/ports.js';
import type { Disposal } from '#lib/domain/disposal.js';
import type { Evidence, EvidenceTargetType } from '#lib/domain/evidence.js';
import { lists } from './keys.js';
import { getEntity, queryPage } from './table.js';

/** 証跡 metadata: by id, by what it is attached to, and (for the evidence-pending duty) still pending. */
export class DynamoEvidenceStore implements EvidenceReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(evidenceId: string): Promise<Evidence | undefined> {
    return getEntity<Evidence>(this.doc, this.tableName, 'evidence', evidenceId);
  }

  listByTarget(type: EvidenceTargetType, id: string, page: PageRequest): Promise<Page<Evidence>> {
    return queryPage<Evidence>(this.doc, this.tableName, lists.evidenceOfTarget(type, id), page);
  }

  listPendingBefore(createdBefore: string, page: PageRequest): Promise<Page<Evidence>> {
    return queryPage<Evidence>(this.doc, this.tableName, lists.pendingEvidenceBefore(createdBefore), page);
  }
}

/** 消去・廃棄の記録: by id, and by 年度 and 課. */
export class DynamoDisposalStore implements DisposalReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(disposalId: string): Promise<Disposal | undefined> {
    return getEntity<Disposal>(this.doc, this.tableName, 'disposal', disposalId);
  }

  list(q: { fiscalYear: number; department?: string | undefined } & PageRequest): Promise<Page<Disposal>> {
    return queryPage<Disposal>(this.doc, this.tableName, lists.disposals(q.fiscalYear, q.department), q, { newestFirst: true });
  }
}
