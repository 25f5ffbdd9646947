import { dutyPeriod, fiscalYearOf, fiscalYearRange, jstDate, warekiFiscalYear } from '#lib/domain/calendar.js';
import {
  type CompleteContractorCheckInput,
  contractOverlaps,
  type Contractor,
  type ContractorCheck,
  type CreateContractorInput,
  type UpdateContractorInput,
  assertCheckOpen,
  assertRemoteReason,
  checkCitation,
  subcontractorChecksOf,
  subcontractorsOf,
} from '#lib/domain/contractor.js';
import { InvalidInput } from '#lib/domain/errors.js';
import type { Actor } from '#lib/domain/roles.js';
import { type Task, assigneeFor } from '#lib/domain/task.js';
import type { DutyDefinition } from '#lib/profiles/types.js';
import { authorizeIn } from './authorize.js';
import { type Asked, type Precondition, change, commitAsked } from './changes.js';
import { assertEvidenceOf } from './evidence-links.js';
import { AlreadyClaimed, type Change, type Claim, type Deps, type OutboundEvent, type Page, type PageRequest } from './ports.js';
import { closeOwnTaskChanges, createTaskChange, taskCreated } from './task-changes.js';
import { listDepartment, loadFor, loadVisible, ofDepartment } from './visibility.js';

/**
 * 委託先 use cases (001 第22条; 002 第8の2–第8の8, 003 第26条, 004 第36条): the contracting
 * 課's 保護管理者 keeps its contractors and their 再委託先 in a registry; where the
 * regulation asks for a yearly check (001 第22条第4項, 002 第8の5, 004 第36条第3項), the duty
 * opens one of every contractor under contract each year, and registering a contractor
 * later in the 年度 opens that 年度's check at once; the 保護管理者 completes it with the
 * method, date and result, and how each 再委託先 was checked (委託先を通じて又は委託元自ら).
 */

const periodProblem = (from: string, to: string) =>
  new InvalidInput(`契約期間の終了日（${to}）は開始日（${from}）以降にしてください。`, [
    { path: 'contractTo', message: '開始日より前です。' },
  ]);

/** Register a contractor of one's own 課 (its 保護管理者) with its 再委託先, and this 年度's check when one is due. */
export async function createContractor(deps: Deps, actor: Actor, input: CreateContractorInput): Promise<Contractor> {
  authorizeIn(deps, actor, 'contractor:create');
  authorizeIn(deps, actor, 'contractor:create', { type: 'department', department: input.department, organisation: deps.organisation });
  const now = deps.clock.now().toISOString();
  const { contact, subcontractors, ...fields } = input;
  const contractor: Contractor = {
    ...fields,
    ...(contact === undefined ? {} : { contact }),
    subcontractors: subcontractorsOf(deps.profile.provisions, subcontractors ?? [], [], () => deps.ids.next()),
    contractorId: deps.ids.next(),
    version: 1,
    createdBy: actor.sub,
    createdAt: now,
    updatedAt: now,
  };
  await commitWithCheck(
    deps,
    undefined,
    change(deps, actor, now, 'contractor', contractor.contractorId, 'contractor.registered', null, contractor),
    checkOfThisYear(deps, actor, now, contractor),
  );
  return contractor;
}

export async function listContractors(
  deps: Deps,
  actor: Actor,
  query: { department?: string | undefined } & PageRequest,
): Promise<Page<Contractor>> {
  const department = listDepartment(deps, actor, 'contractor:list', query.department);
  return deps.contractors.list({ ...query, department });
}

export async function getContractor(deps: Deps, actor: Actor, contractorId: string): Promise<Contractor> {
  return loadVisible(deps, actor, 'contractor', contractorId);
}

/**
 * Edit a contractor (If-Match); `contact: null` removes the contact; `subcontractors`
 * replaces the list of 再委託先 (existing entries named by their id). The 課 does not
 * change. A new contract period that runs into this 年度 opens its check, if not yet open.
 */
export async function updateContractor(
  deps: Deps,
  actor: Actor,
  contractorId: string,
  input: UpdateContractorInput,
  pre: Precondition,
): Promise<Contractor> {
  const before = await loadFor(deps, actor, 'contractor', contractorId, 'contractor:update', {
    ...pre,
    on: (found) => ofDepartment(deps, found),
  });
  const now = deps.clock.now().toISOString();
  const { contact, subcontractors, ...fields } = input;
  const { contact: _old, ...rest } = before;
  const after: Contractor = {
    ...rest,
    ...fields,
    ...(contact === null ? {} : contact === undefined ? (before.contact === undefined ? {} : { contact: before.contact }) : { contact }),
    ...(subcontractors === undefined
      ? {}
      : { subcontractors: subcontractorsOf(deps.profile.provisions, subcontractors, before.subcontractors ?? [], () => deps.ids.next()) }),
    version: before.version + 1,
    updatedAt: now,
    lastEditedBy: actor.sub,
  };
  if (after.contractFrom > after.contractTo) throw periodProblem(after.contractFrom, after.contractTo);
  const periodChanged = after.contractFrom !== before.contractFrom || after.contractTo !== before.contractTo;
  await commitWithCheck(
    deps,
    { entityType: 'contractor', entityId: contractorId, ifMatch: pre.ifMatch },
    change(deps, actor, now, 'contractor', contractorId, 'contractor.updated', before, after),
    periodChanged ? checkOfThisYear(deps, actor, now, after) : undefined,
  );
  return after;
}

/**
 * This 年度's check of a contractor just registered, or whose contract period just
 * changed, with the claim the `contractor-check` duty uses for it.
 *
 * 第22条第4項 (少なくとも年1回以上; 002: 第8の5, 004: 第36条第3項) asks for a check every
 * year of every contract; the duty runs on 1 April, so a contractor registered (or a
 * contract extended into the 年度) after that would wait until the next April. The rule:
 * when the profile's duty is enabled and the contract runs on some day of the current
 * 年度 (Japan time), open the check that the duty would have opened for this 年度: the
 * same builder, period, claim key and due date (the end of the 年度, or of the contract
 * if sooner). A contract starting later in this 年度 is opened now too, as the duty of
 * 1 April opens it; one starting in a later 年度 gets that 年度's duty. A profile whose
 * duty is disabled (003: 第26条 asks for 監督 but no periodic check) opens nothing.
 */
function checkOfThisYear(
  deps: Deps,
  actor: Actor,
  now: string,
  contractor: Contractor,
): { changes: Change[]; claim: Claim & { events: OutboundEvent[] } } | undefined {
  const definition = deps.profile.duties.find((d) => d.duty === 'contractor-check');
  if (!definition?.enabled) return undefined;
  const instant = new Date(now);
  const fiscalYear = fiscalYearOf(instant);
  const { from, to } = fiscalYearRange(fiscalYear);
  if (!contractOverlaps(contractor, from, to)) return undefined;
  const { period } = dutyPeriod(instant, definition.frequency);
  const opened = openContractorCheck(deps, actor, now, { definition, period, fiscalYear, contractor });
  // The claim keeps the task's event (the duties' outbox), as the duty's own unit does.
  return {
    changes: opened.changes,
    claim: { duty: definition.duty, period, subject: contractor.contractorId, events: [taskCreated(opened.task)] },
  };
}

/**
 * The contractor's change, with this 年度's check in the same transaction when there is
 * one to open. The claim decides: if the duty (or an earlier registration or edit) has
 * opened it already, the transaction is cancelled whole (nothing written) and the change
 * alone is committed, again as one transaction; so there is never a second check, and
 * the registration or edit still succeeds. The new check's task is announced on the
 * events bus after the commit, like the duty's (kansa.TaskCreated).
 */
async function commitWithCheck(
  deps: Deps,
  asked: Asked | undefined,
  contractorChange: Change,
  check: ReturnType<typeof checkOfThisYear>,
): Promise<void> {
  if (check) {
    try {
      await commitAsked(deps, asked, [contractorChange, ...check.changes], [], [check.claim]);
      await deps.events.publish(check.claim.events);
      return;
    } catch (err) {
      if (!(err instanceof AlreadyClaimed)) throw err;
    }
  }
  await commitAsked(deps, asked, [contractorChange]);
}

/** The yearly check of one contractor and the contracting 課's task, as changes for one transaction. */
export function openContractorCheck(
  deps: Pick<Deps, 'ids' | 'profile'>,
  actor: Actor,
  now: string,
  input: { definition: DutyDefinition; period: string; fiscalYear: number; contractor: Contractor },
): { check: ContractorCheck; task: Task; changes: Change[] } {
  const { definition, period, fiscalYear, contractor } = input;
  // 少なくとも年1回以上: by the end of the 年度, or of the contract if it ends sooner.
  const yearEnd = fiscalYearRange(fiscalYear).to;
  const dueDate = contractor.contractTo < yearEnd ? contractor.contractTo : yearEnd;
  const checkId = deps.ids.next();
  const taskId = deps.ids.next();
  const check: ContractorCheck = {
    checkId,
    contractorId: contractor.contractorId,
    name: contractor.name,
    department: contractor.department,
    fiscalYear,
    source: definition.source,
    status: 'open',
    dueDate,
    taskId,
    evidenceIds: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const { task, change: taskChange } = createTaskChange(
    deps,
    actor,
    now,
    {
      kind: 'contractorCheck',
      title: `委託先「${contractor.name}」の${warekiFiscalYear(fiscalYear)}の検査${checkCitation(deps.profile.provisions)}`,
      duty: definition.duty,
      period,
      source: definition.source,
      assignee: assigneeFor(definition.assignee, contractor.department),
      subject: { type: 'contractorCheck', id: checkId },
      dueDate,
    },
    taskId,
  );
  return {
    check,
    task,
    changes: [change(deps, actor, now, 'contractorCheck', checkId, 'contractorCheck.opened', null, check), taskChange],
  };
}

/** Checks of a 年度 (default: the current one in Japan), by 課; section roles see their own. */
export async function listContractorChecks(
  deps: Deps,
  actor: Actor,
  query: { department?: string | undefined; fiscalYear?: number | undefined } & PageRequest,
): Promise<Page<ContractorCheck>> {
  const department = listDepartment(deps, actor, 'contractorCheck:list', query.department);
  return deps.contractorChecks.list({ ...query, department, fiscalYear: query.fiscalYear ?? fiscalYearOf(deps.clock.now()) });
}

export async function getContractorCheck(deps: Deps, actor: Actor, checkId: string): Promise<ContractorCheck> {
  return loadVisible(deps, actor, 'contractorCheck', checkId);
}

/**
 * The 保護管理者 records how (on site, or remotely: with the reason where the regulation
 * says 原則として実地検査), when and with what result the contractor was checked, and for
 * each 再委託先 the contract names, whether it was checked 委託先を通じて or 委託元自ら
 * (001 第22条第5項) with its result; the task closes with it.
 */
export async function completeContractorCheck(
  deps: Deps,
  actor: Actor,
  checkId: string,
  input: CompleteContractorCheckInput,
  pre: Precondition,
): Promise<ContractorCheck> {
  const before = await loadFor(deps, actor, 'contractorCheck', checkId, 'contractorCheck:complete', {
    ...pre,
    on: (found) => ofDepartment(deps, found),
  });
  assertCheckOpen(before);
  assertRemoteReason(deps.profile.provisions, input);
  const today = jstDate(deps.clock.now());
  if (input.checkedOn > today)
    throw new InvalidInput(`検査日（${input.checkedOn}）は今日以前の日付にしてください。`, [
      { path: 'checkedOn', message: '未来の日付です。' },
    ]);
  const contractor = await deps.contractors.get(before.contractorId);
  const subcontractorChecks = subcontractorChecksOf(deps.profile.provisions, contractor?.subcontractors ?? [], input.subcontractors);
  await assertEvidenceOf(deps, { type: 'contractorCheck', id: checkId }, input.evidenceIds, before.evidenceIds);
  const now = deps.clock.now().toISOString();
  const { evidenceIds, remoteReason, notes, subcontractors: _answers, ...fields } = input;
  const after: ContractorCheck = {
    ...before,
    ...fields,
    ...(input.method === 'remote' && remoteReason !== undefined ? { remoteReason } : {}),
    ...(notes === undefined ? {} : { notes }),
    ...(subcontractorChecks.length === 0 ? {} : { subcontractors: subcontractorChecks }),
    evidenceIds: [...new Set([...before.evidenceIds, ...evidenceIds])],
    status: 'completed',
    completedAt: now,
    completedBy: actor.sub,
    version: before.version + 1,
    updatedAt: now,
  };
  // The 再委託先 answered are those of the contractor as read: an edit of it meanwhile fails the commit (409).
  await commitAsked(
    deps,
    { entityType: 'contractorCheck', entityId: checkId, ifMatch: pre.ifMatch },
    [
      change(deps, actor, now, 'contractorCheck', checkId, 'contractorCheck.completed', before, after),
      ...(await closeOwnTaskChanges(deps, actor, now, before.taskId)),
    ],
    contractor ? [{ entityType: 'contractor', entityId: contractor.contractorId, version: contractor.version }] : [],
  );
  return after;
}
