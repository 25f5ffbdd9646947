import type { FollowUpAction } from '#lib/domain/action.js';
import type { Finding } from '#lib/domain/finding.js';
import { allPages } from './duty-units.js';
import type { Deps } from './ports.js';

/**
 * Everything recorded under a plan, every page of it, read consistently: for the report
 * and close gates, the result report, and whether a finding has actions.
 */

/** Every finding of a plan. */
export function allFindings(deps: Pick<Deps, 'findings'>, planId: string): Promise<Finding[]> {
  return allPages((page) => deps.findings.listOfPlan(planId, page));
}

/** Every follow-up action of a plan. */
export function allActionsOfPlan(deps: Pick<Deps, 'actions'>, planId: string): Promise<FollowUpAction[]> {
  return allPages((page) => deps.actions.listOfPlan(planId, page));
}
