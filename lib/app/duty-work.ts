import { type FollowUpAction, pendingStatuses } from '#lib/domain/action.js';
import { fiscalYearOfDate, fiscalYearRange, warekiFiscalYear } from '#lib/domain/calendar.js';
import { contractOverlaps } from '#lib/domain/contractor.js';
import { type Incident, learnedOn } from '#lib/domain/incident.js';
import { type DeadlineAlert, alertSubject, deadlineAlerts, deadlineTitleHead } from '#lib/domain/incident-deadlines.js';
import { type CoveredAffair, NoSectionInspected, inspectedSections } from '#lib/domain/inspection.js';
import { Conflict, StaleVersion } from '#lib/domain/errors.js';
import { allSections, departmentName } from '#lib/domain/organisation.js';
import type { Role } from '#lib/domain/roles.js';
import { type TaskAssignee, addDays, assigneeFor, closeTask } from '#lib/domain/task.js';
import { type Training, hasEnded, nonAttendees } from '#lib/domain/training.js';
import { followUpDue, followUpFiscalYears, followUpTitle } from '#lib/domain/training-followup.js';
import { logger } from '#lib/logger.js';
import { isSystemDuty } from '#lib/profiles/system-duties.js';
import type { DutyDefinition, DutyId } from '#lib/profiles/types.js';
import { change } from './changes.js';
import { type DutyResult, type DutyRun, eachUnit, pages } from './duty-units.js';
import { openContractorCheck } from './contractors.js';
import { type VerifyOutcome, expireEvidence, verifyUpload } from './evidence.js';
import { openInspection } from './inspections.js';
import { audienceIn, rollOf } from './registers.js';
import { AlreadyClaimed, type Change, type Claim, type Deps, type OutboundEvent, type Precheck } from './ports.js';
import { type RetryPolicy, retrying } from './retry.js';
import { scopeOwners } from './scope-owners.js';
import { anchorTrails } from './trail-anchor.js';
import { type NewTask, createTaskChange, dutyActor, taskCreated } from './task-changes.js';

/**
 * The work of each periodic duty (DOMAIN.md "Periodic duties"). The jobs runner
 * computes the period, keeps the run record and publishes the events; this module
 * does the work. Each unit (a drafting task; a 点検 and its task; a contractor check
 * and its task; an overdue marking and its tasks; a reminder) is one transaction with
 * a claim keyed (duty, period, subject) that must not exist yet: a duplicate,
 * concurrent or resumed run finds the claim and counts the unit as already done.
 *
 * Outbox: each claim stores the events of its unit, in the same transaction. A run
 * that resumes a period an earlier delivery left unfinished (`resumed`) publishes the
 * events of the units it finds already done again: the earlier delivery may have died
 * before publishing them. Delivery is therefore at least once; consumers dedupe on the
 * ids in `detail` (`taskId` of a TaskCreated; `actionId` and `overdueSince` of an
 * ActionOverdue).
 */

export type DutyWork = (deps: Deps, run: DutyRun) => Promise<DutyResult>;

/** The work of a duty of the regulation: its definition comes from the profile (assignee, checklist). */
type RegulationDutyWork = (deps: Deps, run: DutyRun<DutyDefinition>) => Promise<DutyResult>;

/** A regulation duty's work, for the table: a system duty's definition is never handed to it. */
const ofRegulation =
  (work: RegulationDutyWork): DutyWork =>
  (deps, run) => {
    const definition = run.definition;
    if (isSystemDuty(definition)) throw new Error(`${run.duty} is a system duty: it has no regulation's definition`);
    return work(deps, { ...run, definition });
  };

/** What one unit writes and announces, and the versions of what it read that must not have moved. */
interface Unit {
  changes: Change[];
  events: OutboundEvent[];
  checks?: Precheck[];
}

/** The 1st of May: a month to draft the year's plan before it goes to approval (第26条第2項: あらかじめ). */
const planDraftingDays = 29;
/** Reminders before an action's due date (days). */
export const reminderDays = [30, 7, 1] as const;
/** A unit found already done: with a resumed run, its stored events are published again. */
function alreadyDone(run: DutyRun, result: DutyResult, stored: readonly OutboundEvent[]): void {
  result.alreadyDone += 1;
  if (!run.resumed) return;
  result.events.push(...stored);
  result.republished = (result.republished ?? 0) + stored.length;
}

/**
 * A unit the listing already shows done (no commit is tried): with a resumed run, its
 * claim is read (one GetItem) for the events it stored. A normal run reads nothing.
 */
async function knownDone(deps: Deps, run: DutyRun, subject: string, result: DutyResult): Promise<void> {
  const claim = run.resumed ? await deps.claims.get(run.duty, run.period, subject) : undefined;
  alreadyDone(run, result, claim?.events ?? []);
}

/**
 * Commit one unit with its claim, the claim carrying the unit's events (its outbox).
 * A claim that exists means it was done before: `alreadyDone` (the cancelled
 * transaction hands back the events stored on it, see {@link alreadyDone}). A
 * transaction that kept colliding with a concurrent one is tried again (the claim
 * then decides). `build` runs again for each attempt, so a unit whose entity was read
 * stale may re-read it (`retryStale`), and a unit whose prechecks failed (what it read
 * moved meanwhile) reads it again and decides anew.
 */
async function commitUnit(
  deps: Deps,
  run: DutyRun,
  claim: Claim,
  build: () => Promise<Unit | undefined>,
  retryStale: (() => Promise<boolean>) | undefined,
  result: DutyResult,
): Promise<void> {
  await retrying(
    deps.clock,
    commitRetry,
    async (err) =>
      (err instanceof Conflict && (err.code === 'concurrent-update' || err.code === 'related-changed')) ||
      (err instanceof StaleVersion && !!retryStale && (await retryStale())),
    async () => {
      const unit = await build();
      if (!unit) {
        result.skipped += 1;
        return;
      }
      try {
        await deps.writer.commit(unit.changes, unit.checks ?? [], [{ ...claim, events: unit.events }]);
        // A unit that only claims (nothing was owed: a 課 where everyone attended) needed nothing.
        if (unit.changes.length > 0) result.created += 1;
        else result.skipped += 1;
        result.events.push(...unit.events);
      } catch (err) {
        if (!(err instanceof AlreadyClaimed)) throw err;
        alreadyDone(run, result, err.events);
      }
    },
  );
}

/** A unit's commit: 4 tries, 20 ms more each time (and up to 50 ms at random) after a concurrent transaction. */
const commitRetry: RetryPolicy = { attempts: 4, stepMs: 20, jitterMs: 50 };

const empty = (): DutyResult => ({ created: 0, alreadyDone: 0, skipped: 0, events: [], republished: 0 });

/** Run a duty's work into a fresh result. */
async function collect(work: (result: DutyResult) => Promise<void>): Promise<DutyResult> {
  const result = empty();
  await work(result);
  return result;
}

const claimOf = (run: DutyRun, subject: string): Claim => ({ duty: run.duty, period: run.period, subject });

/** 第26条: on 1 April, a task for the 監査責任者 to draft the year's 監査計画, unless one exists. */
const annualPlan: RegulationDutyWork = async (deps, run) => {
  const result = empty();
  const fiscalYear = fiscalYearOfDate(run.today);
  const existing = await deps.plans.list({ fiscalYear, limit: 1 });
  if (existing.items.length > 0) {
    result.skipped += 1;
    return result;
  }
  const usualDue = addDays(fiscalYearRange(fiscalYear).from, planDraftingDays);
  const fields: NewTask = {
    kind: 'draftPlan',
    title: `${warekiFiscalYear(fiscalYear)}（${fiscalYear}年度）監査計画の作成`,
    duty: run.duty,
    period: run.period,
    source: run.definition.source,
    assignee: assigneeFor(run.definition.assignee, undefined),
    subject: { type: 'fiscalYear', id: String(fiscalYear) },
    dueDate: run.today > usualDue ? addDays(run.today, planDraftingDays) : usualDue,
  };
  await commitUnit(
    deps,
    run,
    claimOf(run, `FY${fiscalYear}`),
    async () => {
      const { task, change: c } = createTaskChange(deps, dutyActor(run.duty), deps.clock.now().toISOString(), fields);
      return { changes: [c], events: [taskCreated(task)] };
    },
    undefined,
    result,
  );
  return result;
};

/**
 * The 課 the duty inspects: every 課, or where the profile has a table of 事務 (003 別表)
 * those of its 事務取扱責任者. A row whose 課 is missing while others match is a warning;
 * a table that names no 課 of the organisation fails the run ({@link NoSectionInspected}),
 * since the 点検 the regulation asks for would otherwise silently not happen.
 */
function sectionsToInspect(deps: Deps): { department: string; affairs?: CoveredAffair[] }[] {
  const rows = deps.profile.inspections?.affairs;
  if (rows === undefined) return allSections(deps.organisation).map((d) => ({ department: d.code }));
  const { sections, unmatched } = inspectedSections(deps.organisation, rows);
  if (sections.length === 0) throw new NoSectionInspected(deps.organisation, rows);
  for (const message of unmatched) logger.warn('section-inspection: a row of the table of 事務 decides no 課', { message });
  return sections;
}

/**
 * The 点検 (`provisions.inspection`) of each 課 for the period, with the profile's checklist,
 * its 保護管理者's task and, on a joint 点検 (003 第30条), the task of the role conducting it with the 課.
 */
const sectionInspection: RegulationDutyWork = (deps, run) =>
  collect(async (result) => {
    for (const section of sectionsToInspect(deps)) {
      await commitUnit(
        deps,
        run,
        claimOf(run, section.department),
        async () => {
          const opened = openInspection(deps, dutyActor(run.duty), deps.clock.now().toISOString(), {
            definition: run.definition,
            period: run.period,
            ...section,
          });
          const tasks = opened.chiefTask === undefined ? [opened.task] : [opened.task, opened.chiefTask];
          return { changes: opened.changes, events: tasks.map(taskCreated) };
        },
        undefined,
        result,
      );
    }
  });

/** 第22条第4項: a check of every contractor under contract in the 年度, and the contracting 課's task. */
const contractorCheck: RegulationDutyWork = (deps, run) =>
  collect(async (result) => {
    const fiscalYear = fiscalYearOfDate(run.today);
    const { from, to } = fiscalYearRange(fiscalYear);
    for await (const contractors of pages((p) => deps.contractors.list(p))) {
      await eachUnit(contractors, async (contractor) => {
        if (!contractOverlaps(contractor, from, to)) {
          result.skipped += 1;
          return;
        }
        await commitUnit(
          deps,
          run,
          claimOf(run, contractor.contractorId),
          async () => {
            const opened = openContractorCheck(deps, dutyActor(run.duty), deps.clock.now().toISOString(), {
              definition: run.definition,
              period: run.period,
              fiscalYear,
              contractor,
            });
            return { changes: opened.changes, events: [taskCreated(opened.task)] };
          },
          undefined,
          result,
        );
      });
    }
  });

/** The auditor who raised the finding: the assistant auditor of its scope, else the 監査責任者. */
function auditorRole(deps: Deps, action: FollowUpAction): Role {
  return scopeOwners(deps.profile).find((o) => o.scope === action.finding.scope)?.role ?? 'auditLead';
}

/** The 課's 保護管理者: who owns an action's follow-up. */
const actionOwner = (a: FollowUpAction): TaskAssignee => assigneeFor('sectionManager', a.department);

/**
 * The tasks of an overdue marking: one for the action's owner, and a notice for the
 * finding's auditor (who verifies it) and one for the duty's assignee, each unless it
 * is the owner or already notified. The owner's task is made first.
 */
function overdueTasks(deps: Deps, run: DutyRun<DutyDefinition>, a: FollowUpAction, now: string) {
  const actor = dutyActor(run.duty);
  const common = {
    duty: run.duty,
    period: run.period,
    source: run.definition.source,
    subject: { type: 'action' as const, id: a.actionId },
    dueDate: run.today,
  };
  const forOwner = createTaskChange(deps, actor, now, {
    ...common,
    kind: 'actionOverdue',
    title: `改善措置の期限（${a.dueDate}）を過ぎています: ${a.description}`,
    assignee: actionOwner(a),
  });
  const notice = (assignee: TaskAssignee) =>
    createTaskChange(deps, actor, now, {
      ...common,
      kind: 'actionOverdue',
      title: `期限超過の改善措置（${departmentName(deps.organisation, a.department)}、${a.finding.articleLabel}、期限 ${a.dueDate}）: ${a.description}`,
      assignee,
    });
  const ownerKey = JSON.stringify(actionOwner(a));
  const others = [assigneeFor(auditorRole(deps, a), undefined), assigneeFor(run.definition.assignee, a.department)].filter(
    (x, i, all) => JSON.stringify(x) !== ownerKey && all.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i,
  );
  return [forOwner, ...others.map(notice)];
}

/**
 * The unit marking an action overdue: the action (`overdueSince`, its new open tasks)
 * with {@link overdueTasks}, announced as one ActionOverdue and a TaskCreated per task.
 * None when the action is no longer owed past its due date or was marked already.
 */
function overdueMarking(deps: Deps, run: DutyRun<DutyDefinition>, a: FollowUpAction): Unit | undefined {
  if (a.overdueSince !== undefined || !(a.dueDate < run.today) || !pendingStatuses.includes(a.status)) return undefined;
  const actor = dutyActor(run.duty);
  const now = deps.clock.now().toISOString();
  const created = overdueTasks(deps, run, a, now);
  const taskIds = created.map((c) => c.task.taskId);
  const marked: FollowUpAction = {
    ...a,
    overdueSince: run.today,
    openTaskIds: [...(a.openTaskIds ?? []), ...taskIds],
    version: a.version + 1,
    updatedAt: now,
  };
  return {
    changes: [change(deps, actor, now, 'action', a.actionId, 'action.markedOverdue', a, marked), ...created.map((c) => c.change)],
    events: [
      {
        type: 'ActionOverdue',
        detail: {
          actionId: a.actionId,
          planId: a.planId,
          findingId: a.findingId,
          department: a.department,
          description: a.description,
          dueDate: a.dueDate,
          overdueSince: run.today,
          taskIds,
        },
      },
      ...created.map((c) => taskCreated(c.task)),
    ],
  };
}

/**
 * The unit reminding the owner of an action due in `days` days: a reminder task, which
 * closes the action's reminders still open (one open reminder per action: 30 → 7 → 1
 * days), in the same transaction, each with its audit event. None when the action is
 * no longer owed on that date.
 */
async function actionReminder(deps: Deps, run: DutyRun<DutyDefinition>, a: FollowUpAction, days: number): Promise<Unit | undefined> {
  if (a.dueDate !== addDays(run.today, days) || !pendingStatuses.includes(a.status)) return undefined;
  const actor = dutyActor(run.duty);
  const now = deps.clock.now().toISOString();
  const reminder = createTaskChange(deps, actor, now, {
    kind: 'actionReminder',
    title: `改善措置の期限（${a.dueDate}）まであと${days}日です: ${a.description}`,
    duty: run.duty,
    period: run.period,
    source: run.definition.source,
    assignee: actionOwner(a),
    subject: { type: 'action', id: a.actionId },
    dueDate: a.dueDate,
  });
  // The earlier reminders' ids are on the action: one consistent BatchGetItem, none when it has no open tasks.
  const open = a.openTaskIds?.length ? await deps.tasks.getMany(a.openTaskIds) : [];
  const replaced = open.filter((t) => t.kind === 'actionReminder' && t.status === 'open');
  const gone = new Set(replaced.map((t) => t.taskId));
  const closing = replaced.map((t) =>
    change(
      deps,
      actor,
      now,
      'task',
      t.taskId,
      'task.closed',
      t,
      closeTask(t, actor.sub, now),
      `期限まであと${days}日のリマインダーに置き換えました。`,
    ),
  );
  const reminded: FollowUpAction = {
    ...a,
    remindedOn: run.today,
    openTaskIds: [...(a.openTaskIds ?? []).filter((id) => !gone.has(id)), reminder.task.taskId],
    version: a.version + 1,
    updatedAt: now,
  };
  return {
    changes: [change(deps, actor, now, 'action', a.actionId, 'action.reminded', a, reminded), reminder.change, ...closing],
    events: [taskCreated(reminder.task)],
  };
}

/**
 * Commit a unit built from an action as the owed-actions index showed it (`seen`).
 * When the index copy was behind the action (a stale version), the action is read
 * once, consistently, and the unit built again from it.
 */
async function commitActionUnit(
  deps: Deps,
  run: DutyRun,
  subject: string,
  seen: FollowUpAction,
  build: (a: FollowUpAction) => Unit | undefined | Promise<Unit | undefined>,
  result: DutyResult,
): Promise<void> {
  let current: FollowUpAction | undefined = seen;
  await commitUnit(
    deps,
    run,
    claimOf(run, subject),
    async () => (current ? build(current) : undefined),
    async () => {
      current = await deps.actions.get(seen.actionId);
      return current !== undefined;
    },
    result,
  );
}

/**
 * 第28条, daily: (a) each action the 課 still owes past its due date is marked overdue
 * once, in one transaction, with a task for the 課's 保護管理者 (who owns it), a notice
 * for the finding's auditor (who verifies it) and a task for the profile's assignee of
 * the duty ({@link overdueMarking}); (b) actions due in exactly 30, 7 and 1 days get a
 * reminder task, which closes the action's earlier reminder still open (one open
 * reminder per action, {@link actionReminder}).
 *
 * The assignee: DOMAIN.md says only "notifies owners", but 第28条 (002: 第10の3, 003:
 * 第30条, 004: 第44条) makes the 総括保護管理者等 evaluate the results of 監査 and 点検 and
 * take 見直し等の措置, and every profile names `chiefManager` for this duty. The
 * regulation wins: an overdue follow-up also reaches the 総括保護管理者.
 *
 * Reads: one Query per page of owed actions due before today (gsi3) and one per
 * reminder day; no per-action read, but for a reminder of an action with open tasks
 * (one BatchGetItem of them, to close the earlier reminder). Actions already marked or
 * reminded are skipped from the query result, so a repeated run costs only its
 * queries (a resumed run also reads their claims, for the events they stored).
 */
const overdueActions: RegulationDutyWork = (deps, run) =>
  collect(async (result) => {
    for await (const owed of pages((p) => deps.actions.list({ overdueBefore: run.today, ...p }))) {
      await eachUnit(owed, async (a) => {
        if (a.overdueSince === run.today) await knownDone(deps, run, a.actionId, result);
        else if (a.overdueSince !== undefined) result.skipped += 1;
        else await commitActionUnit(deps, run, a.actionId, a, (current) => overdueMarking(deps, run, current), result);
      });
    }

    for (const days of reminderDays) {
      const due = addDays(run.today, days);
      for await (const owed of pages((p) => deps.actions.listOwedDueOn(due, p))) {
        await eachUnit(owed, async (a) => {
          const subject = `${a.actionId}#reminder-${days}`;
          if (a.remindedOn === run.today) await knownDone(deps, run, subject, result);
          else await commitActionUnit(deps, run, subject, a, (current) => actionReminder(deps, run, current, days), result);
        });
      }
    }
  });

/** What a 事案's task and event call it: its 課, the day it was learned of, and the start of its summary. */
function incidentLabel(deps: Deps, i: Incident): string {
  const summary = i.summary.length > 60 ? `${i.summary.slice(0, 60)}…` : i.summary;
  return `${departmentName(deps.organisation, i.department)}の事案（${learnedOn(i.discoveredAt)}発覚）: ${summary}`;
}

/**
 * The unit of one alert ({@link deadlineAlerts}): a reminder, the day before, for each role
 * the chain has file the report (a 課's role for the 事案's own 課); or, once the deadline
 * passed, a task for the chief announced as kansa.IncidentDeadlinePassed. Each task is due
 * on the deadline it is about, so the report that settles the deadline closes it
 * (`settledDeadlineTaskChanges` of lib/app/incidents.ts). None when the 事案, read again, no longer owes it; the
 * commit holds only while the 事案 is at the version read (a report or close landing
 * meanwhile fails it, and the unit reads the 事案 again).
 */
function incidentAlertUnit(deps: Deps, run: DutyRun<DutyDefinition>, i: Incident | undefined, alert: DeadlineAlert): Unit | undefined {
  if (!i || !deadlineAlerts(i, run.today).some((a) => a.kind === alert.kind && a.stage === alert.stage && a.deadline === alert.deadline))
    return undefined;
  const actor = dutyActor(run.duty);
  const now = deps.clock.now().toISOString();
  const checks: Precheck[] = [{ entityType: 'incident', entityId: i.incidentId, version: i.version }];
  const common = {
    kind: alert.kind,
    duty: run.duty,
    period: run.period,
    source: run.definition.source,
    subject: { type: 'incident' as const, id: i.incidentId },
    dueDate: alert.deadline,
  };
  if (alert.kind === 'incidentDeadlineReminder') {
    const created = deps.profile.incidents.steps.ppcReport.roles.map((role) =>
      createTaskChange(deps, actor, now, {
        ...common,
        title: `${deadlineTitleHead(alert.stage, alert.deadline)}は明日です: ${incidentLabel(deps, i)}`,
        assignee: assigneeFor(role, i.department),
      }),
    );
    return { changes: created.map((c) => c.change), events: created.map((c) => taskCreated(c.task)), checks };
  }
  const escalation = createTaskChange(deps, actor, now, {
    ...common,
    title: `${deadlineTitleHead(alert.stage, alert.deadline)}を過ぎています: ${incidentLabel(deps, i)}`,
    assignee: assigneeFor('chiefManager', undefined),
  });
  return {
    changes: [escalation.change],
    checks,
    events: [
      {
        type: 'IncidentDeadlinePassed',
        detail: {
          incidentId: i.incidentId,
          department: i.department,
          stage: alert.stage,
          deadline: alert.deadline,
          passedOn: run.today,
          source: run.definition.source,
          taskIds: [escalation.task.taskId],
          duty: run.duty,
          period: run.period,
        },
      },
      taskCreated(escalation.task),
    ],
  };
}

/**
 * The provision of the report to the PPC (001 第24条, 002 第9の3, 003 第29条第7号, 004
 * 第40条), daily: for each 事案 not closed and each of its deadlines still open (a 速報 not
 * filed nor replaced by a 確報; a 確報 not filed), a reminder the day before the deadline and
 * an escalation to the chief on the first run after it ({@link incidentAlertUnit}).
 *
 * Once per (事案, stage, kind, deadline), whatever the number of runs or days: the claim's
 * period is the deadline, not the run's day, so a later day finds it (one consistent
 * GetItem, no transaction tried). A corrected deadline is a new one and is reminded of
 * again. A resumed run republishes only what a delivery of its own day committed (the
 * events carry the run's `period`).
 *
 * Reads: one Query per page of the open 事案 (a sparse index), and for each alert owed its
 * claim and the 事案 again (consistently: the index may lag a report just filed).
 */
const incidentDeadlines: RegulationDutyWork = (deps, run) =>
  collect(async (result) => {
    for await (const open of pages((p) => deps.incidents.listOpen(p))) {
      await eachUnit(open, async (seen) => {
        const alerts = deadlineAlerts(seen, run.today);
        if (alerts.length === 0) result.skipped += 1;
        for (const alert of alerts) {
          const claim: Claim = { duty: run.duty, period: alert.deadline, subject: alertSubject(seen.incidentId, alert) };
          const earlier = await deps.claims.get(claim.duty, claim.period, claim.subject);
          if (earlier) {
            alreadyDone(
              run,
              result,
              (earlier.events ?? []).filter((e) => e.detail.period === run.period),
            );
            continue;
          }
          await commitUnit(
            deps,
            run,
            claim,
            async () => incidentAlertUnit(deps, run, await deps.incidents.get(seen.incidentId), alert),
            undefined,
            result,
          );
        }
      });
    }
  });

/**
 * The unit of one ended session and one 課: the 課's audience as of the session's last day and
 * who of it had not attended by then; when anyone had not, one task for the 課's 保護管理者 naming
 * them (`people`, and the first few in its title), announced as kansa.TaskCreated. When everyone
 * had, the unit is only its claim. The commit holds only while the 課's roll is at the version
 * read (attendance recorded meanwhile fails it, and the unit reads again).
 */
async function followUpUnit(deps: Deps, run: DutyRun<DutyDefinition>, t: Training, department: string): Promise<Unit> {
  const [audience, roll] = await Promise.all([audienceIn(deps, t, department), rollOf(deps, t.trainingId, department)]);
  const checks: Precheck[] = roll ? [{ entityType: 'attendance', entityId: roll.rollId, version: roll.version }] : [];
  const people = nonAttendees(audience, roll, t.timing.to).map(({ staffId, name }) => ({ staffId, name }));
  if (people.length === 0) return { changes: [], events: [], checks };
  const created = createTaskChange(deps, dutyActor(run.duty), deps.clock.now().toISOString(), {
    kind: 'trainingFollowUp',
    title: followUpTitle(deps.profile, t, people),
    duty: run.duty,
    period: run.period,
    source: run.definition.source,
    assignee: assigneeFor(run.definition.assignee, department),
    subject: { type: 'training', id: t.trainingId },
    people,
    dueDate: followUpDue(run.today),
  });
  return { changes: [created.change], events: [taskCreated(created.task)], checks };
}

/**
 * 再受講 (`provisions.trainingFollowUp`: 001 第11条第5項, 002 第3の4, 004 第8条第4項; 003 practice),
 * daily: for each session of this 年度 and the one before whose 実施時期 has ended, and each 課 of the
 * organisation, {@link followUpUnit}. A session planned after it ended is picked up by the next run.
 *
 * Once per (session, 課), whatever the day it runs: the claim's period is the session, its subject
 * the 課, so a later day finds it. A 課 where everyone attended is claimed too (no task), so a later
 * change of its register or roll never raises a late task. A resumed run republishes only what a
 * delivery of its own day committed (the events carry the run's `period`).
 *
 * Reads: one Query per page of each 年度's sessions; for each ended session one Query per page of
 * its claims; for each 課 not claimed yet its register (one Query per page) and its roll (GetItem).
 */
const trainingFollowUp: RegulationDutyWork = (deps, run) =>
  collect(async (result) => {
    const sections = allSections(deps.organisation).map((d) => d.code);
    for (const fiscalYear of followUpFiscalYears(run.today)) {
      for await (const sessions of pages((p) => deps.trainings.list({ fiscalYear, ...p }))) {
        for (const t of sessions) {
          if (!hasEnded(t, run.today)) {
            result.skipped += 1;
            continue;
          }
          const claimed = new Map<string, Claim>();
          for await (const earlier of pages((p) => deps.claims.list(run.duty, t.trainingId, p)))
            for (const c of earlier) claimed.set(c.subject, c);
          await eachUnit(sections, async (department) => {
            const earlier = claimed.get(department);
            if (earlier) {
              alreadyDone(
                run,
                result,
                (earlier.events ?? []).filter((e) => e.detail.period === run.period),
              );
              return;
            }
            await commitUnit(
              deps,
              run,
              { duty: run.duty, period: t.trainingId, subject: department },
              () => followUpUnit(deps, run, t, department),
              undefined,
              result,
            );
          });
        }
      }
    }
  });

/** How long evidence may stay `pending` before `evidence-pending` looks at it (verification normally takes seconds). */
export const pendingEvidenceAfterMs = 60 * 60 * 1000;

/**
 * Hours from the oldest evidence still `pending` (registered before `instant`) to
 * `instant`, to one decimal; 0 when none is. One Query of one item on the sparse
 * EVIDENCE#PENDING index, oldest first (no Scan).
 */
async function oldestPendingAgeHours(deps: Deps, instant: string): Promise<number> {
  const { items } = await deps.evidence.listPendingBefore(instant, { limit: 1 });
  const oldest = items[0];
  if (!oldest) return 0;
  return Math.round((Date.parse(instant) - Date.parse(oldest.createdAt)) / 360_000) / 10;
}

/**
 * System duty (運用), daily: evidence still `pending` an hour after it was registered
 * lost its S3 notification (the verifier failed past its retries; the event is in the
 * verifier's on-failure queue) or never got a file. Each is one unit, claimed in the
 * same transaction as its work:
 *
 * - the upload is still under `incoming/`: it is verified now, as the notification
 *   would have (the same {@link verifyUpload}, the claim in its commit): `verified` or
 *   `rejected`, never left pending;
 * - it is there but the malware scanner has not reported on it yet (`MALWARE_SCAN=guardduty`,
 *   no result tag): it stays `pending`, counted as skipped; the upload expires from
 *   `incoming/` after 3 days (the bucket's lifecycle), and a later run then finds it missing;
 * - it is not: the evidence becomes `expired` and its uploader gets a task to upload
 *   again ({@link expireEvidence}), announced as kansa.TaskCreated.
 *
 * Reads: one Query per page of the sparse EVIDENCE#PENDING index (registered before the
 * run's instant less an hour, oldest first; no Scan), then per unit a GetItem and a
 * listing of the upload's own key (then its GetObject, or one more GetItem to expire it).
 * Done units leave that index, so a resumed run finds the events of the units an earlier
 * delivery committed on the period's claims (one Query per page).
 */
const evidencePending: DutyWork = (deps, run) =>
  collect(async (result) => {
    const actor = dutyActor(run.duty);
    const before = new Date(Date.parse(run.instant) - pendingEvidenceAfterMs).toISOString();
    result.metrics = { OldestPendingEvidenceAgeHours: await oldestPendingAgeHours(deps, run.instant) };
    const done = new Set<string>();
    if (run.resumed) {
      const claims = deps.claims;
      for await (const earlier of pages((p) => claims.list(run.duty, run.period, p))) {
        for (const c of earlier) {
          done.add(c.subject);
          alreadyDone(run, result, c.events ?? []);
        }
      }
    }
    for await (const pending of pages((p) => deps.evidence.listPendingBefore(before, p))) {
      await eachUnit(pending, async (seen) => {
        if (done.has(seen.evidenceId)) return;
        const claim = claimOf(run, seen.evidenceId);
        let outcome: VerifyOutcome;
        try {
          outcome = await verifyUpload(deps, seen.objectKey, {}, { ...claim, events: [] });
        } catch (err) {
          if (!(err instanceof AlreadyClaimed)) throw err;
          alreadyDone(run, result, err.events);
          return;
        }
        if (outcome === 'verified' || outcome === 'rejected') {
          result.created += 1;
          return;
        }
        // Not scanned yet (malware scanning on): it stays pending for a later run; an upload
        // never scanned is never verified, and once it expires from incoming/ it is `missing`.
        if (outcome === 'ignored' || outcome === 'scanPending') {
          result.skipped += 1;
          return;
        }
        await commitUnit(
          deps,
          run,
          claim,
          async () => {
            // Read again: the notification's late retry may have verified it meanwhile.
            const current = await deps.evidence.get(seen.evidenceId);
            if (!current || current.status !== 'pending') return undefined;
            const expired = expireEvidence(deps, actor, deps.clock.now().toISOString(), current, {
              duty: run.duty,
              period: run.period,
              source: run.definition.source,
              today: run.today,
            });
            return { changes: expired.changes, events: [taskCreated(expired.task)] };
          },
          async () => true,
          result,
        );
      });
    }
  });

/**
 * The work of each duty, called by the jobs runner with the run's period and logical
 * time: the regulation's duties, then the system duties (lib/profiles/system-duties.ts).
 */
export const dutyWork: Record<DutyId, DutyWork> = {
  'annual-plan': ofRegulation(annualPlan),
  'section-inspection': ofRegulation(sectionInspection),
  'contractor-check': ofRegulation(contractorCheck),
  'overdue-actions': ofRegulation(overdueActions),
  'incident-deadlines': ofRegulation(incidentDeadlines),
  'training-followup': ofRegulation(trainingFollowUp),
  'evidence-pending': evidencePending,
  'audit-anchor': anchorTrails,
};
