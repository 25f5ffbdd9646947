import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActionReader, Page, PageRequest } from '#lib/app/ports.js';
import type { ActionNote, ActionStatus, FollowUpAction } from '#lib/domain/action.js';
import { lists } from './keys.js';
import { getEntity, queryPage } from './table.js';

/** 改善措置 reads: by id, and lists by 課, status and overdue-ness, each from an index. */
export class DynamoActionStore implements ActionReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(actionId: string): Promise<FollowUpAction | undefined> {
    return getEntity<FollowUpAction>(this.doc, this.tableName, 'action', actionId);
  }

  list(
    q: { department?: string | undefined; status?: ActionStatus | undefined; overdueBefore?: string | undefined } & PageRequest,
  ): Promise<Page<FollowUpAction>> {
    return queryPage<FollowUpAction>(this.doc, this.tableName, lists.actions(q), q);
  }

  listOfPlan(planId: string, page: PageRequest): Promise<Page<FollowUpAction>> {
    return queryPage<FollowUpAction>(this.doc, this.tableName, lists.planChildren(planId, 'action'), page, { consistent: true });
  }

  notes(actionId: string, page: PageRequest): Promise<Page<ActionNote>> {
    return queryPage<ActionNote>(this.doc, this.tableName, lists.children('action', actionId, 'note'), page, { consistent: true });
  }

  listOwedDueOn(date: string, page: PageRequest): Promise<Page<FollowUpAction>> {
    return queryPage<FollowUpAction>(this.doc, this.tableName, lists.actionsOwedDueOn(date), page);
  }
}
