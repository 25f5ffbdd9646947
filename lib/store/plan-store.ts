import type { Page, PageRequest, PlanReader } from '#lib/app/ports.js';
import type { Plan, PlanStatus } from '#lib/domain/plan.js';
import { lists } from './keys.js';
import { entityStore } from './table.js';

/** 監査計画 reads: one GetItem by id, one Query per list page. */
export class DynamoPlanStore extends entityStore('plan') implements PlanReader {
  list(q: { fiscalYear: number; status?: PlanStatus | undefined } & PageRequest): Promise<Page<Plan>> {
    return this.query(lists.plansByFiscalYear(q.fiscalYear, q.status), q, { newestFirst: true });
  }
}
