import type { Page, PageRequest, PlanReader } from '#lib/app/ports.js';
import type { FollowUpAction } from '#lib/domain/action.js';
import type { Finding } from '#lib/domain/finding.js';
import type { Plan, PlanStatus } from '#lib/domain/plan.js';
import { lists } from './keys.js';
import { entityStore } from './table.js';

/** 監査計画 reads: one GetItem by id, one Query per list page (of a 年度's plans, of a plan's findings and actions). */
export class DynamoPlanStore extends entityStore('plan') implements PlanReader {
  list(q: { fiscalYear: number; status?: PlanStatus | undefined } & PageRequest): Promise<Page<Plan>> {
    return this.query(lists.plansByFiscalYear(q.fiscalYear, q.status), q, { newestFirst: true });
  }

  children(planId: string, page: PageRequest): Promise<Page<Finding | FollowUpAction>> {
    return this.query(lists.planChildren(planId), page, { consistent: true });
  }
}
