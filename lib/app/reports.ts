import { type AuditEvent, type EntityType, chainOrder } from '#lib/domain/audit.js';
import type { FollowUpAction } from '#lib/domain/action.js';
import { NotFound } from '#lib/domain/errors.js';
import type { Finding } from '#lib/domain/finding.js';
import type { Incident } from '#lib/domain/incident.js';
import type { Plan } from '#lib/domain/plan.js';
import type { Actor } from '#lib/domain/roles.js';
import { allowedIn, authorizeIn } from './authorize.js';
import { allPages } from './duty-units.js';
import { allChildrenOfPlan } from './plan-children.js';
import type { Deps } from './ports.js';
import { loadVisible, ofDepartment, readableTrail } from './visibility.js';
import { type CompletionTable, completionTable, reportDate } from './register-reports.js';

const trailNotFound = () => new NotFound('指定された対象の監査証跡は見つかりません。', 'audit-trail-not-found');

/** What the 様式第4号 and the audit-result report are drawn from. */
export interface PlanReport {
  plan: Plan;
  organisation: Deps['organisation'];
  profile: Deps['profile'];
  findings: Finding[];
  actions: FollowUpAction[];
  /** The names of the training sessions the findings cite, by id. */
  trainingNames?: Record<string, string>;
  /** The appendix asked for: the completion of the 年度's training by 課 on the report date. */
  appendix?: CompletionTable;
  /** When the document was made. */
  at: Date;
}

/** What may be appended to the audit-result report. */
export type ReportAppendix = 'training';

/** What one 事案's report, laid out with the items of the PPC's 漏えい等報告, is drawn from. */
export interface IncidentReport {
  incident: Incident;
  /** The 委託先 the 事案 names, when it is still on record. */
  contractor?: { contractorId: string; name: string };
  organisation: Deps['organisation'];
  profile: Deps['profile'];
  at: Date;
}

/** What a 年度's list of 事案 (for the 評価及び見直し) is drawn from. */
export interface IncidentReviewList {
  fiscalYear: number;
  incidents: Incident[];
  organisation: Deps['organisation'];
  profile: Deps['profile'];
  at: Date;
}

/** The plan (様式第4号) and, for the result report, its findings and actions; for plan readers. */
export async function planReport(
  deps: Deps,
  actor: Actor,
  planId: string,
  withResults: boolean,
  appendix?: ReportAppendix,
): Promise<PlanReport> {
  const plan = await loadVisible(deps, actor, 'plan', planId);
  const { findings, actions } = withResults ? await allChildrenOfPlan(deps, planId) : { findings: [], actions: [] };
  const at = deps.clock.now();
  const cited = [...new Set(findings.flatMap((f) => (f.record?.type === 'trainingAttendance' ? [f.record.trainingId] : [])))];
  const trainingNames = Object.fromEntries(
    (await Promise.all(cited.map((id) => deps.trainings.get(id)))).flatMap((t) => (t ? [[t.trainingId, t.name]] : [])),
  );
  const table = withResults && appendix === 'training' ? await completionTable(deps, actor, plan, reportDate(plan, at)) : undefined;
  return {
    plan,
    organisation: deps.organisation,
    profile: deps.profile,
    findings,
    actions,
    trainingNames,
    ...(table ? { appendix: table } : {}),
    at,
  };
}

/**
 * One 事案 for its report, for whoever may read it (404 otherwise). The 委託先 it names is
 * given by name to those who read the 課's 委託先, by its id to the others (the reporter).
 */
export async function incidentReport(deps: Deps, actor: Actor, incidentId: string): Promise<IncidentReport> {
  const incident = await loadVisible(deps, actor, 'incident', incidentId);
  const found = incident.contractorId === undefined ? undefined : await deps.contractors.get(incident.contractorId);
  const contractor =
    found && allowedIn(deps, actor, 'contractor:read', ofDepartment(deps, found))
      ? { contractorId: found.contractorId, name: found.name }
      : undefined;
  return { incident, ...(contractor ? { contractor } : {}), organisation: deps.organisation, profile: deps.profile, at: deps.clock.now() };
}

/** Every 事案 of a 年度, of every 課, for the 評価及び見直し: the readers of every 課 only (403). */
export async function incidentReviewList(deps: Deps, actor: Actor, fiscalYear: number): Promise<IncidentReviewList> {
  authorizeIn(deps, actor, 'incident:review');
  const incidents = await allPages((page) => deps.incidents.list({ fiscalYear, ...page }));
  return { fiscalYear, incidents, organisation: deps.organisation, profile: deps.profile, at: deps.clock.now() };
}

/**
 * Every event of an entity's trail for the 監査証跡 CSV, in chain order (oldest first: by
 * version, and within a version by the links; never by event id), as GET /audit-log lists
 * it: its rows follow the chain even where events stored before keys carried the version
 * sort by the writing clocks. 404 for an entity the caller may not see, or with no trail.
 */
export async function trailForExport(deps: Deps, actor: Actor, entityType: EntityType, entityId: string): Promise<AuditEvent[]> {
  const { events } = await readableTrail(deps, actor, { entityType, entityId }, trailNotFound);
  if (events.length === 0) throw trailNotFound();
  return chainOrder(events);
}
