import { authorizeIn } from './authorize.js';
import { Forbidden, InvalidInput, type NotFound } from '#lib/domain/errors.js';
import { type Action, readsEveryDepartment } from '#lib/domain/permissions.js';
import { sectionsOf } from '#lib/domain/organisation.js';
import type { Actor } from '#lib/domain/roles.js';
import { checkIfMatch } from './changes.js';
import type { Deps } from './ports.js';

/**
 * The 課 a list is limited to. Readers of every 課 may ask for any or none; a
 * section role sees its own 課 (the default); a 保護責任者 names a 課 of their 部.
 */
export function listDepartment(
  deps: Pick<Deps, 'organisation' | 'profile'>,
  actor: Actor,
  action: Extract<Action, 'finding:list' | 'action:list' | 'disposal:list' | 'inspection:list' | 'contractor:list' | 'contractorCheck:list'>,
  requested: string | undefined,
): string | undefined {
  if (requested !== undefined) {
    authorizeIn(deps, actor, action, { type: 'department', department: requested, organisation: deps.organisation });
    return requested;
  }
  authorizeIn(deps, actor, action);
  if (readsEveryDepartment(actor)) return undefined;
  if (actor.roles.includes('sectionManager') || actor.roles.includes('sectionStaff')) return actor.department;
  const sections = sectionsOf(deps.organisation, actor.department);
  if (sections.length === 0) throw new Forbidden('参照できる課がありません。');
  throw new InvalidInput(`department を指定してください（${sections.map((d) => `${d.code}: ${d.name}`).join('、')}）。`, [
    { path: 'department', message: '課コードを指定してください。' },
  ]);
}

/**
 * Load something that belongs to a 課 for `action`: the role check (403), then
 * existence — 404 also when the caller may not see the 課 (`read`) — then `If-Match`
 * (412), then the action on the 課 itself (403).
 */
export async function loadOfDepartment<T extends { department: string; version: number }>(
  deps: Deps,
  actor: Actor,
  access: { read: Action; action: Action },
  fetch: () => Promise<T | undefined>,
  notFound: () => NotFound,
  ifMatch?: number,
): Promise<T> {
  authorizeIn(deps, actor, access.action);
  const found = await fetch();
  if (!found) throw notFound();
  const department = { type: 'department' as const, department: found.department, organisation: deps.organisation };
  try {
    authorizeIn(deps, actor, access.read, department);
  } catch {
    throw notFound();
  }
  checkIfMatch(found, ifMatch);
  if (access.action !== access.read) authorizeIn(deps, actor, access.action, department);
  return found;
}
