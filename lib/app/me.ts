import { authorize } from '#lib/domain/permissions.js';
import type { Actor } from '#lib/domain/roles.js';
import type { Deps } from './ports.js';

/** The signed-in user as the server sees them, with the active regulation profile. */
export function getMe(deps: Pick<Deps, 'profile'>, actor: Actor) {
  authorize(actor, 'me:read');
  const p = deps.profile;
  return {
    sub: actor.sub,
    name: actor.name,
    roles: actor.roles,
    roleTitles: actor.roles.map((r) => p.roleTitles[r] ?? r),
    department: actor.department,
    profile: { id: p.id, organisation: p.organisation, regulation: p.regulation, version: p.version },
  };
}
