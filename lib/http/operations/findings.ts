import { createFinding, getFinding, listFindings, updateFinding } from '#lib/app/findings.js';
import type { Finding } from '#lib/domain/finding.js';
import { type Operations, type Replays, httpApi, versioned } from '../stack.js';
import { findingRoutes } from '../routes/findings.js';

const created = (f: Finding) => versioned(f, `/findings/${f.findingId}`);

/** A repeated create (same Idempotency-Key) answers the finding it created. */
export const findingReplays: Replays<'findings'> = {
  createFinding: (f) => created(f as Finding),
};

/** HTTP → use case for the 監査所見 routes. */
export const findingOperations: Operations<'findings'> = {
  createFinding: async (r, d) => created(await createFinding(d, r.actor, r.params.planId, r.body)),
  listFindings: async (r, d) => ({ body: await listFindings(d, r.actor, r.params.planId, r.query) }),
  getFinding: async (r, d) => versioned(await getFinding(d, r.actor, r.params.findingId)),
  updateFinding: async (r, d) => versioned(await updateFinding(d, r.actor, r.params.findingId, r.body, r)),
};

/** The findings function: its routes' operations and the replays of its creates. */
export const api = httpApi(findingRoutes, findingOperations, { replays: findingReplays });
