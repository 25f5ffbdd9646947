import { getInspection, listInspections, reviewInspection, submitInspection, updateInspection } from '#lib/app/inspections.js';
import { type Operations, httpApi, versioned } from '../stack.js';
import { inspectionRoutes } from '../routes/inspections.js';

/** HTTP → use case for the 点検 routes. */
export const inspectionOperations: Operations<'inspections'> = {
  listInspections: async (r, d) => ({ body: await listInspections(d, r.actor, r.query) }),
  getInspection: async (r, d) => versioned(await getInspection(d, r.actor, r.params.inspectionId)),
  updateInspection: async (r, d) => versioned(await updateInspection(d, r.actor, r.params.inspectionId, r.body, r)),
  submitInspection: async (r, d) => versioned(await submitInspection(d, r.actor, r.params.inspectionId, r.body, r)),
  reviewInspection: async (r, d) => versioned(await reviewInspection(d, r.actor, r.params.inspectionId, r.body, r)),
};

/** The inspections function: its routes' operations. */
export const api = httpApi(inspectionRoutes, inspectionOperations);
