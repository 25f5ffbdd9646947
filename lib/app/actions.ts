import {
  type ActionNote,
  type ActionStatus,
  type ActionTransition,
  type FollowUpAction,
  isOverdue,
  nextActionStatus,
  pendingStatuses,
} from '#lib/domain/action.js';
import { jstDate } from '#lib/domain/calendar.js';
import { Conflict, InvalidInput } from '#lib/domain/errors.js';
import { planStatusLabels } from '#lib/domain/plan.js';
import type { Actor } from '#lib/domain/roles.js';
import { type Precondition, change, commitAsked } from './changes.js';
import { assertEvidenceOf } from './evidence-links.js';
import type { ChildItem, Deps, Page, PageRequest } from './ports.js';
import { scopeOwners } from './scope-owners.js';
import { listDepartment, loadFor, loadVisible } from './visibility.js';
import { closeTaskChanges } from './task-changes.js';

/**
 * 改善措置 use cases (フォローアップ, 第28条): the audited 課 works and submits, an
 * auditor verifies (never the submitter), the 総括保護管理者 may accept a risk.
 */

/** An action as the API answers it: with `overdue` judged against today in Japan; its notes are read on their own. */
export type ActionView = Omit<FollowUpAction, 'history'> & { overdue: boolean };

export function actionView(deps: Pick<Deps, 'clock'>, a: FollowUpAction): ActionView {
  const { history: _notes, ...action } = a;
  return { ...action, overdue: isOverdue(a, jstDate(deps.clock.now())) };
}

/** Add a follow-up action to a finding (監査責任者 or the finding's auditor). */
export async function createAction(
  deps: Deps,
  actor: Actor,
  findingId: string,
  input: { description: string; dueDate: string },
): Promise<ActionView> {
  const finding = await loadFor(deps, actor, 'finding', findingId, 'action:create', {
    on: (found) => ({ type: 'finding', finding: found, owners: scopeOwners(deps.profile) }),
  });
  const plan = await deps.plans.get(finding.planId);
  if (!plan || (plan.status !== 'inProgress' && plan.status !== 'reported')) {
    throw new Conflict(
      `改善措置は監査実施中または報告済みの監査計画の所見にのみ登録できます（現在: ${plan ? planStatusLabels[plan.status] : '不明'}）。`,
      'plan-not-open',
    );
  }
  const today = jstDate(deps.clock.now());
  if (input.dueDate < today) {
    throw new InvalidInput(`期限（${input.dueDate}）は今日（${today}）以降の日付にしてください。`, [
      { path: 'dueDate', message: '過去の日付です。' },
    ]);
  }
  const now = deps.clock.now().toISOString();
  const action: FollowUpAction = {
    actionId: deps.ids.next(),
    findingId,
    planId: finding.planId,
    fiscalYear: finding.fiscalYear,
    department: finding.department,
    description: input.description,
    dueDate: input.dueDate,
    status: 'open',
    finding: {
      articleLabel: finding.articleLabel,
      title: finding.title,
      rating: finding.rating,
      scope: finding.scope,
      createdBy: finding.createdBy,
    },
    evidenceIds: [],
    version: 1,
    createdBy: actor.sub,
    createdAt: now,
    updatedAt: now,
  };
  await deps.writer.commit(
    [change(deps, actor, now, 'action', action.actionId, 'action.created', null, action)],
    [{ entityType: 'plan', entityId: plan.planId, version: plan.version, bumpChildren: true }],
  );
  return actionView(deps, action);
}

/** One action; one of a 課 the caller may not see is 404. */
export async function getAction(deps: Deps, actor: Actor, actionId: string): Promise<ActionView> {
  const action = await loadVisible(deps, actor, 'action', actionId);
  return actionView(deps, action);
}

/** Actions by 課, status and overdue-ness, from an index; section roles see their own 課. */
export async function listActions(
  deps: Deps,
  actor: Actor,
  query: { department?: string | undefined; status?: ActionStatus | undefined; overdue?: boolean | undefined } & PageRequest,
): Promise<Page<ActionView>> {
  const department = listDepartment(deps, actor, 'action:list', query.department);
  // Only actions the 課 still owes can be overdue.
  if (query.overdue && query.status && !pendingStatuses.includes(query.status)) return { items: [], nextCursor: null };
  const overdueBefore = query.overdue ? jstDate(deps.clock.now()) : undefined;
  const page = await deps.actions.list({ ...query, department, overdueBefore });
  return { items: page.items.map((a) => actionView(deps, a)), nextCursor: page.nextCursor };
}

const permissionOf = {
  progress: 'action:work',
  submit: 'action:work',
  verify: 'action:verify',
  reopen: 'action:verify',
  acceptRisk: 'action:acceptRisk',
} as const;
const eventOf = {
  progress: 'action.progressed',
  submit: 'action.submitted',
  verify: 'action.verified',
  reopen: 'action.reopened',
  acceptRisk: 'action.riskAccepted',
} as const;

/**
 * Move an action along its lifecycle. `note` is the progress note, completion
 * report, verification comment, reopening reason or risk-acceptance reason.
 */
export async function transitionAction(
  deps: Deps,
  actor: Actor,
  actionId: string,
  t: ActionTransition,
  pre: Precondition,
  input: { note?: string | undefined; evidenceIds?: string[] | undefined },
): Promise<ActionView> {
  const before = await loadFor(deps, actor, 'action', actionId, permissionOf[t], {
    ...pre,
    on: (action) => ({ type: 'action', action, owners: scopeOwners(deps.profile) }),
  });
  const status = nextActionStatus(before.status, t);
  if (t === 'submit') await assertEvidenceOf(deps, { type: 'action', id: actionId }, input.evidenceIds ?? [], before.evidenceIds);
  const now = deps.clock.now().toISOString();
  const after: FollowUpAction = {
    ...before,
    status,
    version: before.version + 1,
    updatedAt: now,
  };
  if (t === 'submit') {
    Object.assign(after, {
      submittedBy: actor.sub,
      submittedAt: now,
      evidenceIds: [...new Set([...before.evidenceIds, ...(input.evidenceIds ?? [])])],
    });
    // No longer owed: a reopened action past its due date is marked overdue afresh.
    delete after.overdueSince;
  } else if (t === 'verify') {
    Object.assign(after, { verifiedBy: actor.sub, verifiedAt: now });
  } else if (t === 'acceptRisk') {
    Object.assign(after, { riskAcceptedBy: actor.sub, riskAcceptedAt: now });
  }
  // Its reminder and overdue tasks close with the work: their ids are on the action, so one
  // consistent BatchGetItem reads them (none when there are none), no index is queried.
  const closing = t === 'submit' || t === 'verify' || t === 'acceptRisk' ? (before.openTaskIds ?? []) : [];
  const tasks = closing.length > 0 ? await deps.tasks.getMany(closing) : [];
  if (closing.length > 0) after.openTaskIds = [];
  const changed = change(deps, actor, now, 'action', actionId, eventOf[t], before, after, input.note);
  // The note is an item of its own beside the action: 300 notes of 2,000 characters leave the action as small as one.
  if (input.note !== undefined)
    changed.children = [noteItem({ kind: t, note: input.note, by: actor.sub, at: now, version: after.version })];
  await commitAsked(deps, { entityType: 'action', entityId: actionId, ifMatch: pre.ifMatch }, [
    changed,
    ...closeTaskChanges(deps, actor, now, tasks),
  ]);
  return actionView(deps, after);
}

/** A note's item: keyed by the action's version, so the notes sort as they were written whatever the clocks say. */
function noteItem(note: ActionNote): ChildItem {
  return { kind: 'note', id: String(note.version).padStart(10, '0'), body: { ...note } };
}

/**
 * 経過: an action's notes, oldest first, for whoever may see the action. Notes kept on
 * the action before they had items of their own come first on the first page.
 */
export async function listActionNotes(deps: Deps, actor: Actor, actionId: string, page: PageRequest): Promise<Page<ActionNote>> {
  const action = await loadVisible(deps, actor, 'action', actionId);
  const notes = await deps.actions.notes(actionId, page);
  const legacy = page.cursor ? [] : (action.history ?? []).map((n) => ({ ...n, version: n.version ?? 0 }));
  return { items: [...legacy, ...notes.items], nextCursor: notes.nextCursor };
}
