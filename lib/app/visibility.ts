import { allowedIn, authorizeIn } from './authorize.js';
import type { FollowUpAction } from '#lib/domain/action.js';
import type { Entities, EntityType } from '#lib/domain/audit.js';
import { Forbidden, InvalidInput, NotFound } from '#lib/domain/errors.js';
import type { Evidence, EvidenceTargetType } from '#lib/domain/evidence.js';
import type { Finding } from '#lib/domain/finding.js';
import type { Incident, NoticeKind } from '#lib/domain/incident.js';
import {
  type Action,
  type EvidenceTarget,
  type Resource,
  holdsSectionRole,
  readsEveryDepartment,
  readsEveryRegister,
} from '#lib/domain/permissions.js';
import { sectionsOf } from '#lib/domain/organisation.js';
import type { Actor } from '#lib/domain/roles.js';
import { type Precondition, checkIfMatch } from './changes.js';
import type { Deps, StoredTrail } from './ports.js';
import { scopeOwners } from './scope-owners.js';

/**
 * The 課 a list is limited to. Readers of every 課 may ask for any or none; a
 * section role sees its own 課 (the default); a 保護責任者 names a 課 of their 部.
 */
export function listDepartment(
  deps: Pick<Deps, 'organisation' | 'profile'>,
  actor: Actor,
  action: Extract<
    Action,
    | 'finding:list'
    | 'action:list'
    | 'disposal:list'
    | 'inspection:list'
    | 'contractor:list'
    | 'contractorCheck:list'
    | 'incident:list'
    | 'staff:list'
  >,
  requested: string | undefined,
): string | undefined {
  if (requested !== undefined) {
    // A 課's staff register is decided on the register (its auditors are the profile's).
    const on: Resource =
      action === 'staff:list'
        ? ofRegister(deps, 'staff', requested)
        : { type: 'department', department: requested, organisation: deps.organisation };
    authorizeIn(deps, actor, action, on);
    return requested;
  }
  authorizeIn(deps, actor, action);
  if (action === 'staff:list' ? readsEveryRegister(actor, 'staff', deps.profile) : readsEveryDepartment(actor)) return undefined;
  if (holdsSectionRole(actor)) return actor.department;
  const sections = sectionsOf(deps.organisation, actor.department);
  if (sections.length === 0) throw new Forbidden('参照できる課がありません。');
  throw new InvalidInput(`department を指定してください（${sections.map((d) => `${d.code}: ${d.name}`).join('、')}）。`, [
    { path: 'department', message: '課コードを指定してください。' },
  ]);
}

/** How an entity is read by id, who may see it (`read` on the resource `on` gives) and its 404. */
interface Sight<T> {
  get(deps: Deps, id: string): Promise<T | undefined>;
  read: Action;
  /** The resource `read` is decided on; none: the role alone. */
  on(deps: Deps, found: T): Resource | undefined | Promise<Resource | undefined>;
  /** The resource alone decides (someone without the read's roles may still read some): no refusal by role before the read. */
  byResource?: true;
  notFound(): NotFound;
}

/** The 課 something belongs to, as a resource. */
export const ofDepartment = (deps: Pick<Deps, 'organisation'>, found: { department: string }): Resource => ({
  type: 'department',
  department: found.department,
  organisation: deps.organisation,
});

/** Evidence's target as authorization needs it; a finding's 課 is read from the finding, which may have moved. */
async function targetOf(deps: Deps, e: Evidence): Promise<EvidenceTarget> {
  const { type, id } = e.target;
  if (type === 'plan') return { type };
  if (type === 'finding' || type === 'action') {
    const t = type === 'finding' ? await deps.findings.get(id) : await deps.actions.get(id);
    if (!t) throw sights.evidence.notFound();
    return type === 'finding'
      ? { type, department: t.department, finding: t as Finding }
      : { type, department: t.department, finding: (t as FollowUpAction).finding };
  }
  if (type === 'incident') {
    const i = await deps.incidents.get(id);
    if (!i) throw sights.evidence.notFound();
    return incidentTarget(i);
  }
  return { type, department: e.department ?? '' };
}

/** A 事案 as the target of its evidence. */
const incidentTarget = (i: Incident): EvidenceTarget => ({
  type: 'incident',
  department: i.department,
  incident: { department: i.department, createdBy: i.createdBy, sharing: i.sharing },
});

/** A 課's staff register (`staff`) or training attendance (`training`), as a resource. */
export const ofRegister = (deps: Pick<Deps, 'organisation'>, register: 'staff' | 'training', department: string): Resource => ({
  type: 'register',
  register,
  department,
  organisation: deps.organisation,
});

/** A 事案 as authorization decides on it (`notice`: which notice is recorded). */
export const ofIncident = (
  deps: Pick<Deps, 'organisation'>,
  i: Pick<Incident, 'department' | 'createdBy' | 'sharing'>,
  notice?: NoticeKind,
): Resource => ({
  type: 'incident',
  incident: { department: i.department, createdBy: i.createdBy, sharing: i.sharing },
  organisation: deps.organisation,
  ...(notice === undefined ? {} : { notice }),
});

const evidenceResource = (deps: Deps, target: EvidenceTarget): Resource => ({
  type: 'evidenceTarget',
  target,
  owners: scopeOwners(deps.profile),
  organisation: deps.organisation,
});

/** Who sees what: the one table of read permissions behind every id. */
const sights: { [K in EntityType]: Sight<Entities[K]> } = {
  plan: {
    get: (d, id) => d.plans.get(id),
    read: 'plan:read',
    on: () => undefined,
    notFound: () => new NotFound('指定された監査計画は見つかりません。', 'plan-not-found'),
  },
  finding: {
    get: (d, id) => d.findings.get(id),
    read: 'finding:read',
    on: ofDepartment,
    notFound: () => new NotFound('指定された監査所見は見つかりません。', 'finding-not-found'),
  },
  action: {
    get: (d, id) => d.actions.get(id),
    read: 'action:read',
    on: ofDepartment,
    notFound: () => new NotFound('指定された改善措置は見つかりません。', 'action-not-found'),
  },
  // Readers of the target read its evidence.
  evidence: {
    get: (d, id) => d.evidence.get(id),
    read: 'evidence:read',
    on: async (d, e) => evidenceResource(d, await targetOf(d, e)),
    // A 事案's reporter with no role reads its evidence.
    byResource: true,
    notFound: () => new NotFound('指定された証跡は見つかりません。', 'evidence-not-found'),
  },
  disposal: {
    get: (d, id) => d.disposals.get(id),
    read: 'disposal:read',
    on: ofDepartment,
    notFound: () => new NotFound('指定された消去・廃棄の記録は見つかりません。', 'disposal-not-found'),
  },
  task: {
    get: (d, id) => d.tasks.get(id),
    read: 'task:read',
    on: (d, task) => ({ type: 'task', task, organisation: d.organisation }),
    notFound: () => new NotFound('指定されたタスクは見つかりません。', 'task-not-found'),
  },
  inspection: {
    get: (d, id) => d.inspections.get(id),
    read: 'inspection:read',
    on: ofDepartment,
    notFound: () => new NotFound('指定された点検は見つかりません。', 'inspection-not-found'),
  },
  contractor: {
    get: (d, id) => d.contractors.get(id),
    read: 'contractor:read',
    on: ofDepartment,
    notFound: () => new NotFound('指定された委託先は見つかりません。', 'contractor-not-found'),
  },
  contractorCheck: {
    get: (d, id) => d.contractorChecks.get(id),
    read: 'contractorCheck:read',
    on: ofDepartment,
    notFound: () => new NotFound('指定された委託先の検査は見つかりません。', 'contractor-check-not-found'),
  },
  // Whoever sees its 課, its reporter (with no role too) and the 課 its prevention was shared with.
  incident: {
    get: (d, id) => d.incidents.get(id),
    read: 'incident:read',
    on: ofIncident,
    notFound: () => new NotFound('指定された事案は見つかりません。', 'incident-not-found'),
  },
  // The 課's own, its 部長, and whoever reads every 課's register.
  staff: {
    get: (d, id) => d.staff.get(id),
    read: 'staff:read',
    on: (d, s) => ofRegister(d, 'staff', s.department),
    notFound: () => new NotFound('指定された職員は名簿に見つかりません。', 'staff-not-found'),
  },
  // Every 職員 reads the training plan.
  training: {
    get: (d, id) => d.trainings.get(id),
    read: 'training:read',
    on: () => undefined,
    notFound: () => new NotFound('指定された研修は見つかりません。', 'training-not-found'),
  },
  attendance: {
    get: (d, id) => d.attendance.get(id),
    read: 'attendance:read',
    on: (d, r) => ofRegister(d, 'training', r.department),
    notFound: () => new NotFound('指定された受講記録は見つかりません。', 'attendance-not-found'),
  },
};

/** The 404 of an entity type: an unknown id and one the caller may not see get the same. */
export const notFoundOf = (type: EntityType): NotFound => sights[type].notFound();

/**
 * What an id names, as the caller may see it: 404 when there is no such thing or when
 * the caller may not see it (the read permission on it, lib/domain/permissions.ts), so
 * an id tells nothing to whoever may not see it. A role that reads no such thing at all
 * is answered the same, without a read. `read` reads it: by default its reader's `get`;
 * the Query of its trail brings it along ({@link readableTrail}).
 */
export async function loadVisible<K extends EntityType>(
  deps: Deps,
  actor: Actor,
  type: K,
  id: string,
  notFound: () => NotFound = sights[type].notFound,
  read: () => Promise<Entities[K] | undefined> = () => (sights[type] as unknown as Sight<Entities[K]>).get(deps, id),
): Promise<Entities[K]> {
  const sight = sights[type] as unknown as Sight<Entities[K]>;
  if (!sight.byResource && !allowedIn(deps, actor, sight.read)) throw notFound();
  const found = await read();
  if (!found || !allowedIn(deps, actor, sight.read, await sight.on(deps, found))) throw notFound();
  return found;
}

/**
 * What an id names, for `action`: visible to the caller (else 404, as `notFound` words
 * it), at the version `If-Match` names (else 412), then `action` on the resource `on`
 * gives (else 403 with the reason; without `on`, on the role alone). Every use case that
 * acts on an id goes this one way; the state rules (409) are its own, after this.
 */
export async function loadFor<K extends EntityType>(
  deps: Deps,
  actor: Actor,
  type: K,
  id: string,
  action: Action,
  how: Precondition & {
    on?: (found: Entities[K]) => Resource;
    notFound?: () => NotFound;
    /** How it is read, when not by its reader's `get` ({@link loadVisible}). */
    read?: () => Promise<Entities[K] | undefined>;
  } = {},
): Promise<Entities[K]> {
  const found = await loadVisible(deps, actor, type, id, how.notFound, how.read);
  checkIfMatch(found, how.ifMatch);
  authorizeIn(deps, actor, action, how.on?.(found));
  return found;
}

/**
 * An evidence target, for `action` on its evidence: visible to the caller (else
 * `notFound`), then `action` on the target (else 403 with the reason).
 */
export async function targetFor(
  deps: Deps,
  actor: Actor,
  action: Extract<Action, 'evidence:create' | 'evidence:read'>,
  type: EvidenceTargetType,
  id: string,
  notFound: () => NotFound,
): Promise<EvidenceTarget> {
  const target = await visibleTarget(deps, actor, type, id, notFound);
  authorizeIn(deps, actor, action, evidenceResource(deps, target));
  return target;
}

/** An evidence target the caller may see, as authorization needs it (else `notFound`). */
async function visibleTarget(
  deps: Deps,
  actor: Actor,
  type: EvidenceTargetType,
  id: string,
  notFound: () => NotFound,
): Promise<EvidenceTarget> {
  switch (type) {
    case 'plan':
      await loadVisible(deps, actor, type, id, notFound);
      return { type };
    case 'finding': {
      const f = await loadVisible(deps, actor, type, id, notFound);
      return { type, department: f.department, finding: f };
    }
    case 'action': {
      const a = await loadVisible(deps, actor, type, id, notFound);
      return { type, department: a.department, finding: a.finding };
    }
    case 'inspection': {
      // A joint 点検 (003 第30条): its jointWith role attaches evidence with the 課.
      const i = await loadVisible(deps, actor, type, id, notFound);
      return { type, department: i.department, ...(i.jointWith === undefined ? {} : { jointWith: i.jointWith }) };
    }
    case 'incident':
      return incidentTarget(await loadVisible(deps, actor, type, id, notFound));
    case 'disposal':
    case 'contractorCheck':
      return { type, department: (await loadVisible(deps, actor, type, id, notFound)).department };
  }
}

/**
 * An entity and its whole trail, for `auditLog:read` on it: one Query of its partition
 * (lib/app/ports.ts EntityTrail). Who may see the entity is decided on the item the
 * first page brings, before any further page is read: `notFound` (404) for an entity the
 * caller may not see, or none; 403 for one they see without reading trails.
 */
export async function readableTrail(
  deps: Deps,
  actor: Actor,
  query: { entityType: EntityType; entityId: string },
  notFound: () => NotFound,
): Promise<StoredTrail & { entity: Entities[EntityType] }> {
  const trail = deps.auditTrail.trail(query.entityType, query.entityId);
  const entity = await loadFor(deps, actor, query.entityType, query.entityId, 'auditLog:read', { notFound, read: () => trail.entity() });
  return { entity, ...(await trail.events()) };
}
