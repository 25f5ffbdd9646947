import { createDisposal, getDisposal, listDisposals } from '#lib/app/disposals.js';
import type { Operations } from '../stack.js';

/** HTTP → use case for the 消去・廃棄 routes. */
export const disposalOperations: Operations<'disposals'> = {
  createDisposal: async (r, d) => {
    const x = await createDisposal(d, r.actor, r.body);
    return { body: x, version: x.version, location: `/disposals/${x.disposalId}` };
  },
  listDisposals: async (r, d) => ({ body: await listDisposals(d, r.actor, r.query) }),
  getDisposal: async (r, d) => {
    const x = await getDisposal(d, r.actor, r.params.disposalId);
    return { body: x, version: x.version };
  },
};
