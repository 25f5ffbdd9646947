import { getInspection, listInspections, submitInspection, updateInspection } from '#lib/app/inspections.js';
import type { Inspection } from '#lib/domain/inspection.js';
import { type Operations, type Result, httpApi } from '../stack.js';

const one = (i: Inspection): Result => ({ body: i, version: i.version });

/** HTTP → use case for the 点検 routes (第27条). */
export const inspectionOperations: Operations<'inspections'> = {
  listInspections: async (r, d) => ({ body: await listInspections(d, r.actor, r.query) }),
  getInspection: async (r, d) => one(await getInspection(d, r.actor, r.params.inspectionId)),
  updateInspection: async (r, d) => one(await updateInspection(d, r.actor, r.params.inspectionId, r.body, r)),
  submitInspection: async (r, d) => one(await submitInspection(d, r.actor, r.params.inspectionId, r)),
};

/** The inspections function: its routes' operations. */
export const api = httpApi('inspections', inspectionOperations);
