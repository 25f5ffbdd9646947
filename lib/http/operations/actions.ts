import { type ActionView, actionView, createAction, getAction, listActionNotes, listActions, transitionAction } from '#lib/app/actions.js';
import type { FollowUpAction } from '#lib/domain/action.js';
import { type Operations, type Replays, httpApi, versioned } from '../stack.js';
import { actionRoutes } from '../routes/actions.js';

const created = (a: ActionView) => versioned(a, `/actions/${a.actionId}`);

/** A repeated create (same Idempotency-Key) answers the action it created, `overdue` as it was then. */
export const actionReplays: Replays<'actions'> = {
  createAction: (a, d) => {
    const action = a as FollowUpAction;
    return created(actionView({ clock: { ...d.clock, now: () => new Date(action.createdAt) } }, action));
  },
};

/** HTTP → use case for the 改善措置 routes. */
export const actionOperations: Operations<'actions'> = {
  createAction: async (r, d) => created(await createAction(d, r.actor, r.params.findingId, r.body)),
  listActions: async (r, d) => ({ body: await listActions(d, r.actor, r.query) }),
  getAction: async (r, d) => versioned(await getAction(d, r.actor, r.params.actionId)),
  listActionNotes: async (r, d) => ({ body: await listActionNotes(d, r.actor, r.params.actionId, r.query) }),
  progressAction: async (r, d) => versioned(await transitionAction(d, r.actor, r.params.actionId, 'progress', r, r.body)),
  submitAction: async (r, d) => versioned(await transitionAction(d, r.actor, r.params.actionId, 'submit', r, r.body)),
  verifyAction: async (r, d) => versioned(await transitionAction(d, r.actor, r.params.actionId, 'verify', r, { note: r.body.comment })),
  reopenAction: async (r, d) => versioned(await transitionAction(d, r.actor, r.params.actionId, 'reopen', r, { note: r.body.reason })),
  acceptRisk: async (r, d) => versioned(await transitionAction(d, r.actor, r.params.actionId, 'acceptRisk', r, { note: r.body.reason })),
};

/** The actions function: its routes' operations and the replays of its creates. */
export const api = httpApi(actionRoutes, actionOperations, { replays: actionReplays });
