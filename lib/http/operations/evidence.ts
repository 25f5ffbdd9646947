import { createEvidence, downloadEvidence, getEvidence, listEvidence } from '#lib/app/evidence.js';
import type { Operations } from '../stack.js';

/** HTTP → use case for the 証跡 routes. */
export const evidenceOperations: Operations<'evidence'> = {
  createEvidence: async (r, d) => {
    const { evidence, upload } = await createEvidence(d, r.actor, r.body);
    return { body: { evidenceId: evidence.evidenceId, status: evidence.status, upload }, version: evidence.version, location: `/evidence/${evidence.evidenceId}` };
  },
  listEvidence: async (r, d) => ({ body: await listEvidence(d, r.actor, r.query) }),
  getEvidence: async (r, d) => {
    const e = await getEvidence(d, r.actor, r.params.evidenceId);
    return { body: e, version: e.version };
  },
  downloadEvidence: async (r, d) => ({ body: await downloadEvidence(d, r.actor, r.params.evidenceId) }),
};
