import { type ActionStatus, pendingStatuses } from '#lib/domain/action.js';
import type { EntityOf, EntityType } from '#lib/domain/audit.js';
import { jstDate } from '#lib/domain/calendar.js';
import type { TaskAssignee } from '#lib/domain/task.js';
import type { IndexAttribute, IndexName } from './table-design.js';

/**
 * Every key of the single table is built here and nowhere else.
 *
 * | item        | pk            | sk           | gsi1                                | gsi2                                   | gsi3                         |
 * |-------------|---------------|--------------|-------------------------------------|----------------------------------------|------------------------------|--------------------------|
 * | plan        | PLAN#<id>     | PLAN         | PLANS#FY<fy> / <id>                 | PLANS#FY<fy>#<status> / <id>           |                              |                          |
 * | finding     | FINDING#<id>  | FINDING      | FINDINGS#<planId> / <scope>#<id>    | FINDINGS#<planId>#<dept> / <scope>#<id>|                              |                          |
 * | action      | ACTION#<id>   | ACTION       | ACTIONS#DEPT#<dept> / <phase>#<due>#<id> | ACTIONS#STATUS#<status> / <dept>#<due>#<id> | ACTIONS / <phase>#<due>#<id> |
 * | plan child  | PLAN#<planId> | CHILD#FINDING#<id> or CHILD#ACTION#<id>: a copy of each finding and action, written with it |
 * | evidence    | EVIDENCE#<id> | EVIDENCE     | EVIDENCE#<targetType>#<targetId> / <id> | EVIDENCE#PENDING / <createdAt>#<id> (only while pending) |    |                          |
 * | disposal    | DISPOSAL#<id> | DISPOSAL     | DISPOSALS#FY<fy> / <id>             | DISPOSALS#FY<fy>#<dept> / <id>         |                              |                          |
 * | note        | ACTION#<id>   | NOTE#<version, 10 digits> | an action's 経過, put with the change that made it |
 * | audit event | <entity pk>   | EVENT#V<version, 10 digits>#<ulid> (EVENT#<ulid> before keys carried the version) | TRAIL#<jst date> / <entityType>#<entityId>#<eventId> (the day's changed chains, for the anchor duty) |        |                              |                          |
 * | duty run    | RUN#<duty>#<period> | RUN    |                                     |                                        |                              |                          |
 * | duty claim  | CLAIM#<duty>#<period> | <subject> | one unit of duty work, put with it (exactly once) |                |                              |                          |
 * | idempotency | IDEMPOTENCY#<sha256(sub, key)> | IDEMPOTENCY | an Idempotency-Key, put with its create; removed by TTL (`expiresAt`) |   |                              |                          |
 * | task        | TASK#<id>     | TASK         | TASKS#FOR#<role>[#<dept>] or TASKS#USER#<sub> (one person's) / <status>#<due>#<id> | TASKS#DEPT#<dept> / <status>#<due>#<id> (assigned within a 課) | TASKS#SUBJECT#<type>#<id> / <status>#<id> |
 * | inspection  | INSPECTION#<id> | INSPECTION | INSPECTIONS#P#<period> / <status>#<dept>#<id> | INSPECTIONS#D#<dept> / <status>#<period>#<id> | INSPECTIONS#D#<dept>#P#<period> / <status>#<id> |
 * | contractor  | CONTRACTOR#<id> | CONTRACTOR | CONTRACTORS / <id>                | CONTRACTORS#DEPT#<dept> / <id>         |                              |                          |
 * | contractor check | CCHECK#<id> | CCHECK    | CCHECKS#FY<fy> / <dept>#<id>        | CCHECKS#DEPT#<dept> / FY<fy>#<id>      |                              |                          |
 * | incident    | INCIDENT#<id> | INCIDENT   | INCIDENTS#FY<fy> / <status>#<dept>#<id> | INCIDENTS#DEPT#<dept> / FY<fy>#<status>#<id> | INCIDENTS#BY#<createdBy> / FY<fy>#<status>#<id> | gsi4: INCIDENTS#OPEN / <discoveredAt>#<id> (only while not closed) |
 * | staff       | STAFF#<id>    | STAFF        | STAFF#DEPT#<dept> / <id>#~           |                                        |                              |                          |
 * | staff period| STAFF#<id>    | PERIOD#<validFrom> | STAFF#DEPT#<dept> / <id>#P#<validFrom>: what held before a change from a later date, put with it |  |          |
 * | training    | TRAINING#<id> | TRAINING     | TRAININGS#FY<fy> / <timing.from>#<id> |                                       |                              |                          |
 * | attendance  | ATTENDANCE#<trainingId>-<dept> | ATTENDANCE | ROLLS#<trainingId> / <dept>   | ROLLS#DEPT#<dept> / FY<fy>#<trainingId> |                              |                          |
 *
 * Plan children live in the plan's own partition so the report and close gates read
 * them with a strongly consistent Query (indexes are only eventually consistent).
 * `phase` is OPEN while the 課 owes work (open, inProgress, reopened) and DONE after,
 * so "overdue" is a key range: OPEN# … OPEN#<yesterday>. ULIDs sort by time.
 * Evidence is in the sparse EVIDENCE#PENDING partition of gsi2 only while `pending`
 * (every write puts the whole item), so "pending since before T" is a key range too.
 * A 課's register (its people and their periods) is one partition of gsi1, each person's
 * periods sorting just before the person (`#P#…` < `#~`), so "the register on a date" is one Query.
 */
export interface Key {
  pk: string;
  sk: string;
}

const entityPrefix: Record<EntityType, string> = {
  plan: 'PLAN',
  finding: 'FINDING',
  action: 'ACTION',
  evidence: 'EVIDENCE',
  disposal: 'DISPOSAL',
  task: 'TASK',
  inspection: 'INSPECTION',
  contractor: 'CONTRACTOR',
  contractorCheck: 'CCHECK',
  incident: 'INCIDENT',
  staff: 'STAFF',
  training: 'TRAINING',
  attendance: 'ATTENDANCE',
};
const tasksFor = (a: TaskAssignee) =>
  'user' in a ? `TASKS#USER#${a.user}` : `TASKS#FOR#${a.role}${a.department === undefined ? '' : `#${a.department}`}`;
const tasksOfDept = (department: string) => `TASKS#DEPT#${department}`;
const tasksOfSubject = (type: string, id: string) => `TASKS#SUBJECT#${type}#${id}`;
const inspectionsOfPeriod = (period: string) => `INSPECTIONS#P#${period}`;
const inspectionsOfDept = (department: string) => `INSPECTIONS#D#${department}`;
const inspectionsOfDeptPeriod = (department: string, period: string) => `INSPECTIONS#D#${department}#P#${period}`;
const allContractors = 'CONTRACTORS';
const contractorsOfDept = (department: string) => `CONTRACTORS#DEPT#${department}`;
const checksOfYear = (fiscalYear: number) => `CCHECKS#FY${fiscalYear}`;
const checksOfDept = (department: string) => `CCHECKS#DEPT#${department}`;
const incidentsOfYear = (fiscalYear: number) => `INCIDENTS#FY${fiscalYear}`;
const incidentsOfDept = (department: string) => `INCIDENTS#DEPT#${department}`;
const incidentsBy = (sub: string) => `INCIDENTS#BY#${sub}`;
const openIncidents = 'INCIDENTS#OPEN';
const registerOf = (department: string) => `STAFF#DEPT#${department}`;
const trainingsOfYear = (fiscalYear: number) => `TRAININGS#FY${fiscalYear}`;
const rollsOfTraining = (trainingId: string) => `ROLLS#${trainingId}`;
const rollsOfDept = (department: string) => `ROLLS#DEPT#${department}`;
const evidenceOfTarget = (type: string, id: string) => `EVIDENCE#${type}#${id}`;
const pendingEvidence = 'EVIDENCE#PENDING';
const claimsOfPeriod = (duty: string, period: string) => `CLAIM#${duty}#${period}`;
const disposalsOfYear = (fiscalYear: number) => `DISPOSALS#FY${fiscalYear}`;
const disposalsOfYearDept = (fiscalYear: number, department: string) => `DISPOSALS#FY${fiscalYear}#${department}`;
const plansOfYear = (fiscalYear: number) => `PLANS#FY${fiscalYear}`;
const plansOfYearInStatus = (fiscalYear: number, status: string) => `${plansOfYear(fiscalYear)}#${status}`;
const findingsOfPlan = (planId: string) => `FINDINGS#${planId}`;
const findingsOfPlanDept = (planId: string, department: string) => `FINDINGS#${planId}#${department}`;
const actionsOfDept = (department: string) => `ACTIONS#DEPT#${department}`;
const actionsInStatus = (status: string) => `ACTIONS#STATUS#${status}`;
const allActions = 'ACTIONS';
const planChildPrefix = (kind: 'finding' | 'action') => `CHILD#${kind.toUpperCase()}#`;
const trailOfDay = (date: string) => `TRAIL#${date}`;
const childPrefix = { note: 'NOTE#', period: 'PERIOD#' } as const;

/** The index attributes of an item: any of the table's index keys (lib/store/table-design.ts). */
export type IndexKeys = { [A in IndexAttribute]?: string };

/**
 * The index attributes of each entity type's item (the table above), one entry per type:
 * the writer puts them on every entity it writes, and `lists` below queries them. Each
 * entry takes only the fields its keys are made of.
 */
export const indexesOf = {
  plan: (p: { planId: string; fiscalYear: number; status: string }) => ({
    gsi1pk: plansOfYear(p.fiscalYear),
    gsi1sk: p.planId,
    gsi2pk: plansOfYearInStatus(p.fiscalYear, p.status),
    gsi2sk: p.planId,
  }),
  finding: (f: { findingId: string; planId: string; department: string; scope: string }) => ({
    gsi1pk: findingsOfPlan(f.planId),
    gsi1sk: `${f.scope}#${f.findingId}`,
    gsi2pk: findingsOfPlanDept(f.planId, f.department),
    gsi2sk: `${f.scope}#${f.findingId}`,
  }),
  action: (a: { actionId: string; department: string; status: ActionStatus; dueDate: string }) => {
    const phase = pendingStatuses.includes(a.status) ? 'OPEN' : 'DONE';
    return {
      gsi1pk: actionsOfDept(a.department),
      gsi1sk: `${phase}#${a.dueDate}#${a.actionId}`,
      gsi2pk: actionsInStatus(a.status),
      gsi2sk: `${a.department}#${a.dueDate}#${a.actionId}`,
      gsi3pk: allActions,
      gsi3sk: `${phase}#${a.dueDate}#${a.actionId}`,
    };
  },
  evidence: (e: { evidenceId: string; target: { type: string; id: string }; status: string; createdAt: string }) => ({
    gsi1pk: evidenceOfTarget(e.target.type, e.target.id),
    gsi1sk: e.evidenceId,
    ...(e.status === 'pending' ? { gsi2pk: pendingEvidence, gsi2sk: `${e.createdAt}#${e.evidenceId}` } : {}),
  }),
  disposal: (d: { disposalId: string; fiscalYear: number; department: string }) => ({
    gsi1pk: disposalsOfYear(d.fiscalYear),
    gsi1sk: d.disposalId,
    gsi2pk: disposalsOfYearDept(d.fiscalYear, d.department),
    gsi2sk: d.disposalId,
  }),
  task: (t: { taskId: string; status: string; dueDate: string; assignee: TaskAssignee; subject: { type: string; id: string } }) => ({
    gsi1pk: tasksFor(t.assignee),
    gsi1sk: keys.taskSort(t),
    ...(t.assignee.department === undefined ? {} : { gsi2pk: tasksOfDept(t.assignee.department), gsi2sk: keys.taskSort(t) }),
    gsi3pk: tasksOfSubject(t.subject.type, t.subject.id),
    gsi3sk: `${t.status}#${t.taskId}`,
  }),
  inspection: (i: { inspectionId: string; department: string; period: string; status: string }) => ({
    gsi1pk: inspectionsOfPeriod(i.period),
    gsi1sk: `${i.status}#${i.department}#${i.inspectionId}`,
    gsi2pk: inspectionsOfDept(i.department),
    gsi2sk: `${i.status}#${i.period}#${i.inspectionId}`,
    gsi3pk: inspectionsOfDeptPeriod(i.department, i.period),
    gsi3sk: `${i.status}#${i.inspectionId}`,
  }),
  contractor: (c: { contractorId: string; department: string }) => ({
    gsi1pk: allContractors,
    gsi1sk: c.contractorId,
    gsi2pk: contractorsOfDept(c.department),
    gsi2sk: c.contractorId,
  }),
  contractorCheck: (c: { checkId: string; department: string; fiscalYear: number }) => ({
    gsi1pk: checksOfYear(c.fiscalYear),
    gsi1sk: `${c.department}#${c.checkId}`,
    gsi2pk: checksOfDept(c.department),
    gsi2sk: `FY${c.fiscalYear}#${c.checkId}`,
  }),
  incident: (i: {
    incidentId: string;
    department: string;
    fiscalYear: number;
    status: string;
    createdBy: string;
    discoveredAt: string;
  }) => ({
    gsi1pk: incidentsOfYear(i.fiscalYear),
    gsi1sk: `${i.status}#${i.department}#${i.incidentId}`,
    gsi2pk: incidentsOfDept(i.department),
    gsi2sk: `FY${i.fiscalYear}#${i.status}#${i.incidentId}`,
    gsi3pk: incidentsBy(i.createdBy),
    gsi3sk: `FY${i.fiscalYear}#${i.status}#${i.incidentId}`,
    // Sparse: in the open partition only while not closed, so the daily duty reads exactly those.
    ...(i.status === 'closed' ? {} : { gsi4pk: openIncidents, gsi4sk: `${i.discoveredAt}#${i.incidentId}` }),
  }),
  staff: (s: { staffId: string; department: string }) => ({ gsi1pk: registerOf(s.department), gsi1sk: `${s.staffId}#~` }),
  training: (t: { trainingId: string; fiscalYear: number; timing: { from: string } }) => ({
    gsi1pk: trainingsOfYear(t.fiscalYear),
    gsi1sk: `${t.timing.from}#${t.trainingId}`,
  }),
  attendance: (r: { trainingId: string; department: string; fiscalYear: number }) => ({
    gsi1pk: rollsOfTraining(r.trainingId),
    gsi1sk: r.department,
    gsi2pk: rollsOfDept(r.department),
    gsi2sk: `FY${r.fiscalYear}#${r.trainingId}`,
  }),
} satisfies { [T in EntityType]: (entity: EntityOf<T>) => IndexKeys };

export const keys = {
  entity(entityType: EntityType, id: string): Key {
    return { pk: keys.entityPartition(entityType, id), sk: entityPrefix[entityType] };
  },
  plan(planId: string): Key {
    return keys.entity('plan', planId);
  },
  /** The index attributes an entity's item carries, by its type ({@link indexesOf}). */
  entityIndexes<T extends EntityType>(entityType: T, entity: EntityOf<T>): IndexKeys {
    const of: { [K in EntityType]: (entity: EntityOf<K>) => IndexKeys } = indexesOf;
    return of[entityType](entity);
  },
  /** A task's sort key in each of its indexes: open tasks first, by due date. */
  taskSort(t: { taskId: string; status: string; dueDate: string }): string {
    return `${t.status}#${t.dueDate}#${t.taskId}`;
  },
  /** An item appended beside an entity (an action's note, a person's period): `NOTE#<id>` in the entity's partition. */
  child(entityType: EntityType, entityId: string, kind: keyof typeof childPrefix, id: string): Key {
    return { pk: keys.entityPartition(entityType, entityId), sk: `${childPrefix[kind]}${id}` };
  },
  /** The index attributes of a person's period (lib/domain/staff.ts): in the 課's register, just before the person. */
  staffPeriodIndexes(p: { staffId: string; department: string; validFrom: string }): IndexKeys {
    return { gsi1pk: registerOf(p.department), gsi1sk: `${p.staffId}#P#${p.validFrom}` };
  },
  /** The record of an Idempotency-Key (lib/app/idempotency.ts): `scope` is a hash of the caller and the key. */
  idempotency(scope: string): Key {
    return { pk: `IDEMPOTENCY#${scope}`, sk: 'IDEMPOTENCY' };
  },
  /** The claim of one unit of a duty's work for a period (lib/app/duty-work.ts). */
  claim(duty: string, period: string, subject: string): Key {
    return { pk: claimsOfPeriod(duty, period), sk: subject };
  },
  /** The copy of a finding or action kept in its plan's partition. */
  planChild(planId: string, kind: 'finding' | 'action', id: string): Key {
    return { pk: keys.entityPartition('plan', planId), sk: `${planChildPrefix(kind)}${id}` };
  },
  /** The partition holding an entity and its audit trail. */
  entityPartition(entityType: EntityType, entityId: string): string {
    return `${entityPrefix[entityType]}#${entityId}`;
  },
  /**
   * An audit event's key: `EVENT#V<version, 10 digits>#<eventId>`, so a Query of the
   * partition returns the trail in version order whatever the writing instances' clocks
   * say (the ULID only orders the accesses that keep one version, such as downloads).
   */
  auditEvent(entityType: EntityType, entityId: string, event: { eventId: string; version: number }): Key {
    return {
      pk: keys.entityPartition(entityType, entityId),
      sk: `${keys.auditEventPrefix}V${String(event.version).padStart(10, '0')}#${event.eventId}`,
    };
  },
  /**
   * Whether `sk` is where this event belongs: its key, or `EVENT#<eventId>` of events
   * written before keys carried the version (those sort before every versioned key: a
   * ULID starts with 0–7, `V` after).
   */
  holdsAuditEvent(sk: unknown, entityType: EntityType, entityId: string, event: { eventId: string; version: number }): boolean {
    return sk === keys.auditEvent(entityType, entityId, event).sk || sk === `${keys.auditEventPrefix}${event.eventId}`;
  },
  auditEventPrefix: 'EVENT#',
  /**
   * The index entry of an audit event: every event of one Japan day (of `at`) under
   * `TRAIL#<date>`, so the anchor duty finds the chains that changed that day with a
   * Query, never a Scan.
   */
  auditEventIndexes(e: { entityType: EntityType; entityId: string; eventId: string; at: string }) {
    return { gsi1pk: trailOfDay(jstDate(new Date(e.at))), gsi1sk: `${e.entityType}#${e.entityId}#${e.eventId}` };
  },
  /** The run record of a periodic duty for one period (lib/jobs/runner.ts): `RUN#<duty>#<period>`. */
  dutyRun(duty: string, period: string): Key {
    return { pk: `RUN#${duty}#${period}`, sk: 'RUN' };
  },
} as const;

/** A list query: which index (or the table), which partition, and which sort-key range. */
export interface ListQuery {
  index?: IndexName;
  partition: string;
  skPrefix?: string;
  /** Inclusive sort-key range (used for "overdue": due dates before today). */
  skBetween?: [string, string];
  /** A filter on `dueDate` < this date, where the key cannot express it. */
  dueBefore?: string;
}

/** The last sort key of OPEN actions due before `today` (YYYY-MM-DD): `~` sorts after every id character. */
const dueBefore = (prefix: string, today: string): [string, string] => [prefix, `${prefix}${today}`];

export const lists = {
  plansByFiscalYear(fiscalYear: number, status?: string): ListQuery {
    return status
      ? { index: 'gsi2', partition: plansOfYearInStatus(fiscalYear, status) }
      : { index: 'gsi1', partition: plansOfYear(fiscalYear) };
  },
  findings(planId: string, filter: { scope?: string | undefined; department?: string | undefined }): ListQuery {
    const scope = filter.scope ? `${filter.scope}#` : undefined;
    return filter.department
      ? { index: 'gsi2', partition: findingsOfPlanDept(planId, filter.department), ...(scope ? { skPrefix: scope } : {}) }
      : { index: 'gsi1', partition: findingsOfPlan(planId), ...(scope ? { skPrefix: scope } : {}) };
  },
  /**
   * Follow-up actions by 課, status and overdue-ness, each from an index.
   * `overdueBefore` is today's date in Japan: due strictly before it and still owed.
   */
  actions(filter: { department?: string | undefined; status?: string | undefined; overdueBefore?: string | undefined }): ListQuery {
    const { department, status, overdueBefore } = filter;
    if (status) {
      const partition = actionsInStatus(status);
      if (department && overdueBefore) return { index: 'gsi2', partition, skBetween: dueBefore(`${department}#`, overdueBefore) };
      // By status across every 課 the key is not ordered by due date: filter on it.
      if (overdueBefore) return { index: 'gsi2', partition, dueBefore: overdueBefore };
      return { index: 'gsi2', partition, ...(department ? { skPrefix: `${department}#` } : {}) };
    }
    if (department) {
      return overdueBefore
        ? { index: 'gsi1', partition: actionsOfDept(department), skBetween: dueBefore('OPEN#', overdueBefore) }
        : { index: 'gsi1', partition: actionsOfDept(department) };
    }
    return overdueBefore
      ? { index: 'gsi3', partition: allActions, skBetween: dueBefore('OPEN#', overdueBefore) }
      : { index: 'gsi3', partition: allActions };
  },
  evidenceOfTarget(type: string, id: string): ListQuery {
    return { index: 'gsi1', partition: evidenceOfTarget(type, id) };
  },
  /** Evidence still pending that was registered before `createdBefore` (an ISO instant): a key range, oldest first. */
  pendingEvidenceBefore(createdBefore: string): ListQuery {
    // Sort keys are `<createdAt>#<id>`: every one registered at `createdBefore` or later sorts after it.
    return { index: 'gsi2', partition: pendingEvidence, skBetween: ['0', createdBefore] };
  },
  /** The claims of one duty period (lib/app/duty-work.ts), from the table. */
  claimsOf(duty: string, period: string): ListQuery {
    return { partition: claimsOfPeriod(duty, period) };
  },
  disposals(fiscalYear: number, department?: string): ListQuery {
    return department
      ? { index: 'gsi2', partition: disposalsOfYearDept(fiscalYear, department) }
      : { index: 'gsi1', partition: disposalsOfYear(fiscalYear) };
  },
  /** Owed actions due on exactly `date` (reminders): one key prefix of gsi3. */
  actionsOwedDueOn(date: string): ListQuery {
    return { index: 'gsi3', partition: allActions, skPrefix: `OPEN#${date}#` };
  },
  /** Tasks of one assignee in a status, after the sort key `after` (exclusive) when given. */
  tasksForAssignee(assignee: TaskAssignee, status: string, after?: string): ListQuery {
    // Sort keys have a fixed-length id at the end, so none has `after` as a strict prefix: `after + ' '` excludes it.
    return after === undefined
      ? { index: 'gsi1', partition: tasksFor(assignee), skPrefix: `${status}#` }
      : { index: 'gsi1', partition: tasksFor(assignee), skBetween: [`${after} `, `${status}#~`] };
  },
  tasksOfDepartment(department: string, status: string): ListQuery {
    return { index: 'gsi2', partition: tasksOfDept(department), skPrefix: `${status}#` };
  },
  openTasksOfSubject(type: string, id: string): ListQuery {
    return { index: 'gsi3', partition: tasksOfSubject(type, id), skPrefix: 'open#' };
  },
  /** 点検 by 課 and/or period, optionally by status: each combination a key prefix of one index. */
  inspections(filter: { department?: string | undefined; period?: string | undefined; status?: string | undefined }): ListQuery {
    const { department, period, status } = filter;
    const byStatus = status ? { skPrefix: `${status}#` } : {};
    if (department !== undefined && period !== undefined)
      return { index: 'gsi3', partition: inspectionsOfDeptPeriod(department, period), ...byStatus };
    if (department !== undefined) return { index: 'gsi2', partition: inspectionsOfDept(department), ...byStatus };
    return { index: 'gsi1', partition: inspectionsOfPeriod(period ?? ''), ...byStatus };
  },
  contractors(department?: string): ListQuery {
    return department ? { index: 'gsi2', partition: contractorsOfDept(department) } : { index: 'gsi1', partition: allContractors };
  },
  contractorChecks(fiscalYear: number, department?: string): ListQuery {
    return department
      ? { index: 'gsi2', partition: checksOfDept(department), skPrefix: `FY${fiscalYear}#` }
      : { index: 'gsi1', partition: checksOfYear(fiscalYear) };
  },
  /**
   * 事案 of a 年度 (all 課, or one 課; optionally in a status), or those one person reported:
   * each combination a key prefix of one index.
   */
  incidents(filter: { fiscalYear: number; department?: string | undefined; status?: string | undefined }): ListQuery {
    const { fiscalYear, department, status } = filter;
    if (department !== undefined)
      return {
        index: 'gsi2',
        partition: incidentsOfDept(department),
        skPrefix: `FY${fiscalYear}#${status === undefined ? '' : `${status}#`}`,
      };
    return { index: 'gsi1', partition: incidentsOfYear(fiscalYear), ...(status === undefined ? {} : { skPrefix: `${status}#` }) };
  },
  incidentsReportedBy(sub: string, filter: { fiscalYear: number; status?: string | undefined }): ListQuery {
    return {
      index: 'gsi3',
      partition: incidentsBy(sub),
      skPrefix: `FY${filter.fiscalYear}#${filter.status === undefined ? '' : `${filter.status}#`}`,
    };
  },
  /** Every 事案 not closed, of any 年度, oldest discovery first (the sparse gsi4). */
  openIncidents(): ListQuery {
    return { index: 'gsi4', partition: openIncidents };
  },
  /** A 課's register: its people and their periods, each person's periods just before them. */
  register(department: string): ListQuery {
    return { index: 'gsi1', partition: registerOf(department) };
  },
  /** A 年度's training sessions, by first day of 実施時期. */
  trainings(fiscalYear: number): ListQuery {
    return { index: 'gsi1', partition: trainingsOfYear(fiscalYear) };
  },
  /** The attendance rolls of one session, by 課. */
  rollsOfTraining(trainingId: string): ListQuery {
    return { index: 'gsi1', partition: rollsOfTraining(trainingId) };
  },
  /** The attendance rolls of one 課 in a 年度, by session. */
  rollsOfDepartment(department: string, fiscalYear: number): ListQuery {
    return { index: 'gsi2', partition: rollsOfDept(department), skPrefix: `FY${fiscalYear}#` };
  },
  /** A plan's findings or actions, or both (actions first), from its own partition (read consistently). */
  planChildren(planId: string, kind?: 'finding' | 'action'): ListQuery {
    return { partition: keys.entityPartition('plan', planId), skPrefix: kind ? planChildPrefix(kind) : 'CHILD#' };
  },
  /** The items appended beside an entity, oldest first (notes). */
  children(entityType: EntityType, entityId: string, kind: 'note'): ListQuery {
    return { partition: keys.entityPartition(entityType, entityId), skPrefix: childPrefix[kind] };
  },
  auditTrail(entityType: EntityType, entityId: string): ListQuery {
    return { partition: keys.entityPartition(entityType, entityId), skPrefix: keys.auditEventPrefix };
  },
  /**
   * An entity's item and its audit trail: the sort-key range from the item (`PLAN`,
   * `ACTION`, …) to the far end of its events (`EVENT#…`), so one Query returns both.
   * The item's key sorts before the events (`ACTION`, `CCHECK`, …) or after them (`PLAN`,
   * `FINDING`, …): `entityLast` says which, and a reader that wants the item on its first
   * page reads the range backwards then. Items of other kinds may lie in the range (a
   * person's `PERIOD#…`); the notes and a plan's children do not.
   */
  entityAndTrail(entityType: EntityType, entityId: string): ListQuery & { skBetween: [string, string]; entityLast: boolean } {
    const entity = entityPrefix[entityType];
    // `~` sorts after every character of an event key (`V`, digits, the ULID's, `#`).
    const events: [string, string] = [keys.auditEventPrefix, `${keys.auditEventPrefix}~`];
    const entityLast = entity > events[1];
    return {
      partition: keys.entityPartition(entityType, entityId),
      skBetween: entityLast ? [events[0], entity] : [entity, events[1]],
      entityLast,
    };
  },
  /** Every audit event written on one Japan day (`YYYY-MM-DD`), by entity (gsi1). */
  trailOfDay(date: string): ListQuery {
    return { index: 'gsi1', partition: trailOfDay(date) };
  },
};
