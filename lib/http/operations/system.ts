import { getMe } from '#lib/app/me.js';
import { authorize } from '#lib/domain/permissions.js';
import { openApiDocument } from '../openapi.js';
import type { Operations } from '../stack.js';

/** HTTP → use case for health, the caller and the API description. */
export const systemOperations: Operations<'system'> = {
  health: async () => ({ body: { status: 'ok' } }),
  getMe: async (r, d) => ({ body: getMe(d, r.actor) }),
  getProfile: async (r, d) => {
    authorize(r.actor, 'profile:read');
    return { body: d.profile };
  },
  getOpenApi: async (r) => {
    authorize(r.actor, 'openapi:read');
    return { body: openApiDocument() };
  },
};
