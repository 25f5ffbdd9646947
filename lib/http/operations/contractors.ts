import {
  completeContractorCheck,
  createContractor,
  getContractor,
  getContractorCheck,
  listContractorChecks,
  listContractors,
  updateContractor,
} from '#lib/app/contractors.js';
import type { Contractor } from '#lib/domain/contractor.js';
import { type Operations, type Replays, httpApi, versioned } from '../stack.js';
import { contractorRoutes } from '../routes/contractors.js';

const created = (c: Contractor) => versioned(c, `/contractors/${c.contractorId}`);

/** A repeated create (same Idempotency-Key) answers the contractor it registered. */
export const contractorReplays: Replays<'contractors'> = {
  createContractor: (c) => created(c as Contractor),
};

/** HTTP → use case for the 委託先 and 委託先の検査 routes (第22条). */
export const contractorOperations: Operations<'contractors'> = {
  createContractor: async (r, d) => created(await createContractor(d, r.actor, r.body)),
  listContractors: async (r, d) => ({ body: await listContractors(d, r.actor, r.query) }),
  getContractor: async (r, d) => versioned(await getContractor(d, r.actor, r.params.contractorId)),
  updateContractor: async (r, d) => versioned(await updateContractor(d, r.actor, r.params.contractorId, r.body, r)),
  listContractorChecks: async (r, d) => ({ body: await listContractorChecks(d, r.actor, r.query) }),
  getContractorCheck: async (r, d) => versioned(await getContractorCheck(d, r.actor, r.params.checkId)),
  completeContractorCheck: async (r, d) => versioned(await completeContractorCheck(d, r.actor, r.params.checkId, r.body, r)),
};

/** The contractors function: its routes' operations and the replays of its creates. */
export const api = httpApi(contractorRoutes, contractorOperations, { replays: contractorReplays });
