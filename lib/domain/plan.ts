import { requiredText } from './fields.js';
import * as z from './zod.js';
import { Conflict } from './errors.js';
import { fiscalYearRange, isCalendarDate } from './calendar.js';
import { teamRoles } from './roles.js';

/**
 * 監査計画 (様式第4号, Koriyama 第26条): fields, schemas and the state machine.
 */

export const planStatuses = ['draft', 'submitted', 'returned', 'approved', 'inProgress', 'reported', 'closed'] as const;
export const planStatusSchema = z.enum(planStatuses);
export type PlanStatus = z.infer<typeof planStatusSchema>;

export const planStatusLabels: Record<PlanStatus, string> = {
  draft: '起案中',
  submitted: '承認待ち',
  returned: '差戻し',
  approved: '承認済み',
  inProgress: '監査実施中',
  reported: '報告済み',
  closed: '完了',
};

/** 監査方法: 書面監査 / 実地監査 / 外部監査. */
export const auditMethods = ['document', 'onSite', 'external'] as const;
export const auditMethodLabels: Record<(typeof auditMethods)[number], string> = {
  document: '書面監査',
  onSite: '実地監査',
  external: '外部監査',
};

const text = requiredText;

export const departmentCodeSchema = z
  .string({ error: '課コードは文字列で指定してください。' })
  .check(
    z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: '課コードの形式が正しくありません（英数字・ハイフン・下線、64文字以内）。' }),
  );

export const isoDateSchema = z
  .string({ error: '日付は YYYY-MM-DD 形式の文字列で指定してください。' })
  .check(z.refine(isCalendarDate, { error: '日付は実在する YYYY-MM-DD 形式で指定してください。' }));

/** 監査実施日程: overall from–to, optionally per department. */
export const scheduleSchema = z
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

/** 監査実施体制: which users act in which audit role. */
export const teamMemberSchema = z.strictObject({
  role: z.enum(teamRoles, { error: '監査実施体制の役割は auditLead / auditorDx / auditorKoho のいずれかです。' }),
  userId: z.string().check(z.trim(), z.minLength(1, { error: '利用者IDを入力してください。' }), z.maxLength(128)),
});

export const fiscalYearSchema = z
  .number({ error: '年度は数値で指定してください（例: 2026）。' })
  .check(
    z.int({ error: '年度は整数で指定してください。' }),
    z.gte(2000, { error: '年度は2000以上で指定してください。' }),
    z.lte(2100, { error: '年度は2100以下で指定してください。' }),
  );

/** 監査実施体制 as PATCH takes it; POST defaults it to none. */
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
  /** 様式第4号 「2 監査結果のフォローアップ」 */
  followUp: z.optional(text('監査結果のフォローアップ', 2000)),
};

function scheduleWithinFiscalYear(p: { fiscalYear?: number; schedule?: { from: string; to: string } }): boolean {
  if (p.fiscalYear === undefined || p.schedule === undefined) return true;
  const fy = fiscalYearRange(p.fiscalYear);
  return p.schedule.from >= fy.from && p.schedule.to <= fy.to;
}

const scheduleRule = {
  error: '監査実施日程は計画の年度（4月1日〜翌年3月31日）の範囲内にしてください。',
  path: ['schedule'],
};

/** POST /plans body (様式第4号). */
export const createPlanSchema = z.strictObject(planFields).check(z.refine(scheduleWithinFiscalYear, scheduleRule));
export type CreatePlanInput = z.infer<typeof createPlanSchema>;

/** PATCH /plans/{planId} body: any subset of the 様式第4号 fields. */
export const updatePlanSchema = z
  .partial(z.strictObject({ ...planFields, team }))
  .check(z.refine((p) => Object.keys(p).length > 0, { error: '変更する項目を1つ以上指定してください。' }));
export type UpdatePlanInput = z.infer<typeof updatePlanSchema>;

export const approvePlanSchema = z.strictObject({ comment: z.optional(text('コメント', 2000)) });
export const returnPlanSchema = z.strictObject({ reason: text('差戻しの理由', 2000) });

export type PlanFields = z.infer<typeof createPlanSchema>;

export interface Plan extends Omit<PlanFields, 'criteria'> {
  planId: string;
  status: PlanStatus;
  /** Optimistic-concurrency version: 1 on create, +1 on every change. */
  version: number;
  /** Counts findings and actions added or changed under the plan (see the report and close gates). */
  childrenVersion?: number;
  /** 1 for the first plan; a revision of an approved plan counts up. */
  revision: number;
  /** The approved plan this draft revises. */
  revisionOf?: string;
  /** On an approved plan: the open draft revision of it. */
  pendingRevisionId?: string;
  /** On an approved plan: the revision that replaced it once that was approved. */
  supersededBy?: string;
  /** 適用基準: the regulation text and the profile it comes from. */
  criteria: string;
  profile: { id: string; version: string };
  createdBy: string;
  createdAt: string;
  /** Who last changed the 様式第4号 fields (create or PATCH): 職務の分離 looks at this. */
  lastEditedBy: string;
  lastEditedAt: string;
  /** Last change of any kind (edit or transition). */
  updatedAt: string;
  submittedBy?: string;
  submittedAt?: string;
  approvedBy?: string;
  approvedAt?: string;
  approvalComment?: string;
  returnedBy?: string;
  returnedAt?: string;
  returnReason?: string;
  startedBy?: string;
  startedAt?: string;
  reportedBy?: string;
  reportedAt?: string;
  closedBy?: string;
  closedAt?: string;
}

export type PlanTransition = 'submit' | 'approve' | 'return' | 'start' | 'report' | 'close';

/** The state machine: from which statuses each transition may be taken, and where it leads. */
export const planTransitions: Record<PlanTransition, { from: readonly PlanStatus[]; to: PlanStatus }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted'], to: 'returned' },
  start: { from: ['approved'], to: 'inProgress' },
  report: { from: ['inProgress'], to: 'reported' },
  close: { from: ['reported'], to: 'closed' },
};

const transitionLabels: Record<PlanTransition, string> = {
  submit: '提出',
  approve: '承認',
  return: '差戻し',
  start: '監査の開始',
  report: '監査結果の報告',
  close: '完了',
};

/** Statuses in which the 様式第4号 fields may be edited. */
export const editableStatuses: readonly PlanStatus[] = ['draft', 'returned'];
/** Statuses of a plan whose audit has started: from 監査実施中 on, it has findings. */
export const startedStatuses: readonly PlanStatus[] = ['inProgress', 'reported', 'closed'];

/** The status a transition leads to, or a 409 saying why it is not allowed now. */
export function nextStatus(plan: Pick<Plan, 'status' | 'supersededBy' | 'pendingRevisionId'>, t: PlanTransition): PlanStatus {
  const rule = planTransitions[t];
  if (!rule.from.includes(plan.status)) {
    const allowed = rule.from.map((s) => planStatusLabels[s]).join('・');
    throw new Conflict(
      `状態が「${planStatusLabels[plan.status]}」の監査計画は${transitionLabels[t]}できません（${allowed}の計画のみ可能です）。`,
      'illegal-transition',
    );
  }
  if (t === 'start' && plan.supersededBy) {
    throw new Conflict('この監査計画は改訂版に置き換えられたため開始できません。改訂版を使用してください。', 'plan-superseded');
  }
  if (t === 'start' && plan.pendingRevisionId) {
    throw new Conflict(
      'この監査計画の改訂版が審査中のため開始できません。改訂版の承認または取り下げを待ってください。',
      'revision-pending',
    );
  }
  return rule.to;
}

/** 409 unless the plan may be edited (draft/returned only; an approved plan is frozen). */
export function assertEditable(plan: Pick<Plan, 'status'>): void {
  if (editableStatuses.includes(plan.status)) return;
  if (plan.status === 'approved' || plan.status === 'inProgress' || plan.status === 'reported' || plan.status === 'closed') {
    throw new Conflict(
      `「${planStatusLabels[plan.status]}」の監査計画は変更できません。承認済みの計画を変えるには改訂版を作成し、改めて承認を受けてください。`,
      'plan-frozen',
    );
  }
  throw new Conflict(
    `状態が「${planStatusLabels[plan.status]}」の監査計画は変更できません。起案中または差戻しの計画のみ変更できます。`,
    'plan-not-editable',
  );
}

/** 409 unless a new draft revision may be made of this plan. */
export function assertRevisable(plan: Pick<Plan, 'status' | 'pendingRevisionId' | 'supersededBy'>): void {
  if (plan.status !== 'approved') {
    throw new Conflict(
      `改訂版は承認済みの監査計画からのみ作成できます（現在の状態: ${planStatusLabels[plan.status]}）。`,
      'plan-not-revisable',
    );
  }
  if (plan.supersededBy)
    throw new Conflict('この監査計画はすでに改訂版に置き換えられています。最新の改訂版から作成してください。', 'plan-superseded');
  if (plan.pendingRevisionId) throw new Conflict('この監査計画には審査中の改訂版がすでにあります。', 'revision-pending');
}

/** 400 unless the schedule lies inside the plan's 年度. */
export function checkScheduleInFiscalYear(p: { fiscalYear: number; schedule: { from: string; to: string } }): boolean {
  return scheduleWithinFiscalYear(p);
}
export const scheduleOutOfFiscalYearMessage = scheduleRule.error;
