import type { FollowUpAction } from '#lib/domain/action.js';
import type { Finding } from '#lib/domain/finding.js';
import { allPages } from './duty-units.js';
import type { Deps } from './ports.js';

/**
 * Everything recorded under a plan, every page of it, read consistently: for the report
 * and close gates, the result report, and whether a finding has actions.
 */

/** Every follow-up action of a plan. */
export function allActionsOfPlan(deps: Pick<Deps, 'actions'>, planId: string): Promise<FollowUpAction[]> {
  return allPages((page) => deps.actions.listOfPlan(planId, page));
}

/** Every finding and every follow-up action of a plan: one Query per page of its partition for both. */
export async function allChildrenOfPlan(
  deps: Pick<Deps, 'plans'>,
  planId: string,
): Promise<{ findings: Finding[]; actions: FollowUpAction[] }> {
  const children = await allPages((page) => deps.plans.children(planId, page));
  const isAction = (c: Finding | FollowUpAction): c is FollowUpAction => 'actionId' in c;
  return { findings: children.filter((c): c is Finding => !isAction(c)), actions: children.filter(isAction) };
}
