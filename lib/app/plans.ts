import { authorizeIn } from './authorize.js';
import type { Action, Resource } from '#lib/domain/permissions.js';
import { fiscalYearOf } from '#lib/domain/calendar.js';
import { Conflict, InvalidInput } from '#lib/domain/errors.js';
import {
  type CreatePlanInput,
  type Plan,
  type PlanStatus,
  type PlanTransition,
  type UpdatePlanInput,
  assertEditable,
  assertRevisable,
  checkScheduleInFiscalYear,
  nextStatus,
  scheduleOutOfFiscalYearMessage,
} from '#lib/domain/plan.js';
import type { Actor } from '#lib/domain/roles.js';
import { actionStatusLabels, settledStatuses } from '#lib/domain/action.js';
import { type Finding, ratingsNeedingAction } from '#lib/domain/finding.js';
import { departmentName } from '#lib/domain/organisation.js';
import { cite } from '#lib/domain/provisions.js';
import { type Precondition, change, commitAsked } from './changes.js';
import { allActionsOfPlan, allChildrenOfPlan } from './plan-children.js';
import type { Change, Deps, Page, PageRequest, Precheck } from './ports.js';
import { closeTaskChanges } from './task-changes.js';
import { loadFor, loadVisible } from './visibility.js';

/**
 * 監査計画 use cases (様式第4号, 第26条): load → decide (domain) → persist.
 * Each change is one transaction of the plan and its audit event.
 */

/** A plan as `action` is decided on it (separation of duties). */
const onPlan = (plan: Plan): Resource => ({ type: 'plan', plan });

/**
 * 監査責任者 drafts a plan. It starts as `draft`, revision 1, version 1; its 適用基準
 * defaults to the active regulation.
 */
export async function createPlan(deps: Deps, actor: Actor, input: CreatePlanInput): Promise<Plan> {
  authorizeIn(deps, actor, 'plan:create');
  const now = deps.clock.now().toISOString();
  const { criteria, ...fields } = input;
  const plan: Plan = {
    ...fields,
    planId: deps.ids.next(),
    status: 'draft',
    version: 1,
    revision: 1,
    criteria: criteria ?? deps.profile.regulation,
    profile: { id: deps.profile.id, version: deps.profile.version },
    createdBy: actor.sub,
    createdAt: now,
    lastEditedBy: actor.sub,
    lastEditedAt: now,
    updatedAt: now,
  };
  // The year's drafting task (第26条, annual-plan duty) closes with the plan: one Query of the
  // subject index finds its id, and only when there is one a consistent read gets it.
  const drafting = (await deps.tasks.openOfSubject('fiscalYear', String(plan.fiscalYear))).filter((t) => t.kind === 'draftPlan');
  const tasks = drafting.length > 0 ? await deps.tasks.getMany(drafting.map((t) => t.taskId)) : [];
  await commitAsked(deps, undefined, [
    change(deps, actor, now, 'plan', plan.planId, 'plan.created', null, plan),
    ...closeTaskChanges(deps, actor, now, tasks),
  ]);
  return plan;
}

/** Plans of one 年度 (default: the current one in Japan time), newest first. */
export async function listPlans(
  deps: Deps,
  actor: Actor,
  query: { fiscalYear?: number | undefined; status?: PlanStatus | undefined } & PageRequest,
): Promise<Page<Plan>> {
  authorizeIn(deps, actor, 'plan:list');
  const fiscalYear = query.fiscalYear ?? fiscalYearOf(deps.clock.now());
  return deps.plans.list({ ...query, fiscalYear });
}

export async function getPlan(deps: Deps, actor: Actor, planId: string): Promise<Plan> {
  return loadVisible(deps, actor, 'plan', planId);
}

/** Edit the 様式第4号 fields; only while `draft` or `returned` (an approved plan is frozen). */
export async function updatePlan(deps: Deps, actor: Actor, planId: string, input: UpdatePlanInput, pre: Precondition): Promise<Plan> {
  const before = await loadFor(deps, actor, 'plan', planId, 'plan:update', { ...pre, on: onPlan });
  assertEditable(before);
  const now = deps.clock.now().toISOString();
  const after: Plan = { ...before, ...input, version: before.version + 1, lastEditedBy: actor.sub, lastEditedAt: now, updatedAt: now };
  if (!checkScheduleInFiscalYear(after)) {
    throw new InvalidInput(scheduleOutOfFiscalYearMessage, [{ path: 'schedule', message: scheduleOutOfFiscalYearMessage }]);
  }
  await commitAsked(deps, { entityType: 'plan', entityId: planId, ifMatch: pre.ifMatch }, [
    change(deps, actor, now, 'plan', planId, 'plan.updated', before, after),
  ]);
  return after;
}

const transitionActions: Record<PlanTransition, Action> = {
  submit: 'plan:submit',
  approve: 'plan:approve',
  return: 'plan:return',
  start: 'plan:start',
  report: 'plan:report',
  close: 'plan:close',
};

type Stamp = Partial<
  Pick<
    Plan,
    | 'submittedBy'
    | 'submittedAt'
    | 'approvedBy'
    | 'approvedAt'
    | 'approvalComment'
    | 'returnedBy'
    | 'returnedAt'
    | 'returnReason'
    | 'startedBy'
    | 'startedAt'
    | 'reportedBy'
    | 'reportedAt'
    | 'closedBy'
    | 'closedAt'
  >
>;

function stamp(t: PlanTransition, actor: Actor, now: string, note?: string): Stamp {
  switch (t) {
    case 'submit':
      return { submittedBy: actor.sub, submittedAt: now };
    case 'approve':
      return { approvedBy: actor.sub, approvedAt: now, ...(note === undefined ? {} : { approvalComment: note }) };
    case 'return':
      return { returnedBy: actor.sub, returnedAt: now, returnReason: note ?? '' };
    case 'start':
      return { startedBy: actor.sub, startedAt: now };
    case 'report':
      return { reportedBy: actor.sub, reportedAt: now };
    case 'close':
      return { closedBy: actor.sub, closedAt: now };
  }
}

const listed = <T>(items: T[], show: (t: T) => string) =>
  `${items.slice(0, 10).map(show).join('、')}${items.length > 10 ? ` ほか${items.length - 10}件` : ''}`;

/**
 * Report only when every 要改善/重大な不備 finding has at least one follow-up action: a rule of
 * practice (`provisions.reportGate`), not the regulation's, and the refusal says so.
 */
async function reportGate(deps: Deps, planId: string): Promise<void> {
  const describeFinding = (f: Finding) => `${f.articleLabel}（${departmentName(deps.organisation, f.department)}）「${f.title}」`;
  const { findings, actions } = await allChildrenOfPlan(deps, planId);
  const withAction = new Set(actions.map((a) => a.findingId));
  const missing = findings.filter((f) => ratingsNeedingAction.includes(f.rating) && !withAction.has(f.findingId));
  if (missing.length > 0) {
    throw new Conflict(
      `改善措置が登録されていない所見が${missing.length}件あるため報告できません${cite(deps.profile.provisions, 'reportGate')}: ${listed(missing, describeFinding)}。要改善・重大な不備の所見には改善措置を1件以上登録してください。`,
      'findings-without-action',
    );
  }
}

/**
 * Close only when every follow-up action is verified or its risk accepted, and the actions must
 * stay so: a rule of practice (`provisions.closeGate`), cited as such.
 */
async function closeGate(deps: Deps, planId: string): Promise<Precheck[]> {
  const actions = await allActionsOfPlan(deps, planId);
  const open = actions.filter((a) => !settledStatuses.includes(a.status));
  if (open.length > 0) {
    throw new Conflict(
      `確認済みまたはリスク受容になっていない改善措置が${open.length}件あるため完了できません${cite(deps.profile.provisions, 'closeGate')}: ${listed(open, (a) => `${a.finding.articleLabel}（${departmentName(deps.organisation, a.department)}）「${a.description}」: ${actionStatusLabels[a.status]}`)}。`,
      'actions-not-settled',
    );
  }
  // A transaction holds at most 100 items: the plan, its event and 98 checks.
  return actions.length <= 98 ? actions.map((a) => ({ entityType: 'action' as const, entityId: a.actionId, version: a.version })) : [];
}

/**
 * Move a plan along its state machine: submit (監査責任者), approve or return
 * (総括保護管理者, never their own draft), start (監査責任者). Approving a revision
 * supersedes the plan it revises in the same transaction.
 */
export async function transitionPlan(
  deps: Deps,
  actor: Actor,
  planId: string,
  t: PlanTransition,
  pre: Precondition,
  note?: string,
): Promise<Plan> {
  const before = await loadFor(deps, actor, 'plan', planId, transitionActions[t], { ...pre, on: onPlan });
  const status = nextStatus(before, t);
  if (t === 'report') await reportGate(deps, planId);
  const checks = t === 'close' ? await closeGate(deps, planId) : [];
  const now = deps.clock.now().toISOString();
  const after: Plan = { ...before, ...stamp(t, actor, now, note), status, version: before.version + 1, updatedAt: now };
  const changes: Change[] = [change(deps, actor, now, 'plan', planId, `plan.${pastTense[t]}`, before, after, note)];
  if (t === 'approve' && before.revisionOf) {
    const previous = await deps.plans.get(before.revisionOf);
    if (previous) {
      const { pendingRevisionId: _open, ...rest } = previous;
      const superseded: Plan = { ...rest, supersededBy: planId, version: previous.version + 1, updatedAt: now };
      changes.push(change(deps, actor, now, 'plan', previous.planId, 'plan.superseded', previous, superseded));
    }
  }
  await commitAsked(deps, { entityType: 'plan', entityId: planId, ifMatch: pre.ifMatch }, changes, checks);
  return after;
}

const pastTense = {
  submit: 'submitted',
  approve: 'approved',
  return: 'returned',
  start: 'started',
  report: 'reported',
  close: 'closed',
} as const;

/**
 * A new draft revision of an approved plan: a new plan (revision + 1) with the same
 * 様式第4号 fields, which goes through approval again. The approved plan stays as it
 * is and readable; it records the open revision so only one is drafted at a time.
 */
export async function createRevision(deps: Deps, actor: Actor, planId: string, pre: Precondition): Promise<Plan> {
  const approved = await loadFor(deps, actor, 'plan', planId, 'plan:revise', { ...pre, on: onPlan });
  assertRevisable(approved);
  const now = deps.clock.now().toISOString();
  const revision: Plan = {
    fiscalYear: approved.fiscalYear,
    purpose: approved.purpose,
    scope: approved.scope,
    auditedDepartments: approved.auditedDepartments,
    methods: approved.methods,
    schedule: approved.schedule,
    team: approved.team,
    criteria: approved.criteria,
    ...(approved.followUp === undefined ? {} : { followUp: approved.followUp }),
    profile: { id: deps.profile.id, version: deps.profile.version },
    planId: deps.ids.next(),
    status: 'draft',
    version: 1,
    revision: approved.revision + 1,
    revisionOf: approved.planId,
    createdBy: actor.sub,
    createdAt: now,
    lastEditedBy: actor.sub,
    lastEditedAt: now,
    updatedAt: now,
  };
  const marked: Plan = { ...approved, pendingRevisionId: revision.planId, version: approved.version + 1, updatedAt: now };
  await commitAsked(deps, { entityType: 'plan', entityId: planId, ifMatch: pre.ifMatch }, [
    change(deps, actor, now, 'plan', revision.planId, 'plan.revisionCreated', null, revision),
    change(deps, actor, now, 'plan', approved.planId, 'plan.revisionOpened', approved, marked),
  ]);
  return revision;
}
