import type { ActionReader, Page, PageRequest } from '#lib/app/ports.js';
import type { ActionNote, ActionStatus, FollowUpAction } from '#lib/domain/action.js';
import { lists } from './keys.js';
import { entityStore } from './table.js';

/** 改善措置 reads: by id, and lists by 課, status and overdue-ness, each from an index. */
export class DynamoActionStore extends entityStore('action') implements ActionReader {
  list(
    q: { department?: string | undefined; status?: ActionStatus | undefined; overdueBefore?: string | undefined } & PageRequest,
  ): Promise<Page<FollowUpAction>> {
    return this.query(lists.actions(q), q);
  }

  listOfPlan(planId: string, page: PageRequest): Promise<Page<FollowUpAction>> {
    return this.query(lists.planChildren(planId, 'action'), page, { consistent: true });
  }

  notes(actionId: string, page: PageRequest): Promise<Page<ActionNote>> {
    return this.query<ActionNote>(lists.children('action', actionId, 'note'), page, { consistent: true });
  }

  listOwedDueOn(date: string, page: PageRequest): Promise<Page<FollowUpAction>> {
    return this.query(lists.actionsOwedDueOn(date), page);
  }
}
