// adapter → lib/app/audit-trail (監査証跡 of one entity)
import { api } from '#lib/http/operations/audit-log.js';
import { httpFunction } from '#lib/runtime/http.js';

export const handler = httpFunction(api);
