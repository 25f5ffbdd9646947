import {
  type CoveredAffair,
  type Inspection,
  type InspectionStatus,
  type ReviewInspectionInput,
  type SubmitInspectionInput,
  type UpdateInspectionInput,
  answerChecklist,
  assertReviewable,
  assertSubmittable,
  emptyChecklist,
  jointInspectors,
  reportOnSubmit,
} from '#lib/domain/inspection.js';
import { departmentName } from '#lib/domain/organisation.js';
import { cite, sourceOf } from '#lib/domain/provisions.js';
import type { Resource } from '#lib/domain/permissions.js';
import type { Actor } from '#lib/domain/roles.js';
import { assigneeFor, periodLabel, periodRange } from '#lib/domain/task.js';
import { dutyPeriod, jstDate } from '#lib/domain/calendar.js';
import type { DutyDefinition } from '#lib/profiles/types.js';
import { type Precondition, change, commitAsked } from './changes.js';
import { assertEvidenceOf } from './evidence-links.js';
import type { Change, Deps, Page, PageRequest } from './ports.js';
import { type NewTask, closeOwnTaskChanges, createTaskChange, taskCreated } from './task-changes.js';
import type { Task } from '#lib/domain/task.js';
import { listDepartment, loadFor, loadVisible, ofDepartment } from './visibility.js';

/**
 * 点検 use cases (`provisions.inspection`): the duty opens one per 課 and period with the
 * profile's checklist; the 課 answers it; its 保護管理者 submits it, which closes the task
 * and, where they judge it needed, reports it to the chief (`inspectionReport`). The chief
 * records the 見直し of a joint 点検 (003 第30条) or of one reported to them (`review`).
 *
 * The tasks, and what closes each:
 * - the 課's (its 保護管理者; 003: the 事務取扱責任者), opened with the 点検: closed by the submission;
 * - the chief's on a joint 点検 (the `jointWith` role), opened with the 点検, since they inspect
 *   with the 課 from the start and then 見直す: closed by the 見直し, which completes the 点検;
 * - the chief's on a 点検 reported to them, opened by the submission: closed by the 見直し.
 * A task opened by a use case is announced on the events bus after the commit (kansa.TaskCreated).
 */

/** Where and when, for task titles: 「市民課 令和9年度第1四半期」. */
const whereAndWhen = (deps: Pick<Deps, 'organisation'>, i: Pick<Inspection, 'department' | 'period'>) =>
  `${departmentName(deps.organisation, i.department)} ${periodLabel(i.period)}`;

/** The rules a task cites, joined once each: 「総括責任者及び事務取扱責任者、第30条」 → 「（…）」, or ''. */
const basisOf = (...parts: (string | undefined)[]) => {
  const said = [...new Set(parts.filter((p): p is string => Boolean(p)))];
  return said.length > 0 ? `（${said.join('、')}）` : '';
};

/**
 * The 点検 of one 課 for one period and its 保護管理者's task, as changes for one
 * transaction; a joint 点検 (003 第30条) with the task of the role that conducts it with
 * the 課 (`chiefTask`: they inspect and then record the 見直し, which closes it).
 */
export function openInspection(
  deps: Pick<Deps, 'ids' | 'organisation' | 'profile'>,
  actor: Actor,
  now: string,
  input: { definition: DutyDefinition; period: string; department: string; affairs?: CoveredAffair[] },
): { inspection: Inspection; task: Task; chiefTask?: Task; changes: Change[] } {
  const { definition, period, department, affairs } = input;
  const range = periodRange(period);
  const inspectionId = deps.ids.next();
  const taskId = deps.ids.next();
  const source = sourceOf(deps.profile.provisions, 'inspection') || definition.source;
  const jointWith = deps.profile.inspections?.jointWith;
  const conductedBy = jointWith === undefined ? undefined : jointInspectors(deps.profile, jointWith, definition.assignee);
  const inspection: Inspection = {
    inspectionId,
    department,
    period,
    fiscalYear: range.fiscalYear,
    source,
    ...(jointWith === undefined ? {} : { jointWith, conductedBy }),
    ...(affairs === undefined ? {} : { affairs }),
    checklist: emptyChecklist(definition.checklist ?? []),
    status: 'open',
    dueDate: range.to,
    taskId,
    evidenceIds: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const where = whereAndWhen(deps, inspection);
  const fields: NewTask = {
    kind: 'inspection',
    title: `${where}の点検${basisOf(conductedBy, source)}`,
    duty: definition.duty,
    period,
    source,
    assignee: assigneeFor(definition.assignee, department),
    subject: { type: 'inspection', id: inspectionId },
    dueDate: range.to,
  };
  const { task, change: taskChange } = createTaskChange(deps, actor, now, fields, taskId);
  if (jointWith === undefined) {
    return {
      inspection,
      task,
      changes: [change(deps, actor, now, 'inspection', inspectionId, 'inspection.opened', null, inspection), taskChange],
    };
  }
  const review = sourceOf(deps.profile.provisions, 'review');
  const chief = createTaskChange(deps, actor, now, {
    ...fields,
    title: `${where}の点検及び安全管理措置の見直し${basisOf(conductedBy, source, review)}`,
    assignee: assigneeFor(jointWith, undefined),
  });
  const joint: Inspection = { ...inspection, reviewTaskId: chief.task.taskId };
  return {
    inspection: joint,
    task,
    chiefTask: chief.task,
    changes: [change(deps, actor, now, 'inspection', inspectionId, 'inspection.opened', null, joint), taskChange, chief.change],
  };
}

/** The resource inspection actions are decided on: its 課, and on a joint 点検 the role conducting it with the 課. */
const onInspection = (deps: Pick<Deps, 'organisation'>, found: Inspection): Resource => ({
  ...ofDepartment(deps, found),
  ...(found.jointWith === undefined ? {} : { jointWith: found.jointWith }),
});

/** 点検 by 課, period and status; section roles see their own 課. Without either, the current period. */
export async function listInspections(
  deps: Deps,
  actor: Actor,
  query: { department?: string | undefined; period?: string | undefined; status?: InspectionStatus | undefined } & PageRequest,
): Promise<Page<Inspection>> {
  const department = listDepartment(deps, actor, 'inspection:list', query.department);
  const frequency = deps.profile.duties.find((d) => d.duty === 'section-inspection')?.frequency ?? 'quarterly';
  const period =
    query.period ??
    (department === undefined ? dutyPeriod(deps.clock.now(), frequency === 'daily' ? 'quarterly' : frequency).period : undefined);
  return deps.inspections.list({ ...query, department, period });
}

/** One 点検; one of a 課 the caller may not see is 404. */
export function getInspection(deps: Deps, actor: Actor, inspectionId: string): Promise<Inspection> {
  return loadVisible(deps, actor, 'inspection', inspectionId);
}

/** Answer checklist items while open (the 課's 保護管理者 or 保護担当者; on a joint 点検 also the role conducting it with the 課). */
export async function updateInspection(
  deps: Deps,
  actor: Actor,
  inspectionId: string,
  input: UpdateInspectionInput,
  pre: Precondition,
): Promise<Inspection> {
  const before = await loadFor(deps, actor, 'inspection', inspectionId, 'inspection:update', {
    ...pre,
    on: (found) => onInspection(deps, found),
  });
  const checklist = answerChecklist(before, input.answers);
  await assertEvidenceOf(deps, { type: 'inspection', id: inspectionId }, input.evidenceIds ?? [], before.evidenceIds);
  const now = deps.clock.now().toISOString();
  const after: Inspection = {
    ...before,
    checklist,
    evidenceIds: [...new Set([...before.evidenceIds, ...(input.evidenceIds ?? [])])],
    version: before.version + 1,
    updatedAt: now,
    lastEditedBy: actor.sub,
  };
  await commitAsked(deps, { entityType: 'inspection', entityId: inspectionId, ifMatch: pre.ifMatch }, [
    change(deps, actor, now, 'inspection', inspectionId, 'inspection.updated', before, after),
  ]);
  return after;
}

/**
 * The chief's task a submission opens: the report made to them. (A joint 点検 opens its
 * chief's task with it; the regulations with a joint 点検 have no report.)
 */
function chiefTask(deps: Deps, actor: Actor, now: string, inspection: Inspection): { task: Task; change: Change } | undefined {
  if (inspection.report?.needed !== true) return undefined;
  const today = jstDate(new Date(now));
  const p = deps.profile.provisions;
  return createTaskChange(deps, actor, now, {
    kind: 'inspection',
    title: `${whereAndWhen(deps, inspection)}の点検結果の報告${cite(p, 'inspectionReport')}`,
    duty: 'section-inspection',
    period: inspection.period,
    source: sourceOf(p, 'inspectionReport'),
    assignee: assigneeFor('chiefManager', undefined),
    subject: { type: 'inspection', id: inspection.inspectionId },
    dueDate: inspection.dueDate > today ? inspection.dueDate : today,
  });
}

/**
 * The 保護管理者 submits the 点検 when every item is answered (a 要改善 with what is wrong),
 * saying whether its results go to the chief where the regulation has that step
 * (`inspectionReport`); its task closes, and a report opens the chief's task, in the same
 * transaction, announced after the commit. Reads: the 点検 and its task by id.
 */
export async function submitInspection(
  deps: Deps,
  actor: Actor,
  inspectionId: string,
  input: SubmitInspectionInput,
  pre: Precondition,
): Promise<Inspection> {
  const before = await loadFor(deps, actor, 'inspection', inspectionId, 'inspection:submit', {
    ...pre,
    on: (found) => ofDepartment(deps, found),
  });
  assertSubmittable(before);
  const report = reportOnSubmit(deps.profile, input);
  const now = deps.clock.now().toISOString();
  const submitted: Inspection = {
    ...before,
    status: 'submitted',
    submittedAt: now,
    submittedBy: actor.sub,
    ...(report === undefined ? {} : { report }),
    version: before.version + 1,
    updatedAt: now,
  };
  const chief = chiefTask(deps, actor, now, submitted);
  const after: Inspection = chief === undefined ? submitted : { ...submitted, reviewTaskId: chief.task.taskId };
  await commitAsked(deps, { entityType: 'inspection', entityId: inspectionId, ifMatch: pre.ifMatch }, [
    change(deps, actor, now, 'inspection', inspectionId, 'inspection.submitted', before, after),
    ...(await closeOwnTaskChanges(deps, actor, now, before.taskId)),
    ...(chief ? [chief.change] : []),
  ]);
  // After the commit: the publisher never throws (an event it cannot put is logged and counted).
  if (chief) await deps.events.publish([taskCreated(chief.task)]);
  return after;
}

/**
 * The chief records the 見直し of the 安全管理措置 on a submitted 点検: of a joint one (003
 * 第30条), which completes it and which they record although they filled it in with the 課
 * (the 総括責任者及び事務取扱責任者 both 点検し…見直す); or of one reported to them (001 第28条:
 * 評価し…見直し等の措置), not by whoever filled it in or submitted it (職務の分離). Their task
 * closes with it.
 */
export async function reviewInspection(
  deps: Deps,
  actor: Actor,
  inspectionId: string,
  input: ReviewInspectionInput,
  pre: Precondition,
): Promise<Inspection> {
  const before = await loadFor(deps, actor, 'inspection', inspectionId, 'inspection:review', {
    ...pre,
    on: (found) => ({ type: 'inspectionReview', inspection: found }),
  });
  assertReviewable(before);
  const now = deps.clock.now().toISOString();
  const after: Inspection = {
    ...before,
    status: 'reviewed',
    review: { changes: input.changes, measures: input.measures, reviewedAt: now, reviewedBy: actor.sub },
    version: before.version + 1,
    updatedAt: now,
  };
  await commitAsked(deps, { entityType: 'inspection', entityId: inspectionId, ifMatch: pre.ifMatch }, [
    change(deps, actor, now, 'inspection', inspectionId, 'inspection.reviewed', before, after),
    ...(before.reviewTaskId ? await closeOwnTaskChanges(deps, actor, now, before.reviewTaskId) : []),
  ]);
  return after;
}
