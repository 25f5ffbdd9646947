import { type Action, type Resource, authorize, decide } from '#lib/domain/permissions.js';
import type { Actor } from '#lib/domain/roles.js';
import { assertAuditsHeld } from './audit-practice.js';
import type { Deps } from './ports.js';

/**
 * {@link authorize} with refusals in the active regulation's words (role titles, provisions);
 * first, a 監査 write where the regulation has no 監査 and the deployment does not audit (409).
 */
export function authorizeIn(deps: Pick<Deps, 'profile'>, actor: Actor, action: Action, resource?: Resource): void {
  assertAuditsHeld(deps, action, resource);
  authorize(actor, action, resource, deps.profile);
}

/** {@link decide} as a yes or no: whether `actor` may perform `action` (on `resource`). */
export function allowedIn(deps: Pick<Deps, 'profile'>, actor: Actor, action: Action, resource?: Resource): boolean {
  return decide(actor, action, resource, deps.profile).allowed;
}
