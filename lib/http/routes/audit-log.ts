import { entityTypes } from '#lib/domain/audit.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { entityId, page } from './fields.js';

/** The routes of the auditLog function (監査証跡). */
export const auditLogRoutes = defineRoutes('auditLog', {
  verifyAuditLog: {
    method: 'GET',
    path: '/audit-log/verify',
    auth: true,
    summary: '監査証跡のハッシュ連鎖を検証する（改ざん検知）',
    query: z.object({ entityType: z.enum(entityTypes), entityId }),
  },
  getAuditLog: {
    method: 'GET',
    path: '/audit-log',
    auth: true,
    summary: '対象の監査証跡（古い順）',
    query: z.object({ entityType: z.enum(entityTypes), entityId, ...page }),
  },
});
