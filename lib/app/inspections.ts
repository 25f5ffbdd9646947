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
  awaitsReview,
  emptyChecklist,
  jointInspectors,
  reportOnSubmit,
} from '#lib/domain/inspection.js';
import { departmentName } from '#lib/domain/organisation.js';
import { cite, sourceOf } from '#lib/domain/provisions.js';
import type { Actor } from '#lib/domain/roles.js';
import { assigneeFor, periodLabel, periodRange } from '#lib/domain/task.js';
import { dutyPeriod, jstDate } from '#lib/domain/calendar.js';
import type { DutyDefinition } from '#lib/profiles/types.js';
import { type Precondition, change, commitAsked } from './changes.js';
import { assertEvidenceOf } from './evidence-links.js';
import type { Change, Deps, Page, PageRequest } from './ports.js';
import { type NewTask, closeOwnTaskChanges, createTaskChange } from './task-changes.js';
import type { Task } from '#lib/domain/task.js';
import { listDepartment, loadFor, loadVisible, ofDepartment } from './visibility.js';

/**
 * 点検 use cases (`provisions.inspection`): the duty opens one per 課 and period with the
 * profile's checklist; the 課 answers it; its 保護管理者 submits it, which closes the task
 * and, where they judge it needed, reports it to the chief (`inspectionReport`). The chief
 * records the 見直し of a joint 点検 (003 第30条) or of one reported to them (`review`).
 */

/** The 点検 of one 課 for one period and its 保護管理者's task, as changes for one transaction. */
export function openInspection(
  deps: Pick<Deps, 'ids' | 'organisation' | 'profile'>,
  actor: Actor,
  now: string,
  input: { definition: DutyDefinition; period: string; department: string; affairs?: CoveredAffair[] },
): { inspection: Inspection; task: Task; changes: Change[] } {
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
  const basis = [conductedBy, source].filter(Boolean).join('、');
  const fields: NewTask = {
    kind: 'inspection',
    title: `${departmentName(deps.organisation, department)} ${periodLabel(period)}の点検${basis ? `（${basis}）` : ''}`,
    duty: definition.duty,
    period,
    source,
    assignee: assigneeFor(definition.assignee, department),
    subject: { type: 'inspection', id: inspectionId },
    dueDate: range.to,
  };
  const { task, change: taskChange } = createTaskChange(deps, actor, now, fields, taskId);
  return {
    inspection,
    task,
    changes: [change(deps, actor, now, 'inspection', inspectionId, 'inspection.opened', null, inspection), taskChange],
  };
}

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

/** Answer checklist items while open (the 課's 保護管理者 or 保護担当者). */
export async function updateInspection(
  deps: Deps,
  actor: Actor,
  inspectionId: string,
  input: UpdateInspectionInput,
  pre: Precondition,
): Promise<Inspection> {
  const before = await loadFor(deps, actor, 'inspection', inspectionId, 'inspection:update', {
    ...pre,
    on: (found) => ofDepartment(deps, found),
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

/** The chief's task after a submission: the 見直し of a joint 点検, or the report made to them. */
function chiefTask(deps: Deps, actor: Actor, now: string, inspection: Inspection): { task: Task; change: Change } | undefined {
  if (!awaitsReview(inspection)) return undefined;
  const today = jstDate(new Date(now));
  const p = deps.profile.provisions;
  const where = `${departmentName(deps.organisation, inspection.department)} ${periodLabel(inspection.period)}`;
  const joint = inspection.jointWith !== undefined;
  return createTaskChange(deps, actor, now, {
    kind: 'inspection',
    title: joint
      ? `${where}の点検を踏まえた安全管理措置の見直し${cite(p, 'review')}`
      : `${where}の点検結果の報告${cite(p, 'inspectionReport')}`,
    duty: 'section-inspection',
    period: inspection.period,
    source: sourceOf(p, joint ? 'review' : 'inspectionReport'),
    assignee: assigneeFor(inspection.jointWith ?? 'chiefManager', undefined),
    subject: { type: 'inspection', id: inspection.inspectionId },
    dueDate: inspection.dueDate > today ? inspection.dueDate : today,
  });
}

/**
 * The 保護管理者 submits the 点検 when every item is answered (a 要改善 with what is wrong),
 * saying whether its results go to the chief where the regulation has that step
 * (`inspectionReport`); its task closes, and a report or a joint 点検 opens the chief's task,
 * in the same transaction. Reads: the 点検 and its task by id.
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
  return after;
}

/**
 * The chief records the 見直し of the 安全管理措置 on a submitted 点検: of a joint one (003
 * 第30条), which completes it, or of one reported to them (001 第28条: 評価し…見直し等の措置).
 * Not by whoever filled it in or submitted it (職務の分離). Their task closes with it.
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
