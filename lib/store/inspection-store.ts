import type { ContractorCheckReader, ContractorReader, InspectionReader, Page, PageRequest } from '#lib/app/ports.js';
import type { Contractor, ContractorCheck } from '#lib/domain/contractor.js';
import type { Inspection, InspectionStatus } from '#lib/domain/inspection.js';
import { lists } from './keys.js';
import { entityStore } from './table.js';

/** 点検 reads: by id, and by 課, period and status, each combination one index's key range. */
export class DynamoInspectionStore extends entityStore('inspection') implements InspectionReader {
  list(
    q: { department?: string | undefined; period?: string | undefined; status?: InspectionStatus | undefined } & PageRequest,
  ): Promise<Page<Inspection>> {
    return this.query(lists.inspections(q), q);
  }
}

/** 委託先 reads: by id, all, or by the contracting 課. */
export class DynamoContractorStore extends entityStore('contractor') implements ContractorReader {
  list(q: { department?: string | undefined } & PageRequest): Promise<Page<Contractor>> {
    return this.query(lists.contractors(q.department), q);
  }
}

/** 委託先の検査 reads: by id, and by 年度 and 課. */
export class DynamoContractorCheckStore extends entityStore('contractorCheck') implements ContractorCheckReader {
  list(q: { fiscalYear: number; department?: string | undefined } & PageRequest): Promise<Page<ContractorCheck>> {
    return this.query(lists.contractorChecks(q.fiscalYear, q.department), q);
  }
}
