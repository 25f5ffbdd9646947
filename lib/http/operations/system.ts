import { getMe } from '#lib/app/me.js';
import { evidenceTypeList } from '#lib/domain/evidence.js';
import { authorize } from '#lib/domain/permissions.js';
import { type Operations, httpApi } from '../stack.js';
import { systemRoutes } from '../routes/system.js';

/** HTTP → use case for health, the caller, the active profile and the API description. */
export const systemOperations: Operations<'system'> = {
  health: async () => ({ body: { status: 'ok' } }),
  getMe: async (r, d) => ({ body: getMe(d, r.actor) }),
  getProfile: async (r, d) => {
    authorize(r.actor, 'profile:read', undefined, d.profile);
    // The organisation's 課 and 部 too, so that clients show names and offer choices instead of codes,
    // and the evidence types the API accepts, so that file pickers offer exactly those.
    const departments = d.organisation.departments.map(({ code, name, division }) => ({ code, name, division }));
    return { body: { ...d.profile, departments, evidenceTypes: evidenceTypeList() } };
  },
  getOpenApi: async (r, d) => {
    authorize(r.actor, 'openapi:read', undefined, d.profile);
    // Built with the function for its profile (lib/http/openapi-document.ts), read on the first request.
    return { body: (await import('#lib/http/openapi-document.js')).default };
  },
};

/** The system function: its routes' operations. */
export const api = httpApi(systemRoutes, systemOperations);
