import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContractorCheckReader, ContractorReader, InspectionReader, Page, PageRequest } from '#lib/app/ports.js';
import type { Contractor, ContractorCheck } from '#lib/domain/contractor.js';
import type { Inspection, InspectionStatus } from '#lib/domain/inspection.js';
import { lists } from './keys.js';
import { getEntity, queryPage } from './table.js';

/** 点検 reads: by id, and by 課, period and status, each combination one index's key range. */
export class DynamoInspectionStore implements InspectionReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(inspectionId: string): Promise<Inspection | undefined> {
    return getEntity<Inspection>(this.doc, this.tableName, 'inspection', inspectionId);
  }

  list(
    q: { department?: string | undefined; period?: string | undefined; status?: InspectionStatus | undefined } & PageRequest,
  ): Promise<Page<Inspection>> {
    return queryPage<Inspection>(this.doc, this.tableName, lists.inspections(q), q);
  }
}

/** 委託先 reads: by id, all, or by the contracting 課. */
export class DynamoContractorStore implements ContractorReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(contractorId: string): Promise<Contractor | undefined> {
    return getEntity<Contractor>(this.doc, this.tableName, 'contractor', contractorId);
  }

  list(q: { department?: string | undefined } & PageRequest): Promise<Page<Contractor>> {
    return queryPage<Contractor>(this.doc, this.tableName, lists.contractors(q.department), q);
  }
}

/** 委託先の検査 reads: by id, and by 年度 and 課. */
export class DynamoContractorCheckStore implements ContractorCheckReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(checkId: string): Promise<ContractorCheck | undefined> {
    return getEntity<ContractorCheck>(this.doc, this.tableName, 'contractorCheck', checkId);
  }

  list(q: { fiscalYear: number; department?: string | undefined } & PageRequest): Promise<Page<ContractorCheck>> {
    return queryPage<ContractorCheck>(this.doc, this.tableName, lists.contractorChecks(q.fiscalYear, q.department), q);
  }
}
