import { createPlan, createRevision, getPlan, listPlans, transitionPlan, updatePlan } from '#lib/app/plans.js';
import type { Plan } from '#lib/domain/plan.js';
import { type Operations, type Replays, httpApi, versioned } from '../stack.js';
import { planRoutes } from '../routes/plans.js';

const created = (plan: Plan) => versioned(plan, `/plans/${plan.planId}`);

/** A repeated create (same Idempotency-Key) answers the plan it created. */
export const planReplays: Replays<'plans'> = {
  createPlan: (plan) => created(plan as Plan),
  createPlanRevision: (plan) => created(plan as Plan),
};

/** HTTP → use case for the 監査計画 routes. */
export const planOperations: Operations<'plans'> = {
  createPlan: async (r, d) => created(await createPlan(d, r.actor, r.body)),
  listPlans: async (r, d) => ({ body: await listPlans(d, r.actor, r.query) }),
  getPlan: async (r, d) => versioned(await getPlan(d, r.actor, r.params.planId)),
  updatePlan: async (r, d) => versioned(await updatePlan(d, r.actor, r.params.planId, r.body, r)),
  submitPlan: async (r, d) => versioned(await transitionPlan(d, r.actor, r.params.planId, 'submit', r)),
  approvePlan: async (r, d) => versioned(await transitionPlan(d, r.actor, r.params.planId, 'approve', r, r.body.comment)),
  returnPlan: async (r, d) => versioned(await transitionPlan(d, r.actor, r.params.planId, 'return', r, r.body.reason)),
  startPlan: async (r, d) => versioned(await transitionPlan(d, r.actor, r.params.planId, 'start', r)),
  reportPlan: async (r, d) => versioned(await transitionPlan(d, r.actor, r.params.planId, 'report', r)),
  closePlan: async (r, d) => versioned(await transitionPlan(d, r.actor, r.params.planId, 'close', r)),
  createPlanRevision: async (r, d) => created(await createRevision(d, r.actor, r.params.planId, r)),
};

/** The plans function: its routes' operations and the replays of its creates. */
export const api = httpApi(planRoutes, planOperations, { replays: planReplays });
