import { fiscalYearRange } from './calendar.js';
import { Conflict, type FieldError, InvalidInput } from './errors.js';
import { requiredText, ulidSchema } from './fields.js';
import { departmentCodeSchema, fiscalYearSchema, isoDateSchema } from './plan.js';
import type { ProvisionId } from './provisions.js';
import type { Role } from './roles.js';
import { type StaffOnDate, anyHandlerTerm } from './staff.js';
import * as z from './zod.js';

/**
 * 教育研修 (001 第11条; 002 第3; 003 第21条第3項第6号・第22条第2項第3号; 004 第8条): the 総括保護管理者
 * plans the 年度's sessions (001 第11条第6項: 研修計画, 様式第3号), each for an audience the regulation
 * names (all 職員 including 派遣, 事務取扱担当者, system administrators, 保護管理者 and 保護担当者),
 * computed from each 課's register (lib/domain/staff.ts) as of the session's last day. Each 課's
 * 保護管理者 records who attended (an {@link AttendanceRoll} per session and 課, bounded by the 課's
 * audience) and, after the session, gives those who missed it another chance (001 第11条第5項 再受講):
 * the `training-followup` duty hands them a task naming them, closed when they have all attended.
 */

export const audiences = ['allStaff', 'handlers', 'systemAdmins', 'managers'] as const;
export type Audience = (typeof audiences)[number];

/**
 * How a session's 対象者 is written (様式第3号, messages, the app), in the regulation's words: its
 * term for the designated staff and its titles of the 課's roles.
 */
export function audienceLabel(w: { roleTitles: Partial<Record<Role, string>>; staff: { handlerTerm?: string } }, a: Audience): string {
  switch (a) {
    case 'allStaff':
      // Not 「全職員」: 001 第11条第1項 and 004 第8条第1項 define 職員 as those who handle personal information, 派遣 included.
      return '職員（派遣労働者を含む）';
    case 'handlers':
      return w.staff.handlerTerm ?? anyHandlerTerm;
    case 'systemAdmins':
      return '情報システムの管理に関する事務に従事する職員';
    case 'managers':
      return (
        [w.roleTitles.sectionManager, w.roleTitles.sectionStaff].filter((t) => t !== undefined).join('及び') || '保護管理者及び保護担当者'
      );
  }
}

/** The rule each audience comes from (the profile's `training.audiences` maps them to its provisions). */
export const audienceProvision: Record<Audience, ProvisionId> = {
  allStaff: 'training',
  handlers: 'handlerTraining',
  systemAdmins: 'systemAdminTraining',
  managers: 'managerTraining',
};

export const trainingMethods = ['classroom', 'elearning', 'video', 'document'] as const;
export type TrainingMethod = (typeof trainingMethods)[number];
export const trainingMethodLabels: Record<TrainingMethod, string> = {
  classroom: '集合研修',
  elearning: 'eラーニング',
  video: '動画視聴',
  document: '資料配布',
};

export interface Training {
  trainingId: string;
  fiscalYear: number;
  /** 研修名 */
  name: string;
  /** 実施時期: first and last day (both inclusive). */
  timing: { from: string; to: string };
  /** 対象者 */
  audience: Audience[];
  /** 実施方法 */
  method: TrainingMethod;
  /** 備考 */
  note: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  trailHash?: string;
}

/** At most this many people on one 課's roll of one session: the roll's item stays far below DynamoDB's 400 KB. */
export const maxRoll = 1000;

/** Who of one 課 attended one session, and when; recorded by the 課's 保護管理者 (or the chief). */
export interface AttendanceRoll {
  /** `<trainingId>-<department>`: one roll per session and 課 ({@link rollIdOf}). */
  rollId: string;
  trainingId: string;
  department: string;
  fiscalYear: number;
  attended: Attendee[];
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  trailHash?: string;
}

export interface Attendee {
  staffId: string;
  attendedOn: string;
  recordedBy: string;
}

/** The id of the roll of a session and 課. */
export function rollIdOf(trainingId: string, department: string): string {
  return `${trainingId}-${department}`;
}

const timingSchema = z
  .strictObject({ from: isoDateSchema, to: isoDateSchema })
  .check(z.refine((t) => t.from <= t.to, { error: '実施時期の終了日は開始日以降の日付で指定してください。', path: ['to'] }));

const audienceSchema = z.array(z.enum(audiences, { error: '対象者は allStaff、handlers、systemAdmins、managers のいずれかです。' })).check(
  z.minLength(1, { error: '対象者を1つ以上指定してください。' }),
  z.maxLength(audiences.length),
  z.refine((a) => new Set(a).size === a.length, { error: '同じ対象者が2回指定されています。' }),
);

const methodSchema = z.enum(trainingMethods, { error: '実施方法は classroom、elearning、video、document のいずれかです。' });
const noteSchema = z
  .string({ error: '備考は文字列で指定してください。' })
  .check(z.trim(), z.maxLength(1000, { error: '備考は1000文字以内で入力してください。' }));

/** POST /trainings: a session of the 年度's plan (様式第3号). */
export const createTrainingSchema = z
  .strictObject({
    fiscalYear: fiscalYearSchema,
    name: requiredText('研修名', 200),
    timing: timingSchema,
    audience: audienceSchema,
    method: methodSchema,
    note: z._default(noteSchema, ''),
  })
  .check(
    z.superRefine((v, ctx) => {
      const fy = fiscalYearRange(v.fiscalYear);
      if (v.timing.from < fy.from || v.timing.from > fy.to)
        ctx.addIssue({
          code: 'custom',
          message: `実施時期は${v.fiscalYear}年度（${fy.from}〜${fy.to}）の中で始まる日付で指定してください。`,
          path: ['timing', 'from'],
        });
    }),
  );
export type CreateTrainingInput = z.infer<typeof createTrainingSchema>;

/** PATCH /trainings/{trainingId}: the chief edits a session (not its 年度). */
export const updateTrainingSchema = z
  .strictObject({
    name: z.optional(requiredText('研修名', 200)),
    timing: z.optional(timingSchema),
    audience: z.optional(audienceSchema),
    method: z.optional(methodSchema),
    note: z.optional(noteSchema),
  })
  .check(z.refine((v) => Object.keys(v).length > 0, { error: '変更する項目を指定してください。' }));
export type UpdateTrainingInput = z.infer<typeof updateTrainingSchema>;

/** POST /trainings/{trainingId}/attendance: who of the 課 attended, and on which day (`unmark`: ticks taken back). */
export const attendanceSchema = z
  .strictObject({
    department: departmentCodeSchema,
    staffIds: z._default(z.array(ulidSchema).check(z.maxLength(maxRoll, { error: `一度に記録できるのは${maxRoll}人までです。` })), []),
    attendedOn: isoDateSchema,
    unmark: z
      ._default(z.array(ulidSchema).check(z.maxLength(maxRoll, { error: `一度に取り消せるのは${maxRoll}人までです。` })), [])
      .check(z.describe('誤って記録した受講を取り消す職員のID')),
  })
  .check(
    z.refine((v) => v.staffIds.length + v.unmark.length > 0, {
      error: '受講を記録する職員を1人以上指定してください。',
      path: ['staffIds'],
    }),
    z.refine((v) => !v.staffIds.some((id) => v.unmark.includes(id)), {
      error: '同じ職員を記録と取消の両方に指定しています。',
      path: ['unmark'],
    }),
  );
export type AttendanceInput = z.infer<typeof attendanceSchema>;

export function newTraining(input: CreateTrainingInput, ids: { trainingId: string }, by: { sub: string; at: string }): Training {
  return { trainingId: ids.trainingId, ...input, version: 1, createdBy: by.sub, createdAt: by.at, updatedAt: by.at };
}

export function updateTraining(before: Training, input: UpdateTrainingInput, at: string): Training {
  const after: Training = { ...before, version: before.version + 1, updatedAt: at };
  if (input.name !== undefined) after.name = input.name;
  if (input.timing !== undefined) after.timing = input.timing;
  if (input.audience !== undefined) after.audience = input.audience;
  if (input.method !== undefined) after.method = input.method;
  if (input.note !== undefined) after.note = input.note;
  const fy = fiscalYearRange(before.fiscalYear);
  if (after.timing.from < fy.from || after.timing.from > fy.to)
    throw new InvalidInput('実施時期が正しくありません。', [
      { path: 'timing.from', message: `実施時期は${before.fiscalYear}年度（${fy.from}〜${fy.to}）の中で始まる日付で指定してください。` },
    ]);
  return after;
}

/** Whether the session's 実施時期 is over on `today` (the day after its last day onwards). */
export function hasEnded(t: Pick<Training, 'timing'>, today: string): boolean {
  return t.timing.to < today;
}

/** Whether a person of the register (as of the session's last day) is in the session's audience. */
export function inAudience(audience: readonly Audience[], s: Pick<StaffOnDate, 'handler' | 'systemAdmin' | 'post'>): boolean {
  return audience.some(
    (a) =>
      a === 'allStaff' ||
      (a === 'handlers' && s.handler) ||
      (a === 'systemAdmins' && s.systemAdmin) ||
      (a === 'managers' && s.post !== null),
  );
}

/** The audience of a 課: its register as of the session's last day (`registerOnLastDay`), filtered by the session's 対象者. */
export function audienceOf<S extends Pick<StaffOnDate, 'handler' | 'systemAdmin' | 'post'>>(
  t: Pick<Training, 'audience'>,
  registerOnLastDay: readonly S[],
): S[] {
  return registerOnLastDay.filter((s) => inAudience(t.audience, s));
}

/**
 * Record attendance on a 課's roll (a new roll when `before` is null): `staffIds` attended on
 * `attendedOn` (a later date for a person already on it records their 再受講 and keeps the first),
 * `unmark` takes ticks back. Every id must be of the 課's audience (`audienceIds`); the day may not
 * be before the session starts nor after `today`.
 */
export function recordAttendance(
  before: AttendanceRoll | null,
  training: Pick<Training, 'trainingId' | 'fiscalYear' | 'timing'>,
  input: AttendanceInput,
  audienceIds: ReadonlySet<string>,
  by: { sub: string; at: string; today: string },
): AttendanceRoll {
  const errors: FieldError[] = [];
  if (input.attendedOn < training.timing.from)
    errors.push({ path: 'attendedOn', message: `受講日は研修の実施時期の初日（${training.timing.from}）以降の日付で指定してください。` });
  if (input.attendedOn > by.today) errors.push({ path: 'attendedOn', message: '受講日に未来の日付は指定できません。' });
  input.staffIds.forEach((id, i) => {
    if (!audienceIds.has(id)) errors.push({ path: `staffIds.${i}`, message: `職員（${id}）はこの課の研修の対象者ではありません。` });
  });
  if (errors.length > 0) throw new InvalidInput('受講の記録が正しくありません。', errors);
  const attended = new Map((before?.attended ?? []).map((a) => [a.staffId, a]));
  for (const id of new Set(input.unmark)) {
    if (!attended.has(id)) throw new Conflict(`職員（${id}）の受講は記録されていません。`, 'attendance-not-recorded');
    attended.delete(id);
  }
  // The first attendance counts; a later one is kept only when the first was taken back.
  for (const id of input.staffIds)
    if (!attended.has(id)) attended.set(id, { staffId: id, attendedOn: input.attendedOn, recordedBy: by.sub });
  const list = [...attended.values()];
  if (list.length > maxRoll) throw new Conflict(`1つの課の受講者は${maxRoll}人までです。`, 'roll-full');
  return before
    ? { ...before, attended: list, version: before.version + 1, updatedAt: by.at }
    : {
        rollId: rollIdOf(training.trainingId, input.department),
        trainingId: training.trainingId,
        department: input.department,
        fiscalYear: training.fiscalYear,
        attended: list,
        version: 1,
        createdBy: by.sub,
        createdAt: by.at,
        updatedAt: by.at,
      };
}

/** Who of the audience had attended by `date` (inclusive). */
export function attendedBy(roll: Pick<AttendanceRoll, 'attended'> | null | undefined, date: string): Set<string> {
  return new Set((roll?.attended ?? []).filter((a) => a.attendedOn <= date).map((a) => a.staffId));
}

/** The audience who had not attended by `date`. */
export function nonAttendees<S extends { staffId: string }>(
  audience: readonly S[],
  roll: Pick<AttendanceRoll, 'attended'> | null | undefined,
  date: string,
): S[] {
  const done = attendedBy(roll, date);
  return audience.filter((s) => !done.has(s.staffId));
}

/** One 課's completion of one session: how many of its audience attended (by `date`). */
export interface Completion {
  department: string;
  audience: number;
  attended: number;
  /** Attended after the session's 実施時期 (再受講). */
  retaken: number;
}

export function completionOf(
  training: Pick<Training, 'timing'>,
  department: string,
  audience: readonly { staffId: string }[],
  roll: Pick<AttendanceRoll, 'attended'> | null | undefined,
  date: string,
): Completion {
  const ids = new Set(audience.map((s) => s.staffId));
  const counted = (roll?.attended ?? []).filter((a) => ids.has(a.staffId) && a.attendedOn <= date);
  return {
    department,
    audience: ids.size,
    attended: counted.length,
    retaken: counted.filter((a) => a.attendedOn > training.timing.to).length,
  };
}

/** Whether everyone a `trainingFollowUp` task names has attended by now (at any date): recording that closes the task. */
export function followUpSettled(
  people: readonly { staffId: string }[],
  roll: Pick<AttendanceRoll, 'attended'> | null | undefined,
): boolean {
  const done = new Set((roll?.attended ?? []).map((a) => a.staffId));
  return people.every((p) => done.has(p.staffId));
}
