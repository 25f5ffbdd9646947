import { Conflict, type FieldError, InvalidInput } from './errors.js';
import { flagField, requiredText } from './fields.js';
import { departmentCodeSchema, isoDateSchema } from './plan.js';
import { addDays } from './task.js';
import * as z from './zod.js';

/**
 * The staff register of a 課 (職員名簿), kept by its 保護管理者: who works there, of what kind
 * (001 第11条 counts 派遣 among the 職員), who is a 事務取扱担当者 and for which 事務 (001 第8条,
 * 様式第1号・第2号; 002 第2の5 特定個人情報取扱担当者; 003 第21条 and its 別表), who administers
 * systems (001 第11条第3項). Training audiences are computed from it (lib/domain/training.ts).
 *
 * History: a person's attributes hold from `since`; a change that takes effect on a later date
 * (`effectiveFrom`) keeps what held before as a {@link StaffPeriod}, an item of its own beside the
 * person (never a growing list on the person), so "who was a 事務取扱担当者 on that date" is
 * answerable for any past date ({@link asOf}). A correction (no `effectiveFrom`) rewrites the
 * current attributes; the audit trail keeps what they were.
 */

export const staffKinds = ['regular', 'dispatched', 'fiscalYearAppointed'] as const;
export type StaffKind = (typeof staffKinds)[number];
export const staffKindLabels: Record<StaffKind, string> = {
  regular: '職員',
  dispatched: '派遣労働者',
  fiscalYearAppointed: '会計年度任用職員',
};

/** The posts of the 課 that take the training for 保護管理者 and 保護担当者 (001 第11条第4項); titled by the profile's `roleTitles`. */
export const staffPosts = ['sectionManager', 'sectionStaff'] as const;
export type StaffPost = (typeof staffPosts)[number];

/** What may change about a person over time (each change from a date keeps the former as a period). */
export interface StaffAttributes {
  name: string;
  title: string;
  kind: StaffKind;
  /** 事務取扱担当者 (001 第8条) / 特定個人情報取扱担当者 (002 第2の5). */
  handler: boolean;
  /** The 事務 they handle, as 様式第1号 lists it; only for a handler. */
  handlerDuties: string | null;
  /** Works on the administration of an information system (001 第11条第3項). */
  systemAdmin: boolean;
  /** 保護管理者 or 保護担当者 of the 課 (001 第11条第4項), or null. */
  post: StaffPost | null;
}

export const staffAttributeKeys = [
  'name',
  'title',
  'kind',
  'handler',
  'handlerDuties',
  'systemAdmin',
  'post',
] as const satisfies readonly (keyof StaffAttributes)[];

export interface Staff extends StaffAttributes {
  staffId: string;
  department: string;
  /** The HR department's 職員番号, which a CSV import matches rows on; unique within the 課's current register. */
  employeeNumber: string | null;
  /** First and last day on the 課's register (`to` null: still there). */
  from: string;
  to: string | null;
  /** The day the current attributes hold from (`from`, or the latest `effectiveFrom`). */
  since: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  trailHash?: string;
}

/** What held for a person from `validFrom` to `validTo` (both inclusive), before a change from a later date. */
export interface StaffPeriod extends StaffAttributes {
  staffId: string;
  department: string;
  validFrom: string;
  validTo: string;
}

/**
 * At most this many people on a 課's register at once (those not ended before today): a session's
 * audience in the 課, its roll (lib/domain/training.ts `maxRoll`) and a follow-up task naming
 * those who missed it all stay within one item.
 */
export const maxRegister = 1000;

/** The register's row for one person on one date: the person with the attributes that held that day. */
export type StaffOnDate = Omit<Staff, keyof StaffAttributes> & StaffAttributes;

const name = requiredText('氏名', 100);
const title = requiredText('役職', 100);
const kind = z.enum(staffKinds, {
  error: '区分は regular（職員）、dispatched（派遣労働者）、fiscalYearAppointed（会計年度任用職員）のいずれかです。',
});
const handlerDuties = z.nullable(requiredText('事務', 500));
const post = z.nullable(z.enum(staffPosts, { error: '役割は sectionManager か sectionStaff（または null）で指定してください。' }));
const employeeNumber = z.nullable(
  z
    .string({ error: '職員番号は文字列で指定してください。' })
    .check(z.trim(), z.regex(/^[0-9A-Za-z-]{1,20}$/, { error: '職員番号は英数字とハイフン20文字以内で指定してください。' })),
);

/**
 * What a message calls the designated staff where the profile is not at hand (a request's schema):
 * the texts' own terms (001・003 事務取扱担当者, 002 特定個人情報取扱担当者) are used wherever it is.
 */
export const anyHandlerTerm = '取扱担当者';

/** Why a person's 事務 does not go with their designation, in `term`; undefined when it does. */
export function dutiesProblem(
  v: { handler?: boolean | undefined; handlerDuties?: string | null | undefined },
  term: string,
): string | undefined {
  if (v.handler === true && (v.handlerDuties === null || v.handlerDuties === undefined))
    return `${term}には取り扱う事務を入力してください。`;
  if (v.handler === false && typeof v.handlerDuties === 'string') return `${term}でない職員に事務は指定できません。`;
  return undefined;
}

/** A handler names their 事務 (様式第1号's 事務 column); a person who is not one has none. */
function checkDuties(v: { handler?: boolean | undefined; handlerDuties?: string | null | undefined }, ctx: z.core.$RefinementCtx): void {
  const problem = dutiesProblem(v, anyHandlerTerm);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['handlerDuties'] });
}

function checkSpan(v: { from?: string | undefined; to?: string | null | undefined }, ctx: z.core.$RefinementCtx): void {
  if (v.from !== undefined && typeof v.to === 'string' && v.to < v.from)
    ctx.addIssue({ code: 'custom', message: '終了日は開始日以降の日付で指定してください。', path: ['to'] });
}

/** POST /staff: a person added to the 課's register. */
export const createStaffSchema = z
  .strictObject({
    department: departmentCodeSchema,
    name,
    title,
    kind,
    handler: flagField(`${anyHandlerTerm}の指定（handler）`),
    handlerDuties: z._default(handlerDuties, null),
    systemAdmin: z._default(flagField('システム管理者'), false),
    post: z._default(post, null),
    employeeNumber: z._default(employeeNumber, null),
    from: isoDateSchema,
    to: z._default(z.nullable(isoDateSchema), null),
  })
  .check(z.superRefine(checkDuties), z.superRefine(checkSpan));
export type CreateStaffInput = z.infer<typeof createStaffSchema>;

/**
 * PATCH /staff/{staffId}: a correction, a change from a date (`effectiveFrom`: what held before is
 * kept as a period), or the end of the person's time on the register (`to`).
 */
export const updateStaffSchema = z
  .strictObject({
    name: z.optional(name),
    title: z.optional(title),
    kind: z.optional(kind),
    handler: z.optional(flagField(`${anyHandlerTerm}の指定（handler）`)),
    handlerDuties: z.optional(handlerDuties),
    systemAdmin: z.optional(flagField('システム管理者')),
    post: z.optional(post),
    employeeNumber: z.optional(employeeNumber),
    from: z.optional(isoDateSchema),
    to: z.optional(z.nullable(isoDateSchema)),
    effectiveFrom: z
      .optional(isoDateSchema)
      .check(
        z.describe(
          '変更の適用日。指定すると、その前日までの内容が履歴として残ります（省略時は誤りの訂正として現在の内容を書き換えます）。',
        ),
      ),
  })
  .check(z.refine((v) => Object.keys(v).some((k) => k !== 'effectiveFrom'), { error: '変更する項目を指定してください。' }));
export type UpdateStaffInput = z.infer<typeof updateStaffSchema>;

export function attributesOf(s: StaffAttributes): StaffAttributes {
  return {
    name: s.name,
    title: s.title,
    kind: s.kind,
    handler: s.handler,
    handlerDuties: s.handlerDuties,
    systemAdmin: s.systemAdmin,
    post: s.post,
  };
}

export function newStaff(input: CreateStaffInput, ids: { staffId: string }, by: { sub: string; at: string }): Staff {
  return {
    staffId: ids.staffId,
    department: input.department,
    ...attributesOf(input),
    employeeNumber: input.employeeNumber,
    from: input.from,
    to: input.to,
    since: input.from,
    version: 1,
    createdBy: by.sub,
    createdAt: by.at,
    updatedAt: by.at,
  };
}

/**
 * Apply a PATCH: the person after it, and the period it closes when the change takes effect from
 * a later date than the current attributes (`effectiveFrom` after `since`).
 */
export function updateStaff(
  before: Staff,
  input: UpdateStaffInput,
  at: string,
  handlerTerm: string = anyHandlerTerm,
): { after: Staff; closed: StaffPeriod | null } {
  const { effectiveFrom, ...fields } = input;
  const after: Staff = { ...before, ...stripUndefined(fields), version: before.version + 1, updatedAt: at };
  // No longer a handler: the 事務 goes with the designation, unless named in the same body.
  if (!after.handler && fields.handlerDuties === undefined) after.handlerDuties = null;
  const errors: FieldError[] = [];
  const problem = dutiesProblem(after, handlerTerm);
  if (problem) errors.push({ path: 'handlerDuties', message: problem });
  if (after.to !== null && after.to < after.from) errors.push({ path: 'to', message: '終了日は開始日以降の日付で指定してください。' });
  if (errors.length > 0) throw new InvalidInput('名簿の内容が正しくありません。', errors);
  if (effectiveFrom === undefined) {
    // A correction of the start moves the start of the current attributes with it while nothing was kept before.
    if (fields.from !== undefined && before.since === before.from) after.since = fields.from;
    if (after.since < after.from)
      throw new InvalidInput('名簿の内容が正しくありません。', [
        { path: 'from', message: '開始日は、履歴の残っている日より後にはできません。' },
      ]);
    return { after, closed: null };
  }
  if (effectiveFrom <= before.since)
    throw new Conflict(`適用日は、現在の内容の適用開始日（${before.since}）より後の日付で指定してください。`, 'staff-effective-date');
  if (after.to !== null && effectiveFrom > after.to)
    throw new Conflict('適用日は、名簿の終了日以前の日付で指定してください。', 'staff-effective-date');
  after.since = effectiveFrom;
  const closed: StaffPeriod = {
    staffId: before.staffId,
    department: before.department,
    ...attributesOf(before),
    validFrom: before.since,
    validTo: addDays(effectiveFrom, -1),
  };
  return { after, closed };
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Whether the person is on the register on `date`. */
export function onRegister(s: Pick<Staff, 'from' | 'to'>, date: string): boolean {
  return s.from <= date && (s.to === null || s.to >= date);
}

/**
 * The register as of `date`: each person on it that day, with the attributes that held then
 * (the current ones from `since`, else the period covering the date; before the first period,
 * what held first). `periods` are those of the same people, in any order.
 */
export function asOf(people: readonly Staff[], periods: readonly StaffPeriod[], date: string): StaffOnDate[] {
  const byStaff = new Map<string, StaffPeriod[]>();
  for (const p of periods) byStaff.set(p.staffId, [...(byStaff.get(p.staffId) ?? []), p]);
  return people.flatMap((s) => {
    if (!onRegister(s, date)) return [];
    if (s.since <= date) return [s];
    const kept = byStaff.get(s.staffId) ?? [];
    // Before the first period (a start corrected to an earlier day keeps no period of its own): what held first.
    const first = kept.reduce<StaffPeriod | undefined>((f, p) => (f === undefined || p.validFrom < f.validFrom ? p : f), undefined);
    const held = kept.find((p) => p.validFrom <= date && date <= p.validTo) ?? (first && date < first.validFrom ? first : undefined);
    return [held ? { ...s, ...attributesOf(held) } : s];
  });
}
