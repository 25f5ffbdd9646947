// adapter → lib/app/audit-trail (監査証跡 of one entity)
import { auditLogOperations } from '#lib/http/operations/audit-log.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('auditLog', auditLogOperations);
