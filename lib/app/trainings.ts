import { fiscalYearOf, jstDate } from '#lib/domain/calendar.js';
import { type AttendanceChange, planAttendanceImport, readAttendanceCsv } from '#lib/domain/attendance-import.js';
import { type CsvEncoding, type RowError, decodeCsv } from '#lib/domain/csv.js';
import { Conflict, InvalidInput } from '#lib/domain/errors.js';
import { allSections, assertSection, sectionsOf } from '#lib/domain/organisation.js';
import { holdsSectionRole } from '#lib/domain/permissions.js';
import { applies, cite } from '#lib/domain/provisions.js';
import type { Actor } from '#lib/domain/roles.js';
import { type StaffOnDate, asOf } from '#lib/domain/staff.js';
import type { Task } from '#lib/domain/task.js';
import {
  type AttendanceInput,
  type AttendanceRoll,
  type Audience,
  type Completion,
  type CreateTrainingInput,
  type Training,
  type UpdateTrainingInput,
  audienceLabel,
  audienceOf,
  audienceProvision,
  audiences,
  completionOf,
  followUpSettled,
  newTraining,
  nonAttendees,
  recordAttendance,
  updateTraining,
} from '#lib/domain/training.js';
import { allowedIn, authorizeIn } from './authorize.js';
import { type Precondition, change, commitAsked } from './changes.js';
import { allPages } from './duty-units.js';
import type { Deps, Page, PageRequest } from './ports.js';
import { audienceIn, registerRows, rollOf } from './registers.js';
import { type RetryPolicy, retrying } from './retry.js';
import { importReason } from './staff.js';
import { closeTaskChanges } from './task-changes.js';
import { loadFor, loadVisible, notFoundOf, ofRegister } from './visibility.js';

/**
 * 教育研修 use cases (001 第11条; 002 第3; 003 第21条・第22条; 004 第8条): the 総括保護管理者 plans
 * the 年度's sessions (001 第11条第6項, 様式第3号), each 課's 保護管理者 records who of its audience
 * attended, and anyone reads the plan with the completion of the 課 they may see. Recording the
 * attendance of everyone a `trainingFollowUp` task names (001 第11条第5項 再受講) closes the task in
 * the same transaction.
 */

/** A session as read: the plan's entry and the completion of each 課 the caller may see (as of today). */
export type TrainingWithCompletion = Training & { completion: Completion[] };

/** An audience the regulation does not provide training for is a 400 saying which it does. */
function assertAudiencesProvided(deps: Pick<Deps, 'profile'>, asked: readonly Audience[]): void {
  const p = deps.profile.provisions;
  const offered = audiences.filter((a) => applies(p, audienceProvision[a]));
  const errors = asked
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => !offered.includes(a))
    .map(({ a, i }) => ({
      path: `audience.${i}`,
      message: `${audienceLabel(deps.profile, a)}を対象とする研修はこの規程に定めがありません。`,
    }));
  if (errors.length === 0) return;
  const provided = offered.map((a) => `${audienceLabel(deps.profile, a)}${cite(p, audienceProvision[a])}`).join('、');
  throw new InvalidInput(`この規程が定める研修の対象者は、${provided || 'ありません'}です。`, errors);
}

/** A session of the 年度's plan (the chief). */
export async function createTraining(deps: Deps, actor: Actor, input: CreateTrainingInput): Promise<Training> {
  authorizeIn(deps, actor, 'training:create');
  assertAudiencesProvided(deps, input.audience);
  const now = deps.clock.now().toISOString();
  const training = newTraining(input, { trainingId: deps.ids.next() }, { sub: actor.sub, at: now });
  await commitAsked(deps, undefined, [change(deps, actor, now, 'training', training.trainingId, 'training.planned', null, training)]);
  return training;
}

/** Edit a session (the chief, If-Match); its 年度 stays. */
export async function updateTrainingPlan(
  deps: Deps,
  actor: Actor,
  trainingId: string,
  input: UpdateTrainingInput,
  pre: Precondition,
): Promise<Training> {
  const before = await loadFor(deps, actor, 'training', trainingId, 'training:update', pre);
  if (input.audience !== undefined) assertAudiencesProvided(deps, input.audience);
  const now = deps.clock.now().toISOString();
  const after = updateTraining(before, input, now);
  await commitAsked(deps, { entityType: 'training', entityId: trainingId, ifMatch: pre.ifMatch }, [
    change(deps, actor, now, 'training', trainingId, 'training.updated', before, after),
  ]);
  return after;
}

/** The 課 whose attendance the caller reads: every 課 for the chief, deputy and auditors of training; their own; their 部's. */
function visibleSections(deps: Pick<Deps, 'organisation' | 'profile'>, actor: Actor): string[] {
  if (!allowedIn(deps, actor, 'attendance:read')) return [];
  return allSections(deps.organisation)
    .map((d) => d.code)
    .filter((code) => allowedIn(deps, actor, 'attendance:read', ofRegister(deps, 'training', code)));
}

/** Each session with the completion of each of `sections`: every 課's register read once, each session's rolls once. */
async function withCompletion(deps: Deps, sessions: readonly Training[], sections: readonly string[]): Promise<TrainingWithCompletion[]> {
  if (sections.length === 0) return sessions.map((t) => ({ ...t, completion: [] }));
  const today = jstDate(deps.clock.now());
  const registers = new Map(await Promise.all(sections.map(async (d) => [d, await registerRows(deps, d)] as const)));
  return Promise.all(
    sessions.map(async (t) => {
      const rolls = new Map(
        (await allPages((page) => deps.attendance.ofTraining(t.trainingId, page))).map((r) => [r.department, r] as const),
      );
      const completion = sections.map((d) => {
        const { people, periods } = registers.get(d) ?? { people: [], periods: [] };
        return completionOf(t, d, audienceOf(t, asOf(people, periods, t.timing.to)), rolls.get(d), today);
      });
      return { ...t, completion };
    }),
  );
}

/** The 年度's plan (default: the current 年度 in Japan), by first day; any user reads it. */
export async function listTrainings(
  deps: Deps,
  actor: Actor,
  query: { fiscalYear?: number | undefined } & PageRequest,
): Promise<Page<TrainingWithCompletion>> {
  authorizeIn(deps, actor, 'training:list');
  const fiscalYear = query.fiscalYear ?? fiscalYearOf(deps.clock.now());
  const page = await deps.trainings.list({ fiscalYear, limit: query.limit, cursor: query.cursor });
  return { ...page, items: await withCompletion(deps, page.items, visibleSections(deps, actor)) };
}

export async function getTraining(deps: Deps, actor: Actor, trainingId: string): Promise<TrainingWithCompletion> {
  const training = await loadVisible(deps, actor, 'training', trainingId);
  const [one] = await withCompletion(deps, [training], visibleSections(deps, actor));
  return one as TrainingWithCompletion;
}

/** The 課's open follow-up tasks of the session that `roll` settles (everyone they name has attended). */
async function settledFollowUps(deps: Deps, trainingId: string, department: string, roll: AttendanceRoll): Promise<Task[]> {
  const open = await deps.tasks.openOfSubject('training', trainingId);
  return open.filter(
    (t) =>
      t.kind === 'trainingFollowUp' &&
      'role' in t.assignee &&
      t.assignee.department === department &&
      followUpSettled(t.people ?? [], roll),
  );
}

/**
 * The session whose attendance in `department` the caller records: a 課 of the organisation (else
 * 400); one whose attendance the caller may not read is a 404 (as for reading it), not a 403 saying
 * who records it; then the permission to record it.
 */
async function sessionToRecord(deps: Deps, actor: Actor, trainingId: string, department: string): Promise<Training> {
  const training = await loadVisible(deps, actor, 'training', trainingId);
  assertSection(deps.organisation, department);
  if (!allowedIn(deps, actor, 'attendance:read', ofRegister(deps, 'training', department))) throw notFoundOf('attendance');
  authorizeIn(deps, actor, 'attendance:record', ofRegister(deps, 'training', department));
  return training;
}

/**
 * Record who of a 課's audience attended (the 課's 保護管理者, or the chief): the roll of the session
 * and 課 is created or updated in one transaction with its audit event, and with the closing of the
 * 課's follow-up task once everyone it names has attended. Recording what the roll already says
 * writes nothing (a repeated request is harmless).
 */
export async function recordTrainingAttendance(
  deps: Deps,
  actor: Actor,
  trainingId: string,
  input: AttendanceInput,
): Promise<AttendanceRoll> {
  const training = await sessionToRecord(deps, actor, trainingId, input.department);
  // What is asked is a change of the roll (ticks added, ticks taken back): one that lost a race with
  // another phone reads the roll again and applies it there, so neither phone's ticks are lost.
  return retrying(deps.clock, rollRetry, lostRace, () => recordOnce(deps, actor, training, input));
}

/** A commit of a roll that another commit changed (or created) since it was read. */
const lostRace = (err: unknown) => err instanceof Conflict && (err.code === 'concurrent-update' || err.code === 'duplicate');

/** A recording that lost a race on its roll: 5 tries, 20 ms more each time (and up to 50 ms at random). */
const rollRetry: RetryPolicy = { attempts: 5, stepMs: 20, jitterMs: 50 };

async function recordOnce(deps: Deps, actor: Actor, training: Training, input: AttendanceInput): Promise<AttendanceRoll> {
  const trainingId = training.trainingId;
  const instant = deps.clock.now();
  const now = instant.toISOString();
  const audience = await audienceIn(deps, training, input.department);
  const before = await rollOf(deps, trainingId, input.department);
  const after = recordAttendance(before, training, input, new Set(audience.map((s) => s.staffId)), {
    sub: actor.sub,
    at: now,
    today: jstDate(instant),
  });
  return commitRoll(deps, actor, now, before, after);
}

/**
 * Commit a 課's roll of a session as recorded (`after`, from `before`): with its audit event and
 * the closing of the 課's follow-up tasks it settles, in one transaction; nothing when the roll
 * is unchanged and settles none. The one way attendance is written (ticks and CSV alike).
 */
async function commitRoll(
  deps: Deps,
  actor: Actor,
  now: string,
  before: AttendanceRoll | null,
  after: AttendanceRoll,
  reason?: string,
): Promise<AttendanceRoll> {
  const changed = before === null || JSON.stringify(before.attended) !== JSON.stringify(after.attended);
  const current = changed ? after : before;
  const closed = closeTaskChanges(deps, actor, now, await settledFollowUps(deps, after.trainingId, after.department, current));
  if (!changed && closed.length === 0) return before;
  await commitAsked(
    deps,
    undefined,
    [...(changed ? [change(deps, actor, now, 'attendance', after.rollId, 'attendance.recorded', before, after, reason)] : []), ...closed],
    // Tasks closed on a roll as read: a change of it meanwhile fails the commit (409).
    changed ? [] : [{ entityType: 'attendance', entityId: before.rollId, version: before.version }],
  );
  return current;
}

/** What an import of an e-learning system's CSV would record, row by row. */
export interface AttendanceImportPreview {
  encoding: CsvEncoding;
  /** Data rows read (the header not counted). */
  rows: number;
  changes: AttendanceChange[];
  errors: RowError[];
}

/**
 * Import a 課's attendance of a session from an e-learning system's CSV (the 課's 保護管理者, or
 * the chief): rows matched on 職員番号 to the session's audience in the 課 are recorded on its roll
 * as ticks are (a later day after the session records a 再受講), rows not completed are skipped.
 * `dryRun` answers what each row would do and writes nothing; applying with any bad row writes
 * nothing and answers every row's error; otherwise the roll, its audit event (reason CSV取込) and
 * the closing of the follow-up tasks it settles land in one transaction. Importing again what the
 * roll already says writes nothing.
 */
export async function importTrainingAttendance(
  deps: Deps,
  actor: Actor,
  trainingId: string,
  query: { department: string; dryRun: boolean },
  csv: Uint8Array,
): Promise<AttendanceImportPreview | AttendanceRoll> {
  const training = await sessionToRecord(deps, actor, trainingId, query.department);
  const { text, encoding } = decodeCsv(csv);
  const read = readAttendanceCsv(text);
  // An import that lost a race on the roll (a tick, or another import, meanwhile) plans again on
  // the roll as it now is, as a tick does: neither's attendance is lost, and neither is a 409.
  return retrying(deps.clock, rollRetry, lostRace, () => importOnce(deps, actor, training, query, encoding, read));
}

async function importOnce(
  deps: Deps,
  actor: Actor,
  training: Training,
  query: { department: string; dryRun: boolean },
  encoding: CsvEncoding,
  read: ReturnType<typeof readAttendanceCsv>,
): Promise<AttendanceImportPreview | AttendanceRoll> {
  const trainingId = training.trainingId;
  const instant = deps.clock.now();
  const now = instant.toISOString();
  const [{ people, periods }, before] = await Promise.all([
    registerRows(deps, query.department),
    rollOf(deps, trainingId, query.department),
  ]);
  const plan = planAttendanceImport(read, {
    training,
    department: query.department,
    register: people,
    audience: audienceOf(training, asOf(people, periods, training.timing.to)),
    before,
    by: { sub: actor.sub, at: now, today: jstDate(instant) },
  });
  const errors = [...read.errors, ...plan.errors].sort((a, b) => a.row - b.row);
  if (query.dryRun) return { encoding, rows: read.count, changes: plan.changes, errors };
  if (errors.length > 0)
    throw new InvalidInput(
      `取り込めない行が${new Set(errors.map((e) => e.row)).size}行あるため、何も記録していません。各行の誤りを直してから取り込んでください。`,
      errors,
      'import-rows-invalid',
    );
  if (plan.roll === null)
    throw new InvalidInput('CSV に受講を記録する行がありません（修了・完了・受講済の行がありません）。', [
      { path: '', message: '受講を記録する行がありません。' },
    ]);
  return commitRoll(deps, actor, now, before, plan.roll, importReason);
}

/**
 * The 課's audience who had not attended by today (default: the caller's own 課); another 課's
 * attendance the caller may not read is a 404, as an id they may not see.
 */
export async function listNonAttendees(
  deps: Deps,
  actor: Actor,
  trainingId: string,
  query: { department?: string | undefined },
): Promise<{ items: StaffOnDate[] }> {
  const training = await loadVisible(deps, actor, 'training', trainingId);
  const department = query.department ?? ownSection(deps, actor);
  assertSection(deps.organisation, department);
  if (!allowedIn(deps, actor, 'attendance:read', ofRegister(deps, 'training', department))) throw notFoundOf('attendance');
  const [audience, roll] = await Promise.all([audienceIn(deps, training, department), rollOf(deps, trainingId, department)]);
  return { items: nonAttendees(audience, roll, jstDate(deps.clock.now())) };
}

/** The caller's own 課, for a query without one; whoever holds no 課 names one (400 listing those of their 部). */
function ownSection(deps: Pick<Deps, 'organisation'>, actor: Actor): string {
  if (holdsSectionRole(actor)) return actor.department;
  const sections = sectionsOf(deps.organisation, actor.department);
  const which = sections.length > 0 ? `（${sections.map((d) => `${d.code}: ${d.name}`).join('、')}）` : '';
  throw new InvalidInput(`department を指定してください${which}。`, [{ path: 'department', message: '課コードを指定してください。' }]);
}
