import { getAuditTrail, verifyAuditTrail } from '#lib/app/audit-trail.js';
import { type Operations, httpApi } from '../stack.js';
import { auditLogRoutes } from '../routes/audit-log.js';

/** HTTP → use case for the audit trail. */
export const auditLogOperations: Operations<'auditLog'> = {
  getAuditLog: async (r, d) => ({ body: await getAuditTrail(d, r.actor, r.query) }),
  verifyAuditLog: async (r, d) => ({ body: await verifyAuditTrail(d, r.actor, r.query) }),
};

/** The auditLog function: its routes' operations. */
export const api = httpApi(auditLogRoutes, auditLogOperations);
