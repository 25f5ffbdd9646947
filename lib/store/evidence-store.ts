import type { DisposalReader, EvidenceReader, Page, PageRequest } from '#lib/app/ports.js';
import type { Disposal } from '#lib/domain/disposal.js';
import type { Evidence, EvidenceTargetType } from '#lib/domain/evidence.js';
import { lists } from './keys.js';
import { entityStore } from './table.js';

/** 証跡 metadata: by id, by what it is attached to, and (for the evidence-pending duty) still pending. */
export class DynamoEvidenceStore extends entityStore('evidence') implements EvidenceReader {
  listByTarget(type: EvidenceTargetType, id: string, page: PageRequest): Promise<Page<Evidence>> {
    return this.query(lists.evidenceOfTarget(type, id), page);
  }

  listPendingBefore(createdBefore: string, page: PageRequest): Promise<Page<Evidence>> {
    return this.query(lists.pendingEvidenceBefore(createdBefore), page);
  }
}

/** 消去・廃棄の記録: by id, and by 年度 and 課. */
export class DynamoDisposalStore extends entityStore('disposal') implements DisposalReader {
  list(q: { fiscalYear: number; department?: string | undefined } & PageRequest): Promise<Page<Disposal>> {
    return this.query(lists.disposals(q.fiscalYear, q.department), q, { newestFirst: true });
  }
}
