import {
  acknowledgeIncident,
  closeIncidentCase,
  containIncident,
  createIncident,
  escalateIncident,
  getIncident,
  investigateIncident,
  listIncidents,
  recordIncidentNotice,
  recordIncidentPpcReport,
  recordIncidentPrevention,
  republishReported,
  updateIncidentFacts,
} from '#lib/app/incidents.js';
import type { Incident } from '#lib/domain/incident.js';
import { type Operations, type Replays, httpApi, versioned } from '../stack.js';
import { incidentRoutes } from '../routes/incidents.js';

const created = (i: Incident) => versioned(i, `/incidents/${i.incidentId}`);

/** A repeated report (same Idempotency-Key) answers the 事案 it created and announces it again (its outbox). */
export const incidentReplays: Replays<'incidents'> = {
  createIncident: async (i, d) => {
    await republishReported(d, i as Incident);
    return created(i as Incident);
  },
};

/** HTTP → use case for the 事案 routes. */
export const incidentOperations: Operations<'incidents'> = {
  createIncident: async (r, d) => created(await createIncident(d, r.actor, r.body)),
  listIncidents: async (r, d) => ({ body: await listIncidents(d, r.actor, r.query) }),
  getIncident: async (r, d) => versioned(await getIncident(d, r.actor, r.params.incidentId)),
  updateIncident: async (r, d) => versioned(await updateIncidentFacts(d, r.actor, r.params.incidentId, r.body, r)),
  containIncident: async (r, d) => versioned(await containIncident(d, r.actor, r.params.incidentId, r.body, r)),
  investigateIncident: async (r, d) => versioned(await investigateIncident(d, r.actor, r.params.incidentId, r.body, r)),
  escalateIncident: async (r, d) => versioned(await escalateIncident(d, r.actor, r.params.incidentId, r.body, r)),
  recordIncidentPrevention: async (r, d) => versioned(await recordIncidentPrevention(d, r.actor, r.params.incidentId, r.body, r)),
  acknowledgeIncident: async (r, d) => versioned(await acknowledgeIncident(d, r.actor, r.params.incidentId, r)),
  recordIncidentPpcReport: async (r, d) => versioned(await recordIncidentPpcReport(d, r.actor, r.params.incidentId, r.body, r)),
  recordIncidentNotice: async (r, d) => versioned(await recordIncidentNotice(d, r.actor, r.params.incidentId, r.body, r)),
  closeIncident: async (r, d) => versioned(await closeIncidentCase(d, r.actor, r.params.incidentId, r.body, r)),
};

/** The incidents function: its routes' operations and the replays of its creates. */
export const api = httpApi(incidentRoutes, incidentOperations, { replays: incidentReplays });
