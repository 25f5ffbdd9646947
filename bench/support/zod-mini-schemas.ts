import * as z from 'zod/mini';
import ja from 'zod/v4/locales/ja.js';
import { fiscalYearRange, isCalendarDate } from '#lib/domain/calendar.js';

/**
 * For bench/libraries.ts only: kansa's request schemas of POST /plans, PATCH /plans/{planId},
 * POST /plans/{planId}/findings, POST /findings/{findingId}/actions, POST /evidence and
 * GET /actions (query) with GET /actions/{actionId} (params), translated by hand from
 * lib/domain/{plan,finding,action,evidence,articles,fields}.ts and lib/http/routes.ts to
 * `zod/mini`: the same rules, the same Japanese messages, and Japanese as zod's own locale
 * (lib/domain/zod.ts). The bench checks that they answer as the originals do.
 *
 * Every method of zod classic used there is `.check()` of one of these functions, so the
 * bench also builds this file against zod classic (its import replaced) to tell the
 * validator's cost from the rest of the domain modules'.
 */
z.config(ja());

// Copied: the modules that hold them also build zod classic schemas at import.
const teamRoles = ['auditLead', 'auditorDx', 'auditorKoho'] as const; // lib/domain/roles.ts
const auditMethods = ['document', 'onSite', 'external'] as const; // lib/domain/plan.ts
const ratings = ['conforming', 'minor', 'major'] as const; // lib/domain/finding.ts
const actionStatuses = ['open', 'inProgress', 'submitted', 'verified', 'reopened', 'riskAccepted'] as const; // lib/domain/action.ts
const evidenceTargetTypes = ['plan', 'finding', 'action', 'disposal', 'inspection', 'contractorCheck', 'incident'] as const; // lib/domain/evidence.ts

// lib/domain/fields.ts
const text = (label: string, max: number) =>
  z
    .string({ error: `${label}は文字列で指定してください。` })
    .check(
      z.trim(),
      z.minLength(1, { error: `${label}を入力してください。` }),
      z.maxLength(max, { error: `${label}は${max}文字以内で入力してください。` }),
    );
const ulidSchema = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'IDの形式が正しくありません。' }));

// lib/domain/plan.ts
const departmentCodeSchema = z
  .string({ error: '課コードは文字列で指定してください。' })
  .check(
    z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: '課コードの形式が正しくありません（英数字・ハイフン・下線、64文字以内）。' }),
  );

const isoDateSchema = z
  .string({ error: '日付は YYYY-MM-DD 形式の文字列で指定してください。' })
  .check(z.refine(isCalendarDate, { error: '日付は実在する YYYY-MM-DD 形式で指定してください。' }));

const scheduleSchema = z
  .strictObject({
    from: isoDateSchema,
    to: isoDateSchema,
    byDepartment: z.optional(
      z.array(z.strictObject({ department: departmentCodeSchema, from: isoDateSchema, to: isoDateSchema })).check(z.maxLength(200)),
    ),
  })
  .check(
    z.refine((r) => r.from <= r.to, { error: '監査実施日程の開始日は終了日以前にしてください。', path: ['to'] }),
    z.refine((r) => (r.byDepartment ?? []).every((d) => d.from <= d.to && d.from >= r.from && d.to <= r.to), {
      error: '部門別の日程は監査実施日程の期間内で、開始日を終了日以前にしてください。',
      path: ['byDepartment'],
    }),
  );

const teamMemberSchema = z.strictObject({
  role: z.enum(teamRoles, { error: '監査実施体制の役割は auditLead / auditorDx / auditorKoho のいずれかです。' }),
  userId: z.string().check(z.trim(), z.minLength(1, { error: '利用者IDを入力してください。' }), z.maxLength(128)),
});

const fiscalYearSchema = z
  .number({ error: '年度は数値で指定してください（例: 2026）。' })
  .check(
    z.int({ error: '年度は整数で指定してください。' }),
    z.gte(2000, { error: '年度は2000以上で指定してください。' }),
    z.lte(2100, { error: '年度は2100以下で指定してください。' }),
  );

const team = z.array(teamMemberSchema).check(z.maxLength(20));

const planFields = {
  fiscalYear: fiscalYearSchema,
  purpose: text('監査目的', 2000),
  scope: text('監査範囲', 2000),
  auditedDepartments: z.array(departmentCodeSchema, { error: '被監査部門は課コードの配列で指定してください。' }).check(
    z.minLength(1, { error: '被監査部門を1つ以上指定してください。' }),
    z.maxLength(200),
    z.refine((a) => new Set(a).size === a.length, { error: '被監査部門が重複しています。' }),
  ),
  methods: z.array(z.enum(auditMethods, { error: '監査方法は document / onSite / external のいずれかです。' })).check(
    z.minLength(1, { error: '監査方法を1つ以上指定してください。' }),
    z.refine((a) => new Set(a).size === a.length, { error: '監査方法が重複しています。' }),
  ),
  schedule: scheduleSchema,
  team: z._default(team, []),
  criteria: z.optional(text('適用基準', 500)),
  followUp: z.optional(text('監査結果のフォローアップ', 2000)),
};

function scheduleWithinFiscalYear(p: { fiscalYear?: number; schedule?: { from: string; to: string } }): boolean {
  if (p.fiscalYear === undefined || p.schedule === undefined) return true;
  const fy = fiscalYearRange(p.fiscalYear);
  return p.schedule.from >= fy.from && p.schedule.to <= fy.to;
}

const scheduleRule = { error: '監査実施日程は計画の年度（4月1日〜翌年3月31日）の範囲内にしてください。', path: ['schedule'] };

const createPlanSchema = z.strictObject(planFields).check(z.refine(scheduleWithinFiscalYear, scheduleRule));

/** `.partial()` of zod classic (zod/mini's `partial()` has no classic twin): every field optional. */
const optionalAll = <T extends Record<string, z.core.$ZodType>>(shape: T) =>
  Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, z.optional(s)])) as { [K in keyof T]: z.ZodMiniOptional<T[K]> };

const updatePlanSchema = z
  .strictObject(optionalAll({ ...planFields, team }))
  .check(z.refine((p) => Object.keys(p).length > 0, { error: '変更する項目を1つ以上指定してください。' }));

// lib/domain/articles.ts
const articleNumber = () => z.number().check(z.int(), z.gte(1), z.lte(999));
const articleInputSchema = z.union([
  z.string().check(z.minLength(1), z.maxLength(100)),
  z.strictObject({ article: articleNumber(), branch: z.optional(articleNumber()), paragraph: z.optional(articleNumber()) }),
]);

// lib/domain/finding.ts
const evidenceIdsSchema = z.array(ulidSchema).check(z.maxLength(50, { error: '証跡は50件までです。' }));
const findingRecordSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('staffRegister'), department: departmentCodeSchema, asOf: isoDateSchema }),
    z.strictObject({
      type: z.literal('trainingAttendance'),
      trainingId: ulidSchema,
      department: z.optional(departmentCodeSchema),
      asOf: isoDateSchema,
    }),
  ],
  { error: '引用する記録の type は staffRegister（職員名簿）か trainingAttendance（研修の受講状況）です。' },
);
const createFindingSchema = z.strictObject({
  department: departmentCodeSchema,
  article: articleInputSchema,
  rating: z.enum(ratings, { error: '評価は conforming（適合）/ minor（要改善）/ major（重大な不備）のいずれかです。' }),
  title: text('件名', 200),
  observation: text('監査で確認した事実', 5000),
  criteria: z.optional(text('判断基準', 2000)),
  cause: z.optional(text('原因', 2000)),
  recommendation: z.optional(text('改善の提言', 2000)),
  evidenceIds: z.optional(evidenceIdsSchema),
  incidentId: z.optional(ulidSchema),
  record: z.optional(findingRecordSchema),
});

// lib/domain/action.ts
const createActionSchema = z.strictObject({ description: text('改善措置の内容', 2000), dueDate: isoDateSchema });

// lib/domain/evidence.ts
const createEvidenceSchema = z.strictObject({
  target: z.strictObject({
    type: z.enum(evidenceTargetTypes, {
      error: '添付先は plan / finding / action / disposal / inspection / contractorCheck / incident のいずれかです。',
    }),
    id: ulidSchema,
  }),
  fileName: z.string().check(
    z.trim(),
    z.minLength(1, { error: 'ファイル名を入力してください。' }),
    z.maxLength(255, { error: 'ファイル名は255文字以内にしてください。' }),
    // eslint-disable-next-line no-control-regex
    z.refine((n) => !/[\u0000-\u001f\u007f/\\]/.test(n), { error: 'ファイル名に制御文字やスラッシュは使えません。' }),
  ),
  contentType: z.string().check(z.trim(), z.toLowerCase(), z.minLength(1), z.maxLength(255)),
  size: z
    .number({ error: 'size はバイト数（整数）で指定してください。' })
    .check(z.int(), z.gte(1, { error: '空のファイルは添付できません。' })),
  sha256: z.pipe(
    z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, { error: 'sha256 は64桁の16進数で指定してください。' })),
    z.transform((s: string) => s.toLowerCase()),
  ),
  capturedAt: z.optional(z.iso.datetime({ offset: true, error: 'capturedAt は ISO 8601 の日時（タイムゾーン付き）で指定してください。' })),
});

// lib/http/routes.ts: GET /actions (query) and GET /actions/{actionId} (params)
const page = {
  limit: z._default(
    z.coerce
      .number({ error: 'limit は数値で指定してください。' })
      .check(
        z.int({ error: 'limit は整数で指定してください。' }),
        z.gte(1, { error: 'limit は1以上で指定してください。' }),
        z.lte(100, { error: 'limit は100以下で指定してください。' }),
      ),
    20,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};
const yesNo = (name: string) =>
  z.pipe(
    z.enum(['true', 'false'], { error: `${name} は true か false です。` }),
    z.transform((v: 'true' | 'false') => v === 'true'),
  );
const listActionsQuery = z.object({
  department: z.optional(departmentCodeSchema),
  status: z.optional(z.enum(actionStatuses)),
  overdue: z.optional(yesNo('overdue')),
  ...page,
});
const getActionParams = z.object({ actionId: ulidSchema });

export const schemas = {
  createPlan: createPlanSchema,
  updatePlan: updatePlanSchema,
  createFinding: createFindingSchema,
  createAction: createActionSchema,
  createEvidence: createEvidenceSchema,
  listActionsQuery,
  getActionParams,
};
