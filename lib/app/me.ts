import { authorizeIn } from './authorize.js';
import type { Actor } from '#lib/domain/roles.js';
import type { Deps } from './ports.js';

/** The signed-in user as the server sees them, with the active regulation profile. */
export function getMe(deps: Pick<Deps, 'profile'>, actor: Actor) {
  authorizeIn(deps, actor, 'me:read');
  const p = deps.profile;
  return {
    sub: actor.sub,
    name: actor.name,
    roles: actor.roles,
    // Titles under the active regulation; a role it does not have has none.
    roleTitles: actor.roles.flatMap((r) => (p.roleTitles[r] ? [p.roleTitles[r]] : [])),
    department: actor.department,
    profile: { id: p.id, organisation: p.organisation, regulation: p.regulation, version: p.version },
  };
}
