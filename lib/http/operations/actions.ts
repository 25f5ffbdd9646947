import { type ActionView, createAction, getAction, listActions, transitionAction } from '#lib/app/actions.js';
import type { Operations, Result } from '../stack.js';

const one = (a: ActionView): Result => ({ body: a, version: a.version });

/** HTTP → use case for the 改善措置 routes. */
export const actionOperations: Operations<'actions'> = {
  createAction: async (r, d) => {
    const a = await createAction(d, r.actor, r.params.findingId, r.body);
    return { ...one(a), location: `/actions/${a.actionId}` };
  },
  listActions: async (r, d) => ({ body: await listActions(d, r.actor, r.query) }),
  getAction: async (r, d) => one(await getAction(d, r.actor, r.params.actionId)),
  progressAction: async (r, d) => one(await transitionAction(d, r.actor, r.params.actionId, 'progress', r, r.body)),
  submitAction: async (r, d) => one(await transitionAction(d, r.actor, r.params.actionId, 'submit', r, r.body)),
  verifyAction: async (r, d) => one(await transitionAction(d, r.actor, r.params.actionId, 'verify', r, { note: r.body.comment })),
  reopenAction: async (r, d) => one(await transitionAction(d, r.actor, r.params.actionId, 'reopen', r, { note: r.body.reason })),
  acceptRisk: async (r, d) => one(await transitionAction(d, r.actor, r.params.actionId, 'acceptRisk', r, { note: r.body.reason })),
};
