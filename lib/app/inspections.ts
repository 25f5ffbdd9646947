import {
  type Inspection,
  type InspectionStatus,
  type UpdateInspectionInput,
  answerChecklist,
  assertSubmittable,
  emptyChecklist,
} from '#lib/domain/inspection.js';
import { departmentName } from '#lib/domain/organisation.js';
import type { Actor } from '#lib/domain/roles.js';
import { assigneeFor, periodLabel, periodRange } from '#lib/domain/task.js';
import { dutyPeriod } from '#lib/domain/calendar.js';
import type { DutyDefinition } from '#lib/profiles/types.js';
import { type Precondition, change, commitAsked } from './changes.js';
import { assertEvidenceOf } from './evidence-links.js';
import type { Change, Deps, Page, PageRequest } from './ports.js';
import { type NewTask, closeOwnTaskChanges, createTaskChange } from './task-changes.js';
import type { Task } from '#lib/domain/task.js';
import { listDepartment, loadFor, loadVisible, ofDepartment } from './visibility.js';

/**
 * 点検 use cases (第27条): the duty opens one per 課 and period with the profile's
 * checklist; the 課 answers it; its 保護管理者 submits it, which closes the task.
 */

/** The 点検 of one 課 for one period and its 保護管理者's task, as changes for one transaction. */
export function openInspection(
  deps: Pick<Deps, 'ids' | 'organisation'>,
  actor: Actor,
  now: string,
  input: { definition: DutyDefinition; period: string; department: string },
): { inspection: Inspection; task: Task; changes: Change[] } {
  const { definition, period, department } = input;
  const range = periodRange(period);
  const inspectionId = deps.ids.next();
  const taskId = deps.ids.next();
  const inspection: Inspection = {
    inspectionId,
    department,
    period,
    fiscalYear: range.fiscalYear,
    source: definition.source,
    checklist: emptyChecklist(definition.checklist ?? []),
    status: 'open',
    dueDate: range.to,
    taskId,
    evidenceIds: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const fields: NewTask = {
    kind: 'inspection',
    title: `${departmentName(deps.organisation, department)} ${periodLabel(period)}の点検（${definition.source}）`,
    duty: definition.duty,
    period,
    source: definition.source,
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

/**
 * 第27条: the 保護管理者 submits the 点検 when every item is answered (a 要改善 with what
 * is wrong); its task closes in the same transaction. Reads: the 点検 and its task by id.
 */
export async function submitInspection(deps: Deps, actor: Actor, inspectionId: string, pre: Precondition): Promise<Inspection> {
  const before = await loadFor(deps, actor, 'inspection', inspectionId, 'inspection:submit', {
    ...pre,
    on: (found) => ofDepartment(deps, found),
  });
  assertSubmittable(before);
  const now = deps.clock.now().toISOString();
  const after: Inspection = {
    ...before,
    status: 'submitted',
    submittedAt: now,
    submittedBy: actor.sub,
    version: before.version + 1,
    updatedAt: now,
  };
  await commitAsked(deps, { entityType: 'inspection', entityId: inspectionId, ifMatch: pre.ifMatch }, [
    change(deps, actor, now, 'inspection', inspectionId, 'inspection.submitted', before, after),
    ...(await closeOwnTaskChanges(deps, actor, now, before.taskId)),
  ]);
  return after;
}
