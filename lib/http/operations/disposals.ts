import { type DisposalView, createDisposal, disposalView, getDisposal, listDisposals } from '#lib/app/disposals.js';
import type { Disposal } from '#lib/domain/disposal.js';
import { type Operations, type Replays, httpApi, versioned } from '../stack.js';
import { disposalRoutes } from '../routes/disposals.js';

const created = (x: DisposalView) => versioned(x, `/disposals/${x.disposalId}`);

/** A repeated create (same Idempotency-Key) answers the record it created. */
export const disposalReplays: Replays<'disposals'> = {
  createDisposal: (x, d) => created(disposalView(d, x as Disposal)),
};

/** HTTP → use case for the 消去・廃棄 routes. */
export const disposalOperations: Operations<'disposals'> = {
  createDisposal: async (r, d) => created(await createDisposal(d, r.actor, r.body)),
  listDisposals: async (r, d) => ({ body: await listDisposals(d, r.actor, r.query) }),
  getDisposal: async (r, d) => versioned(await getDisposal(d, r.actor, r.params.disposalId)),
};

/** The disposals function: its routes' operations and the replays of its creates. */
export const api = httpApi(disposalRoutes, disposalOperations, { replays: disposalReplays });
