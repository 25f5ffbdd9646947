import { jstDate } from './calendar.js';
import { Conflict, InvalidInput } from './errors.js';
import { flagField, requiredText, ulidSchema } from './fields.js';
import { departmentCodeSchema } from './plan.js';
import {
  type Assessment,
  type IncidentCategory,
  type IncidentCriterion,
  type IncidentFacts,
  type ReportClock,
  incidentCategories,
} from './ppc.js';
import type { StepRule } from './provisions.js';
import type { Role } from './roles.js';
import * as z from './zod.js';

export { incidentCategories, incidentCategoryLabels, type Assessment, type IncidentCategory } from './ppc.js';

/**
 * 事案: a leak, loss, damage or misuse of personal information, a breach of the regulation, or
 * the risk of one (001 第23条–第25条, 002 第9, 003 第24条・第29条, 004 第39条–第41条). Any 職員
 * with a 課 reports it; the profile's chain (`IncidentChain`) says who contains, investigates,
 * escalates, prevents a recurrence, reports to the PPC and closes it. The server computes the
 * assessment on every change of the facts (lib/domain/incident-assessment.ts: a new 事案 and a
 * correction of its facts); nobody types it in.
 *
 * Every step is recorded once, so the item never grows without bound: the facts are replaced,
 * never appended; `sharing` is limited to the 課 of the organisation.
 */

export const incidentStatuses = ['reported', 'contained', 'investigated', 'prevented', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];
export const incidentStatusLabels: Record<IncidentStatus, string> = {
  reported: '報告受付',
  contained: '被害拡大防止措置済み',
  investigated: '調査報告済み',
  prevented: '再発防止策策定済み',
  closed: '完了',
};
export const incidentStatusSchema = z.enum(incidentStatuses, {
  error: 'status は reported / contained / investigated / prevented / closed のいずれかです。',
});

/** The steps of the chain a person records, each once. */
export const incidentSteps = ['contain', 'investigate', 'escalate', 'prevention', 'ppcReport', 'close'] as const;
export type IncidentStep = (typeof incidentSteps)[number];

export const noticeKinds = ['subjects', 'publication', 'mayor', 'ppcInformation'] as const;
export type NoticeKind = (typeof noticeKinds)[number];
export const noticeKindLabels: Record<NoticeKind, string> = {
  subjects: '本人への通知',
  publication: '公表',
  mayor: '首長への報告',
  ppcInformation: '個人情報保護委員会への情報提供',
};

export const ppcStages = ['preliminary', 'final'] as const;
export type PpcStage = (typeof ppcStages)[number];
export const ppcStageLabels: Record<PpcStage, string> = { preliminary: '速報', final: '確報' };

export type { StepRule } from './provisions.js';

/**
 * The regulation's chain for 事案, as data in its profile. A role that belongs to a 課
 * (保護管理者 …) acts only on its own 課's 事案.
 */
export interface IncidentChain {
  /** Who is told at once and gets the task (001 第23条第1項: the 保護管理者 of the 課). */
  receivedBy: Role;
  /** Who receives the investigation report (001 第23条第3項: 総括保護副管理者); a task for them. */
  investigationTo: Role;
  /** Who is told at once of a 特に重大 事案 (001 第23条第3項ただし書: 総括保護管理者). */
  escalateTo: Role;
  /**
   * Whether the regulation shares the recurrence prevention with 課 doing similar work, each of
   * which acknowledges it (001 第23条第5項, 004 第39条第5項; 002 第9の4 and 003 第29条第4号 do not).
   */
  sharesPrevention: boolean;
  /** The auditors who audit the rules on 事案 and read every 課's 事案 (001 第7条の2第3項第2号: the 広報広聴課長). */
  auditedBy: readonly Role[];
  /** Who may correct the facts (API: the 課's 保護管理者 and the 総括保護副管理者). */
  edit: readonly Role[];
  steps: Record<IncidentStep, StepRule>;
  /** The notices the regulation has; a kind it lacks is absent. */
  notices: Partial<Record<NoticeKind, StepRule>>;
  /** The 事態 that call for a report to the PPC: the law's, then the regulation's own. */
  criteria: readonly IncidentCriterion[];
  clock: ReportClock;
}

export const incidentRecordsSchema = z.strictObject({
  /** 項目: 氏名, 住所 … */
  items: z
    .array(requiredText('項目', 100), { error: '項目（items）は文字列の配列で指定してください。' })
    .check(
      z.minLength(1, { error: '漏えい等した項目（氏名、住所など）を1つ以上指定してください。' }),
      z.maxLength(50, { error: '項目は50個までです。' }),
    ),
  /** 本人の数; null while unknown. */
  subjects: z.nullable(
    z
      .number({ error: '本人の数（subjects）は0以上の整数か null で指定してください。' })
      .check(
        z.int({ error: '本人の数は整数で指定してください。' }),
        z.gte(0, { error: '本人の数は0以上で指定してください。' }),
        z.lte(1_000_000_000, { error: '本人の数が大きすぎます。' }),
      ),
  ),
  sensitive: flagField('sensitive（要配慮個人情報）'),
  financialHarm: flagField('financialHarm（財産的被害のおそれ）'),
  wrongfulPurpose: flagField('wrongfulPurpose（不正の目的のおそれ）'),
  myNumber: flagField('myNumber（特定個人情報）'),
  encrypted: flagField('encrypted（高度な暗号化）'),
  inSystem: z._default(flagField('inSystem（情報システムで管理される特定個人情報）'), false),
  publiclyViewable: z._default(flagField('publiclyViewable（不特定多数の者による閲覧）'), false),
  viewed: z._default(flagField('viewed（実際に閲覧されたこと）'), false),
});
export type IncidentRecords = z.infer<typeof incidentRecordsSchema>;

/** Every fact that decides a report, unset: where a form or a record starts from. */
export const noFlags = {
  sensitive: false,
  financialHarm: false,
  wrongfulPurpose: false,
  myNumber: false,
  encrypted: false,
  inSystem: false,
  publiclyViewable: false,
  viewed: false,
} as const satisfies Omit<Required<IncidentRecords>, 'items' | 'subjects'>;

const datetime = (label: string) =>
  z.iso.datetime({ offset: true, error: `${label}は ISO 8601 の日時（タイムゾーン付き）で指定してください。` });

export const incidentCategorySchema = z.enum(incidentCategories, {
  error: 'category は leak / loss / damage / misuse / ruleViolation のいずれかです。',
});

export const createIncidentSchema = z.strictObject({
  /** The 課 that manages the information. */
  department: departmentCodeSchema,
  /** When the 課 learned of it (day 1 of the deadlines). */
  discoveredAt: datetime('発覚日時（discoveredAt）'),
  summary: requiredText('概要', 2000),
  category: incidentCategorySchema,
  records: incidentRecordsSchema,
  /** The 委託先 where it happened (a contractor of the 課). */
  contractorId: z.optional(ulidSchema),
});
export type CreateIncidentInput = z.infer<typeof createIncidentSchema>;

export const updateIncidentSchema = z
  .strictObject({
    discoveredAt: z.optional(datetime('発覚日時（discoveredAt）')),
    summary: z.optional(requiredText('概要', 2000)),
    category: z.optional(incidentCategorySchema),
    // Without the create's defaults: a correction that leaves out a flag keeps it as it was.
    records: z.optional(
      z.partial(
        z.extend(incidentRecordsSchema, {
          inSystem: incidentRecordsSchema.shape.inSystem.def.innerType,
          publiclyViewable: incidentRecordsSchema.shape.publiclyViewable.def.innerType,
          viewed: incidentRecordsSchema.shape.viewed.def.innerType,
        }),
      ),
    ),
    contractorId: z.optional(z.nullable(ulidSchema)),
  })
  .check(z.refine((v) => Object.keys(v).length > 0, { error: '変更する項目を1つ以上指定してください。' }));
export type UpdateIncidentInput = z.infer<typeof updateIncidentSchema>;

export const containSchema = z.strictObject({ measures: requiredText('被害拡大防止・復旧の措置', 2000) });
export const investigateSchema = z.strictObject({
  /** 経緯、被害状況. */
  findings: requiredText('調査の結果（経緯・被害状況）', 4000),
  cause: z.optional(requiredText('原因', 2000)),
  /** 二次被害又はそのおそれの有無及びその内容. */
  secondaryHarm: z.optional(requiredText('二次被害', 2000)),
});
export const escalateSchema = z.strictObject({ reason: requiredText('特に重大と認める理由', 2000) });
/**
 * The 課 a prevention may be shared with at once: each adds 2 items (its task, the task's
 * event) to the transaction beside the 事案, its event and the outbox claim; DynamoDB
 * takes 100 items in one transaction, so 40 leaves room.
 */
export const maxShareWith = 40;
export const preventionSchema = z.strictObject({
  measures: requiredText('再発防止策', 4000),
  cause: z.optional(requiredText('原因', 2000)),
  /**
   * 同種の業務を実施している課 that receive the measures (001 第23条第5項). At most
   * {@link maxShareWith}: each is a task and its audit event in the step's one transaction.
   */
  shareWith: z._default(
    z.array(departmentCodeSchema, { error: '共有先（shareWith）は課コードの配列で指定してください。' }).check(
      z.maxLength(maxShareWith, {
        error: `一度に共有できる課は${maxShareWith}までです（共有先の課ごとに確認のタスクを同じ記録の中で作成するため）。`,
      }),
    ),
    [],
  ),
});
export const ppcReportSchema = z.strictObject({
  stage: z.enum(ppcStages, { error: 'stage は preliminary（速報）か final（確報）です。' }),
  submittedAt: datetime('報告日時（submittedAt）'),
  reference: z.optional(requiredText('受付番号', 100)),
});
export const noticeSchema = z.strictObject({
  kind: z.enum(noticeKinds, { error: 'kind は subjects / publication / mayor / ppcInformation のいずれかです。' }),
  at: datetime('実施日時（at）'),
  note: z.optional(requiredText('備考', 2000)),
});
export const closeIncidentSchema = z.strictObject({ comment: z.optional(requiredText('コメント', 2000)) });

/** Who did a step and when. */
export interface Stamp {
  at: string;
  by: string;
}

export interface Incident {
  incidentId: string;
  department: string;
  /** 年度 of `discoveredAt`, in Japan. */
  fiscalYear: number;
  discoveredAt: string;
  summary: string;
  category: IncidentCategory;
  records: Required<IncidentRecords>;
  contractorId?: string;
  status: IncidentStatus;
  assessment: Assessment;
  containment?: Stamp & { measures: string };
  investigation?: Stamp & { findings: string; cause?: string; secondaryHarm?: string };
  escalation?: Stamp & { reason: string };
  prevention?: Stamp & { measures: string; cause?: string };
  /** 課 the measures were shared with, and whether each acknowledged them. */
  sharing: { department: string; acknowledgedAt?: string; acknowledgedBy?: string }[];
  ppcReports: Partial<Record<PpcStage, Stamp & { submittedAt: string; reference?: string }>>;
  notices: Partial<Record<NoticeKind, Stamp & { note?: string }>>;
  closure?: Stamp & { comment?: string };
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** The facts the assessment reads. */
export function factsOf(i: Pick<Incident, 'category' | 'records'>): IncidentFacts {
  const r = i.records;
  return {
    category: i.category,
    subjects: r.subjects,
    sensitive: r.sensitive,
    financialHarm: r.financialHarm,
    wrongfulPurpose: r.wrongfulPurpose,
    myNumber: r.myNumber,
    encrypted: r.encrypted,
    inSystem: r.inSystem,
    publiclyViewable: r.publiclyViewable,
    viewed: r.viewed ?? false,
  };
}

/** The plain date in Japan the 課 learned of it: day 1 of every deadline. */
export function learnedOn(discoveredAt: string): string {
  return jstDate(new Date(discoveredAt));
}

/** A discovery cannot lie in the future (a minute's clock skew allowed). */
export function assertDiscoveredBy(discoveredAt: string, now: Date): void {
  if (Date.parse(discoveredAt) > now.getTime() + 60_000)
    throw new InvalidInput('発覚日時に未来の日時は指定できません。', [
      { path: 'discoveredAt', message: '発覚日時に未来の日時は指定できません。' },
    ]);
}

/** Nothing changes once the 事案 is closed. */
export function assertOpen(i: Incident): void {
  if (i.status === 'closed') throw new Conflict('完了した事案は変更できません。', 'incident-closed');
}

const order: Record<IncidentStatus, number> = { reported: 0, contained: 1, investigated: 2, prevented: 3, closed: 4 };

function step(i: Incident, from: IncidentStatus, to: IncidentStatus, what: string, now: Date): Incident {
  assertOpen(i);
  if (i.status !== from) {
    const detail =
      order[i.status] > order[from]
        ? `${what}は記録済みです。`
        : `${what}の前に、${from === 'reported' ? '' : from === 'contained' ? '被害拡大防止の措置を' : '調査の結果を'}記録してください。`;
    throw new Conflict(detail, 'incident-step-order');
  }
  return { ...i, status: to, version: i.version + 1, updatedAt: now.toISOString() };
}

export function contain(i: Incident, input: z.infer<typeof containSchema>, by: string, now: Date): Incident {
  return {
    ...step(i, 'reported', 'contained', '被害拡大防止の措置', now),
    containment: { at: now.toISOString(), by, measures: input.measures },
  };
}

export function investigate(i: Incident, input: z.infer<typeof investigateSchema>, by: string, now: Date): Incident {
  return { ...step(i, 'contained', 'investigated', '調査の結果', now), investigation: { at: now.toISOString(), by, ...input } };
}

/** 特に重大と認める事案: told at once, whatever the status; once. */
export function escalate(i: Incident, input: z.infer<typeof escalateSchema>, by: string, now: Date): Incident {
  assertOpen(i);
  if (i.escalation) throw new Conflict('この事案は既に特に重大な事案として報告されています。', 'incident-escalated');
  return { ...i, escalation: { at: now.toISOString(), by, reason: input.reason }, version: i.version + 1, updatedAt: now.toISOString() };
}

/**
 * 再発防止策, shared with 課 doing similar work (never the 課 itself, each once) where the
 * regulation shares it (`sharesPrevention`).
 */
export function recordPrevention(
  i: Incident,
  input: z.infer<typeof preventionSchema>,
  by: string,
  now: Date,
  knownDepartments: ReadonlySet<string>,
  sharesPrevention = true,
): Incident {
  if (!sharesPrevention && input.shareWith.length > 0) {
    const message = 'この規程には再発防止策を他の課に共有する定めがないため、共有先は指定できません。';
    throw new InvalidInput(message, [{ path: 'shareWith', message }]);
  }
  const unknown = input.shareWith.filter((d) => !knownDepartments.has(d));
  if (unknown.length > 0) {
    const message = `組織に存在しない課が指定されています: ${unknown.join('、')}`;
    throw new InvalidInput(message, [{ path: 'shareWith', message }]);
  }
  const shareWith = [...new Set(input.shareWith)].filter((d) => d !== i.department);
  const next = step(i, 'investigated', 'prevented', '再発防止策', now);
  return {
    ...next,
    prevention: { at: now.toISOString(), by, measures: input.measures, ...(input.cause !== undefined ? { cause: input.cause } : {}) },
    sharing: shareWith.map((department) => ({ department })),
  };
}

/** A 課 the measures were shared with acknowledges them. */
export function acknowledgeSharing(i: Incident, department: string, by: string, now: Date): Incident {
  const entry = i.sharing.find((s) => s.department === department);
  if (!entry) throw new Conflict('この課には再発防止策が共有されていません。', 'incident-not-shared');
  if (entry.acknowledgedAt) throw new Conflict('この課は既に再発防止策を確認しています。', 'incident-acknowledged');
  const at = now.toISOString();
  return {
    ...i,
    sharing: i.sharing.map((s) => (s.department === department ? { ...s, acknowledgedAt: at, acknowledgedBy: by } : s)),
    version: i.version + 1,
    updatedAt: at,
  };
}

/** 速報 or 確報 as filed with the PPC; each once. A 確報 filed first also serves as the 速報. */
export function recordPpcReport(i: Incident, input: z.infer<typeof ppcReportSchema>, by: string, now: Date): Incident {
  assertOpen(i);
  if (i.ppcReports[input.stage]) throw new Conflict(`${ppcStageLabels[input.stage]}は記録済みです。`, 'incident-reported-to-ppc');
  if (input.stage === 'preliminary' && i.ppcReports.final)
    throw new Conflict('確報の後に速報は記録できません。', 'incident-reported-to-ppc');
  if (Date.parse(input.submittedAt) > now.getTime() + 60_000)
    throw new InvalidInput('報告日時に未来の日時は指定できません。', [
      { path: 'submittedAt', message: '報告日時に未来の日時は指定できません。' },
    ]);
  const at = now.toISOString();
  const entry = { at, by, submittedAt: input.submittedAt, ...(input.reference !== undefined ? { reference: input.reference } : {}) };
  return { ...i, ppcReports: { ...i.ppcReports, [input.stage]: entry }, version: i.version + 1, updatedAt: at };
}

export function recordNotice(i: Incident, input: z.infer<typeof noticeSchema>, by: string, now: Date): Incident {
  assertOpen(i);
  if (i.notices[input.kind]) throw new Conflict(`${noticeKindLabels[input.kind]}は記録済みです。`, 'incident-notice-recorded');
  if (Date.parse(input.at) > now.getTime() + 60_000)
    throw new InvalidInput('実施日時に未来の日時は指定できません。', [{ path: 'at', message: '実施日時に未来の日時は指定できません。' }]);
  const at = now.toISOString();
  const entry = { at: input.at, by, ...(input.note !== undefined ? { note: input.note } : {}) };
  return { ...i, notices: { ...i.notices, [input.kind]: entry }, version: i.version + 1, updatedAt: at };
}

/** Whether the report the assessment asks for has been filed (a 確報). */
export function finalReportFiled(i: Incident): boolean {
  return i.ppcReports.final !== undefined;
}

/** What still stops the 事案 from closing, in Japanese (empty: it may close). */
export function closeBlockers(i: Incident): string[] {
  const blockers: string[] = [];
  if (i.status !== 'prevented' && i.status !== 'closed') blockers.push('再発防止策が記録されていません');
  if (i.assessment.reportToPPC && !finalReportFiled(i)) blockers.push('個人情報保護委員会への確報が記録されていません');
  return blockers;
}

/** Closed by the chain's closer once recurrence prevention is recorded and, where required, the 確報 filed. */
export function closeIncident(i: Incident, input: z.infer<typeof closeIncidentSchema>, by: string, now: Date): Incident {
  assertOpen(i);
  const blockers = closeBlockers(i);
  if (blockers.length > 0) throw new Conflict(`まだ完了できません: ${blockers.join('。')}。`, 'incident-not-ready');
  const at = now.toISOString();
  return {
    ...i,
    status: 'closed',
    closure: { at, by, ...(input.comment !== undefined ? { comment: input.comment } : {}) },
    version: i.version + 1,
    updatedAt: at,
  };
}

/** The deadlines still open: a 速報 not yet filed (nor a 確報 in its place), a 確報 not yet filed. */
export function openDeadlines(i: Incident): { stage: PpcStage; date: string }[] {
  if (i.status === 'closed') return [];
  const out: { stage: PpcStage; date: string }[] = [];
  const d = i.assessment.deadlines;
  if (d.preliminary && !i.ppcReports.preliminary && !i.ppcReports.final) out.push({ stage: 'preliminary', date: d.preliminary });
  if (d.final && !i.ppcReports.final) out.push({ stage: 'final', date: d.final });
  return out;
}
