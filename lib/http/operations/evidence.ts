import { createEvidence, downloadEvidence, getEvidence, listEvidence, uploadOf } from '#lib/app/evidence.js';
import type { Evidence } from '#lib/domain/evidence.js';
import { type Operations, type Replays, type Result, httpApi, versioned } from '../stack.js';
import { evidenceRoutes } from '../routes/evidence.js';

const created = (evidence: Evidence, upload: Awaited<ReturnType<typeof uploadOf>>): Result => ({
  body: { evidenceId: evidence.evidenceId, status: evidence.status, upload },
  version: evidence.version,
  location: `/evidence/${evidence.evidenceId}`,
});

/**
 * A repeated request (same Idempotency-Key) answers the registration it made, with a
 * fresh presigned POST for the same object key, size, type and hash: the phone whose
 * answer was lost can still upload, and the first form, if it arrives, lands on the same key.
 */
export const evidenceReplays: Replays<'evidence'> = {
  createEvidence: async (e, d) => created(e as Evidence, await uploadOf(d, e as Evidence)),
};

/** HTTP → use case for the 証跡 routes. */
export const evidenceOperations: Operations<'evidence'> = {
  createEvidence: async (r, d) => {
    const { evidence, upload } = await createEvidence(d, r.actor, r.body);
    return created(evidence, upload);
  },
  listEvidence: async (r, d) => ({ body: await listEvidence(d, r.actor, r.query) }),
  getEvidence: async (r, d) => versioned(await getEvidence(d, r.actor, r.params.evidenceId)),
  downloadEvidence: async (r, d) => ({ body: await downloadEvidence(d, r.actor, r.params.evidenceId) }),
};

/** The evidence function: its routes' operations and the replays of its creates. */
export const api = httpApi(evidenceRoutes, evidenceOperations, { replays: evidenceReplays });
