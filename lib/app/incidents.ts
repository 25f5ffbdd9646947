import { fiscalYearOf, jstDate } from '#lib/domain/calendar.js';
import { Forbidden, InvalidInput, NotFound } from '#lib/domain/errors.js';
import {
  type CreateIncidentInput,
  type Incident,
  type IncidentStatus,
  type UpdateIncidentInput,
  type closeIncidentSchema,
  type containSchema,
  type escalateSchema,
  type investigateSchema,
  type noticeSchema,
  type ppcReportSchema,
  type preventionSchema,
  acknowledgeSharing,
  closeIncident,
  contain,
  finalReportFiled,
  escalate,
  investigate,
  openDeadlines,
  ppcStageLabels,
  recordNotice,
  recordPpcReport,
  recordPrevention,
} from '#lib/domain/incident.js';
import { newIncident, updateIncident } from '#lib/domain/incident-assessment.js';
import { deadlineTaskSettled } from '#lib/domain/incident-deadlines.js';
import { type Organisation, allSections, assertSection } from '#lib/domain/organisation.js';
import { holdsSectionRole, readsEveryIncident } from '#lib/domain/permissions.js';
import { departmentRoles } from '#lib/domain/task.js';
import { type ProvisionId, cite, sourceOf } from '#lib/domain/provisions.js';
import type { Actor, Role } from '#lib/domain/roles.js';
import { type Task, type TaskKind, assigneeFor } from '#lib/domain/task.js';
import type * as z from '#lib/domain/zod.js';
import { authorizeIn } from './authorize.js';
import { type Precondition, change, commitAsked } from './changes.js';
import type { Change, Claim, Deps, OutboundEvent, Page, PageRequest } from './ports.js';
import { closeTaskChanges, createTaskChange, taskCreated } from './task-changes.js';
import { listDepartment, loadFor, loadVisible, ofIncident } from './visibility.js';

/**
 * 事案 use cases (001 第23条–第25条; 002 第9; 003 第24条・第29条; 004 第39条–第41条): any 職員
 * with a 課 reports one; the profile's chain (`profile.incidents`) says who takes each step.
 * Every step is one transaction with its audit event and the tasks it opens and closes:
 *
 * - reported: `incidentResponse` for the chain's `receivedBy` of the 課 (closed when the
 *   investigation is recorded); `incidentReport` for the chain's PPC reporters when the
 *   assessment calls for a report and no 確報 is filed (closed by the 確報, when a correction
 *   of the facts makes the report unnecessary, or when the 事案 closes);
 * - investigated: `incidentInvestigation` for `investigationTo` (closed when the 事案 closes);
 * - escalated: `incidentEscalation` for `escalateTo` (closed when the 事案 closes);
 * - prevention: `incidentShare` for the 保護管理者 of each 課 it is shared with (closed by its acknowledgement).
 *
 * The events a step announces (`kansa.IncidentReported`, `kansa.TaskCreated`) are stored with
 * the step on a claim (the outbox of lib/app/duty-work.ts), then published: a repeated create
 * (same Idempotency-Key) publishes them again ({@link republishReported}).
 */

/** The duty name of the incident outbox's claims and of the tasks the chain opens. */
export const incidentDuty = 'incident';

/** The 課 (not the 部) of the organisation: where a 事案 happens and whom prevention is shared with. */
function sections(organisation: Organisation): Set<string> {
  return new Set(allSections(organisation).map((d) => d.code));
}

/**
 * Changes that close the 事案's deadline tasks (`incident-deadlines`: the reminder, the
 * escalation) whose deadline `incident` no longer owes: for the transaction that records a
 * report to the PPC (a 確報 settles the 速報's too), corrects the facts or closes the 事案.
 * `open` is the 事案's open tasks as the use case read them once (an index: a task made a
 * moment ago may be missed, and stays open until the next such change).
 */
export function settledDeadlineTaskChanges(
  deps: Pick<Deps, 'ids'>,
  actor: Actor,
  now: string,
  incident: Incident,
  open: readonly Task[],
): Change[] {
  return closeTaskChanges(
    deps,
    actor,
    now,
    open.filter((t) => deadlineTaskSettled(incident, t)),
  );
}

/** A contractor named on a 事案 must be one of its 課 (404 when there is no such contractor). */
async function assertContractorOf(deps: Deps, contractorId: string, department: string): Promise<void> {
  const contractor = await deps.contractors.get(contractorId);
  if (!contractor) throw new NotFound('指定された委託先は見つかりません。', 'contractor-not-found');
  if (contractor.department !== department) {
    const message = `委託先「${contractor.name}」は事案の課の委託先ではありません。`;
    throw new InvalidInput(message, [{ path: 'contractorId', message }]);
  }
}

const short = (summary: string) => (summary.length > 40 ? `${summary.slice(0, 40)}…` : summary);

/** One task of the chain about the 事案: its title cites the profile's provision. */
function incidentTask(
  deps: Pick<Deps, 'ids' | 'profile'>,
  actor: Actor,
  now: Date,
  incident: Incident,
  kind: TaskKind,
  what: { role: Role; department?: string; title: string; provision: ProvisionId; dueDate?: string },
): { task: Task; change: Change } {
  const p = deps.profile.provisions;
  return createTaskChange(deps, actor, now.toISOString(), {
    kind,
    title: `${what.title}: ${short(incident.summary)}${cite(p, what.provision)}`,
    duty: incidentDuty,
    period: `FY${incident.fiscalYear}`,
    source: sourceOf(p, what.provision),
    assignee: assigneeFor(what.role, what.department ?? incident.department),
    subject: { type: 'incident', id: incident.incidentId },
    dueDate: what.dueDate ?? jstDate(now),
  });
}

/**
 * The PPC report tasks for the chain's reporters: titled by the stages still open (a 速報 filed
 * leaves the 確報), due by the first of their deadlines. None once the 確報 is filed.
 */
function reportTasks(deps: Pick<Deps, 'ids' | 'profile'>, actor: Actor, now: Date, incident: Incident) {
  if (finalReportFiled(incident)) return [];
  const open = openDeadlines(incident);
  const stages = open.length > 0 ? open.map((d) => ppcStageLabels[d.stage]).join('・') : '速報・確報';
  const by = open.map((d) => `${ppcStageLabels[d.stage]} ${d.date}まで`).join('、');
  const rule = deps.profile.incidents.steps.ppcReport;
  return rule.roles.map((role) =>
    incidentTask(deps, actor, now, incident, 'incidentReport', {
      role,
      title: `個人情報保護委員会への${stages}${by ? `（${by}）` : ''}`,
      provision: rule.provision,
      dueDate: open[0]?.date ?? jstDate(now),
    }),
  );
}

/** The 事案's open tasks, read once per step: those of `kinds`, and the deadline tasks the step settles. */
const openOf = (deps: Deps, incidentId: string) => deps.tasks.openOfSubject('incident', incidentId);
const ofKinds = (open: readonly Task[], kinds: readonly TaskKind[]) => open.filter((t) => kinds.includes(t.kind));

/** The outbox claim of a step that announces events: one per version of the 事案, so it never collides. */
const outbox = (incident: Incident, events: OutboundEvent[]): Claim => ({
  duty: incidentDuty,
  period: `FY${fiscalYearOf(new Date(incident.createdAt))}`,
  subject: `${incident.incidentId}#v${incident.version}`,
  events,
});

/**
 * Commit a step with its audit event and task changes as one transaction; where it announces
 * events, they are stored on its outbox claim in the same transaction and published after.
 */
async function commitStep(
  deps: Deps,
  asked: { incidentId: string; ifMatch: number | undefined } | undefined,
  changes: Change[],
  announce?: { incident: Incident; events: OutboundEvent[] },
): Promise<void> {
  const claim = announce && announce.events.length > 0 ? outbox(announce.incident, announce.events) : undefined;
  await commitAsked(
    deps,
    asked && { entityType: 'incident', entityId: asked.incidentId, ifMatch: asked.ifMatch },
    changes,
    [],
    claim ? [claim] : [],
  );
  if (claim?.events) await deps.events.publish(claim.events);
}

/** The event announcing a new 事案 (`kansa.IncidentReported`): what a router needs, not the facts themselves. */
export function incidentReported(i: Incident): OutboundEvent {
  const { incidentId, department, category, discoveredAt, fiscalYear, createdAt, assessment } = i;
  return {
    type: 'IncidentReported',
    detail: {
      incidentId,
      department,
      category,
      discoveredAt,
      fiscalYear,
      reportedAt: createdAt,
      reportToPPC: assessment.reportToPPC,
      atOnce: assessment.atOnce,
      deadlines: assessment.deadlines,
    },
  };
}

/**
 * Report a 事案 (001 第23条第1項): any signed-in 職員 whose token names a 課, with no audit role
 * too. The assessment is computed; the 課's `receivedBy` gets a task at once, and the PPC
 * reporters one when a report is required.
 */
export async function createIncident(deps: Deps, actor: Actor, input: CreateIncidentInput): Promise<Incident> {
  if (actor.department === '')
    throw new Forbidden('所属する課が登録されていないため、事案を報告できません。システム管理者に所属の登録を依頼してください。');
  authorizeIn(deps, actor, 'incident:create');
  assertSection(deps.organisation, input.department);
  if (input.contractorId !== undefined) await assertContractorOf(deps, input.contractorId, input.department);
  const now = deps.clock.now();
  const chain = deps.profile.incidents;
  const incident = newIncident(deps.ids.next(), input, chain, actor.sub, now);
  const tasks = [
    incidentTask(deps, actor, now, incident, 'incidentResponse', {
      role: chain.receivedBy,
      title: '事案への対応（被害拡大防止・調査）',
      provision: 'incident',
    }),
    ...(incident.assessment.reportToPPC ? reportTasks(deps, actor, now, incident) : []),
  ];
  await commitStep(
    deps,
    undefined,
    [
      change(deps, actor, now.toISOString(), 'incident', incident.incidentId, 'incident.reported', null, incident),
      ...tasks.map((t) => t.change),
    ],
    { incident, events: [incidentReported(incident), ...tasks.map((t) => taskCreated(t.task))] },
  );
  return incident;
}

/**
 * A repeated create (same Idempotency-Key) announces again what the first one stored in its
 * outbox: a publish lost after the commit is retried by the client's retry (at least once).
 */
export async function republishReported(deps: Deps, incident: Incident): Promise<void> {
  const claim = outbox(incident, []);
  const stored = await deps.claims.get(claim.duty, claim.period, claim.subject);
  if (stored?.events && stored.events.length > 0) await deps.events.publish(stored.events);
}

export async function getIncident(deps: Deps, actor: Actor, incidentId: string): Promise<Incident> {
  return loadVisible(deps, actor, 'incident', incidentId);
}

/**
 * 事案 of a 年度 (default: the current one in Japan): whoever reads every 課's 事案 all (or one
 * 課), a section role its own 課, a 保護責任者 a 課 of its 部; whoever sees no 課 (and anyone
 * with `mine`) the 事案 they reported themselves. An auditor who does not audit the rules on 事案
 * (001: the DX戦略課長) lists as the 課 they hold a role in.
 */
export async function listIncidents(
  deps: Deps,
  actor: Actor,
  query: {
    department?: string | undefined;
    status?: IncidentStatus | undefined;
    fiscalYear?: number | undefined;
    mine?: boolean | undefined;
  } & PageRequest,
): Promise<Page<Incident>> {
  authorizeIn(deps, actor, 'incident:list');
  const fiscalYear = query.fiscalYear ?? fiscalYearOf(deps.clock.now());
  const { status, limit, cursor } = query;
  const everyIncident = readsEveryIncident(actor, deps.profile);
  const seesSomeDepartment = everyIncident || holdsSectionRole(actor) || actor.roles.includes('deptHead');
  if (query.mine === true || (query.department === undefined && !seesSomeDepartment))
    return deps.incidents.listReportedBy(actor.sub, { fiscalYear, status, limit, cursor });
  if (everyIncident) return deps.incidents.list({ fiscalYear, department: query.department, status, limit, cursor });
  if (query.department !== undefined)
    authorizeIn(deps, actor, 'incident:list', ofIncident(deps, { department: query.department, createdBy: '', sharing: [] }));
  const department =
    query.department ??
    listDepartment(deps, { ...actor, roles: actor.roles.filter((r) => departmentRoles.includes(r)) }, 'incident:list', undefined);
  return deps.incidents.list({ fiscalYear, department, status, limit, cursor });
}

const asked = (incidentId: string, pre: Precondition) => ({ incidentId, ifMatch: pre.ifMatch });

/**
 * Correct the facts (PATCH, If-Match): the chain's editors; the assessment is recomputed, and
 * the trail's before/after shows what changed. A report that becomes required opens the PPC
 * reporters' tasks; one no longer required closes them; moved deadlines replace them.
 */
export async function updateIncidentFacts(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  input: UpdateIncidentInput,
  pre: Precondition,
): Promise<Incident> {
  const before = await loadFor(deps, actor, 'incident', incidentId, 'incident:update', { ...pre, on: (i) => ofIncident(deps, i) });
  if (input.contractorId !== undefined && input.contractorId !== null)
    await assertContractorOf(deps, input.contractorId, before.department);
  const now = deps.clock.now();
  const after = updateIncident(before, input, deps.profile.incidents, now);
  const was = before.assessment.reportToPPC;
  const is = after.assessment.reportToPPC;
  // Deadlines that moved (a later discovery date, a wrongful purpose found) give the reporters new tasks with the new
  // dates, for the stages still open: after the 確報 none (reportTasks).
  const moved = was && is && JSON.stringify(before.assessment.deadlines) !== JSON.stringify(after.assessment.deadlines);
  const opened = is && (!was || moved) ? reportTasks(deps, actor, now, after) : [];
  const open = await openOf(deps, incidentId);
  const closed = was && (!is || moved) ? closeTaskChanges(deps, actor, now.toISOString(), ofKinds(open, ['incidentReport'])) : [];
  await commitStep(
    deps,
    asked(incidentId, pre),
    [
      change(deps, actor, now.toISOString(), 'incident', incidentId, 'incident.updated', before, after),
      ...opened.map((t) => t.change),
      ...closed,
      ...settledDeadlineTaskChanges(deps, actor, now.toISOString(), after, open),
    ],
    { incident: after, events: opened.map((t) => taskCreated(t.task)) },
  );
  return after;
}

/** 被害拡大防止・復旧の措置 (001 第23条第2項). */
export async function containIncident(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  input: z.infer<typeof containSchema>,
  pre: Precondition,
): Promise<Incident> {
  const before = await loadFor(deps, actor, 'incident', incidentId, 'incident:contain', { ...pre, on: (i) => ofIncident(deps, i) });
  const now = deps.clock.now();
  const after = contain(before, input, actor.sub, now);
  await commitStep(deps, asked(incidentId, pre), [
    change(deps, actor, now.toISOString(), 'incident', incidentId, 'incident.contained', before, after),
  ]);
  return after;
}

/**
 * The investigation reported (001 第23条第3項): the 課's response task closes, and whoever
 * receives the report (`investigationTo`) gets a task to confirm it.
 */
export async function investigateIncident(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  input: z.infer<typeof investigateSchema>,
  pre: Precondition,
): Promise<Incident> {
  const before = await loadFor(deps, actor, 'incident', incidentId, 'incident:investigate', { ...pre, on: (i) => ofIncident(deps, i) });
  const now = deps.clock.now();
  const after = investigate(before, input, actor.sub, now);
  const chain = deps.profile.incidents;
  const task = incidentTask(deps, actor, now, after, 'incidentInvestigation', {
    role: chain.investigationTo,
    title: '調査結果の確認',
    provision: chain.steps.investigate.provision,
  });
  await commitStep(
    deps,
    asked(incidentId, pre),
    [
      change(deps, actor, now.toISOString(), 'incident', incidentId, 'incident.investigated', before, after),
      ...closeTaskChanges(deps, actor, now.toISOString(), ofKinds(await openOf(deps, incidentId), ['incidentResponse'])),
      task.change,
    ],
    { incident: after, events: [taskCreated(task.task)] },
  );
  return after;
}

/** A 特に重大 事案, told at once to `escalateTo` (001 第23条第3項ただし書): a task for them. */
export async function escalateIncident(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  input: z.infer<typeof escalateSchema>,
  pre: Precondition,
): Promise<Incident> {
  const before = await loadFor(deps, actor, 'incident', incidentId, 'incident:escalate', { ...pre, on: (i) => ofIncident(deps, i) });
  const now = deps.clock.now();
  const after = escalate(before, input, actor.sub, now);
  const chain = deps.profile.incidents;
  const task = incidentTask(deps, actor, now, after, 'incidentEscalation', {
    role: chain.escalateTo,
    title: '特に重大な事案の報告',
    provision: chain.steps.escalate.provision,
  });
  await commitStep(
    deps,
    asked(incidentId, pre),
    [change(deps, actor, now.toISOString(), 'incident', incidentId, 'incident.escalated', before, after), task.change],
    { incident: after, events: [taskCreated(task.task)] },
  );
  return after;
}

/**
 * 再発防止策 (001 第23条第5項), shared with 課 of the organisation doing similar work: the
 * 保護管理者 of each gets a task to acknowledge it.
 */
export async function recordIncidentPrevention(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  input: z.infer<typeof preventionSchema>,
  pre: Precondition,
): Promise<Incident> {
  const before = await loadFor(deps, actor, 'incident', incidentId, 'incident:prevention', { ...pre, on: (i) => ofIncident(deps, i) });
  const now = deps.clock.now();
  const after = recordPrevention(before, input, actor.sub, now, sections(deps.organisation), deps.profile.incidents.sharesPrevention);
  const provision = deps.profile.incidents.steps.prevention.provision;
  const tasks = after.sharing.map((s) =>
    incidentTask(deps, actor, now, after, 'incidentShare', {
      role: 'sectionManager',
      department: s.department,
      title: '共有された再発防止策の確認',
      provision,
    }),
  );
  await commitStep(
    deps,
    asked(incidentId, pre),
    [
      change(deps, actor, now.toISOString(), 'incident', incidentId, 'incident.preventionRecorded', before, after),
      ...tasks.map((t) => t.change),
    ],
    { incident: after, events: tasks.map((t) => taskCreated(t.task)) },
  );
  return after;
}

/** The 保護管理者 of a 課 the measures were shared with acknowledges them (the caller's 課); its task closes. */
export async function acknowledgeIncident(deps: Deps, actor: Actor, incidentId: string, pre: Precondition): Promise<Incident> {
  const before = await loadFor(deps, actor, 'incident', incidentId, 'incident:acknowledge', { ...pre, on: (i) => ofIncident(deps, i) });
  const now = deps.clock.now();
  const after = acknowledgeSharing(before, actor.department, actor.sub, now);
  const mine = ofKinds(await openOf(deps, incidentId), ['incidentShare']).filter((t) => t.assignee.department === actor.department);
  await commitStep(deps, asked(incidentId, pre), [
    change(deps, actor, now.toISOString(), 'incident', incidentId, 'incident.acknowledged', before, after),
    ...closeTaskChanges(deps, actor, now.toISOString(), mine),
  ]);
  return after;
}

/**
 * The 速報 or 確報 as filed with the PPC (001 第24条); the 確報 closes the reporters' tasks, and
 * each closes the reminders and escalations of the deadline it settles (`incident-deadlines`).
 */
export async function recordIncidentPpcReport(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  input: z.infer<typeof ppcReportSchema>,
  pre: Precondition,
): Promise<Incident> {
  const before = await loadFor(deps, actor, 'incident', incidentId, 'incident:ppcReport', { ...pre, on: (i) => ofIncident(deps, i) });
  const now = deps.clock.now();
  const after = recordPpcReport(before, input, actor.sub, now);
  const open = await openOf(deps, incidentId);
  const closed = input.stage === 'final' ? closeTaskChanges(deps, actor, now.toISOString(), ofKinds(open, ['incidentReport'])) : [];
  await commitStep(deps, asked(incidentId, pre), [
    change(deps, actor, now.toISOString(), 'incident', incidentId, 'incident.ppcReported', before, after),
    ...closed,
    ...settledDeadlineTaskChanges(deps, actor, now.toISOString(), after, open),
  ]);
  return after;
}

/** A notice (本人への通知, 公表, 首長への報告, 情報提供): who records it depends on its kind. */
export async function recordIncidentNotice(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  input: z.infer<typeof noticeSchema>,
  pre: Precondition,
): Promise<Incident> {
  const before = await loadFor(deps, actor, 'incident', incidentId, 'incident:notice', {
    ...pre,
    on: (i) => ofIncident(deps, i, input.kind),
  });
  const now = deps.clock.now();
  const after = recordNotice(before, input, actor.sub, now);
  await commitStep(deps, asked(incidentId, pre), [
    change(deps, actor, now.toISOString(), 'incident', incidentId, 'incident.noticeRecorded', before, after),
  ]);
  return after;
}

/**
 * Close the 事案 once prevention is recorded and, where required, the 確報 filed (409 saying
 * what is missing); the tasks of the response, the investigation, the escalation, any PPC
 * report task still open and the deadline reminders and escalations close with it.
 */
export async function closeIncidentCase(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  input: z.infer<typeof closeIncidentSchema>,
  pre: Precondition,
): Promise<Incident> {
  const before = await loadFor(deps, actor, 'incident', incidentId, 'incident:close', { ...pre, on: (i) => ofIncident(deps, i) });
  const now = deps.clock.now();
  const after = closeIncident(before, input, actor.sub, now);
  const open = await openOf(deps, incidentId);
  const chain = ofKinds(open, ['incidentResponse', 'incidentInvestigation', 'incidentEscalation', 'incidentReport']);
  await commitStep(deps, asked(incidentId, pre), [
    change(deps, actor, now.toISOString(), 'incident', incidentId, 'incident.closed', before, after, input.comment),
    ...closeTaskChanges(deps, actor, now.toISOString(), chain),
    ...settledDeadlineTaskChanges(deps, actor, now.toISOString(), after, open),
  ]);
  return after;
}
