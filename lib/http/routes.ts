import type { FunctionName } from '#lib/functions.js';
import { ulidSchema } from '#lib/domain/fields.js';
import * as z from '#lib/domain/zod.js';
import { entityTypes } from '#lib/domain/audit.js';
import {
  acceptRiskSchema,
  actionStatusSchema,
  createActionSchema,
  progressSchema,
  reopenActionSchema,
  submitActionSchema,
  verifyActionSchema,
} from '#lib/domain/action.js';
import { createDisposalSchema } from '#lib/domain/disposal.js';
import type { ProvisionId } from '#lib/domain/provisions.js';
import { createEvidenceSchema, evidenceTargetTypes } from '#lib/domain/evidence.js';
import { createFindingSchema, scopeSchema, updateFindingSchema } from '#lib/domain/finding.js';
import {
  approvePlanSchema,
  createPlanSchema,
  departmentCodeSchema,
  isoDateSchema,
  planStatusSchema,
  returnPlanSchema,
  updatePlanSchema,
} from '#lib/domain/plan.js';
import { periodSchema, taskStatusSchema } from '#lib/domain/task.js';
import { inspectionStatusSchema, reviewInspectionSchema, submitInspectionSchema, updateInspectionSchema } from '#lib/domain/inspection.js';
import { completeContractorCheckSchema, createContractorSchema, updateContractorSchema } from '#lib/domain/contractor.js';
import {
  closeIncidentSchema,
  containSchema,
  createIncidentSchema,
  escalateSchema,
  incidentStatusSchema,
  investigateSchema,
  noticeSchema,
  ppcReportSchema,
  preventionSchema,
  updateIncidentSchema,
} from '#lib/domain/incident.js';
import { createStaffSchema, updateStaffSchema } from '#lib/domain/staff.js';
import { importMaxBytes } from '#lib/domain/staff-import.js';
import { attendanceSchema, createTrainingSchema, rollIdPattern, updateTrainingSchema } from '#lib/domain/training.js';

/**
 * The single route table. CDK creates the HttpApi routes from it, the local gateway
 * matches requests against it, the OpenAPI document, the authorization matrix and
 * the fuzz tests enumerate it. A route missing here does not exist anywhere.
 */

export type Method = 'GET' | 'POST' | 'PATCH';

export interface RouteDef {
  /** The route's key in {@link routes}, set by {@link defineRoutes}. */
  id: string;
  method: Method;
  path: string;
  fn: FunctionName;
  /** false only for GET /health: every other route needs a verified JWT. */
  auth: boolean;
  /** What it does, in Japanese, without article numbers: the OpenAPI document adds `provision`'s. */
  summary: string;
  /** The rule the route applies, cited from the active profile after the summary (lib/http/openapi.ts). */
  provision?: ProvisionId;
  status?: 200 | 201;
  /** Path parameters; a value that fails here is a 404 (no such resource). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** JSON body; routes without one accept no body or `{}`. Any zod schema: zod classic or zod/mini. */
  body?: z.core.$ZodType;
  /** Accepts `If-Match` (optimistic concurrency). */
  conditional?: boolean;
  /** The body is a file of this type taken as its bytes (a Buffer), not JSON; larger than `maxBytes` is a 413. */
  raw?: { type: 'text/csv'; maxBytes: number };
}

const ulid = ulidSchema;

const page = {
  limit: z.coerce
    .number({ error: 'limit は数値で指定してください。' })
    .int({ error: 'limit は整数で指定してください。' })
    .min(1, { error: 'limit は1以上で指定してください。' })
    .max(100, { error: 'limit は100以下で指定してください。' })
    .default(20),
  cursor: z.string().min(1).max(2048).optional(),
};

/** A yes/no query parameter: `true` or `false` (else a Japanese 400); `absent` is what leaving it out means. */
const yesNo = (name: string, absent?: 'false') => {
  const values = z.enum(['true', 'false'], { error: `${name} は true か false です。` });
  return (absent === undefined ? values : values.default(absent)).transform((v) => v === 'true');
};

const planParams = z.object({ planId: ulid });
const findingParams = z.object({ findingId: ulid });
const actionParams = z.object({ actionId: ulid });
const evidenceParams = z.object({ evidenceId: ulid });
const disposalParams = z.object({ disposalId: ulid });
const taskParams = z.object({ taskId: ulid });
const inspectionParams = z.object({ inspectionId: ulid });
const contractorParams = z.object({ contractorId: ulid });
const checkParams = z.object({ checkId: ulid });
const incidentParams = z.object({ incidentId: ulid });
const staffParams = z.object({ staffId: ulid });
const trainingParams = z.object({ trainingId: ulid });
/** The id of an entity in the audit log: a ULID, or an attendance roll's `<trainingId>-<課>`. */
const entityId = z.union([ulid, z.string().regex(rollIdPattern)], { error: 'entityId が正しくありません。' });
const reportFormat = z.enum(['html', 'xlsx'], { error: 'format は html か xlsx です。' }).default('html');
const fiscalYearQuery = z.coerce
  .number({ error: 'fiscalYear は数値で指定してください。' })
  .int({ error: 'fiscalYear は整数で指定してください。' })
  .min(2000, { error: 'fiscalYear は2000以上で指定してください。' })
  .max(2100, { error: 'fiscalYear は2100以下で指定してください。' });

/** A route as written in the table: everything but its id, which is its key. */
type RouteSpec = Omit<RouteDef, 'id'>;

/** The table with each route's id set to its key, so that the two cannot differ. */
type WithIds<T> = { readonly [K in keyof T & string]: T[K] & { readonly id: K } };

/** A property a {@link RouteSpec} does not have (a misspelt `staus`, or an `id`) is an error. */
type OnlyRouteSpecKeys<T> = { [K in keyof T]: { [P in Exclude<keyof T[K], keyof RouteSpec>]: never } };

function defineRoutes<const T extends Record<string, RouteSpec>>(specs: T & OnlyRouteSpecKeys<T>): WithIds<T> {
  return Object.fromEntries(Object.entries<RouteSpec>(specs).map(([id, spec]) => [id, { ...spec, id }])) as WithIds<T>;
}

export const routes = defineRoutes({
  health: { method: 'GET', path: '/health', fn: 'system', auth: false, summary: '稼働確認' },
  getMe: { method: 'GET', path: '/me', fn: 'system', auth: true, summary: 'サインイン中の利用者' },
  getOpenApi: { method: 'GET', path: '/openapi.json', fn: 'system', auth: true, summary: 'API定義 (OpenAPI 3.1)' },
  getProfile: {
    method: 'GET',
    path: '/profile',
    fn: 'system',
    auth: true,
    summary: '適用中の規程プロファイル（役職・条項・監査範囲・定期業務）と組織の課・部（departments）',
  },
  createPlan: {
    method: 'POST',
    path: '/plans',
    fn: 'plans',
    auth: true,
    status: 201,
    summary: '監査計画を起案する',
    provision: 'auditPlan',
    body: createPlanSchema,
  },
  listPlans: {
    method: 'GET',
    path: '/plans',
    fn: 'plans',
    auth: true,
    summary: '年度・状態別の監査計画一覧',
    query: z.object({
      fiscalYear: fiscalYearQuery.optional(),
      status: planStatusSchema.optional(),
      ...page,
    }),
  },
  getPlan: {
    method: 'GET',
    path: '/plans/{planId}',
    fn: 'plans',
    auth: true,
    summary: '監査計画',
    params: planParams,
  },
  updatePlan: {
    method: 'PATCH',
    path: '/plans/{planId}',
    fn: 'plans',
    auth: true,
    conditional: true,
    summary: '監査計画を編集する（起案中・差戻しのみ）',
    params: planParams,
    body: updatePlanSchema,
  },
  submitPlan: {
    method: 'POST',
    path: '/plans/{planId}/submit',
    fn: 'plans',
    auth: true,
    conditional: true,
    summary: '監査計画を提出する（承認を求める）',
    provision: 'planApproval',
    params: planParams,
  },
  approvePlan: {
    method: 'POST',
    path: '/plans/{planId}/approve',
    fn: 'plans',
    auth: true,
    conditional: true,
    summary: '監査計画を承認する（起案・編集・提出した者以外）',
    provision: 'planApproval',
    params: planParams,
    body: approvePlanSchema,
  },
  returnPlan: {
    method: 'POST',
    path: '/plans/{planId}/return',
    fn: 'plans',
    auth: true,
    conditional: true,
    summary: '監査計画を差し戻す（起案・編集・提出した者以外）',
    provision: 'planApproval',
    params: planParams,
    body: returnPlanSchema,
  },
  startPlan: {
    method: 'POST',
    path: '/plans/{planId}/start',
    fn: 'plans',
    auth: true,
    conditional: true,
    summary: '監査を開始する',
    params: planParams,
  },
  createPlanRevision: {
    method: 'POST',
    path: '/plans/{planId}/revisions',
    fn: 'plans',
    auth: true,
    conditional: true,
    status: 201,
    summary: '承認済み監査計画の改訂版を起案する',
    params: planParams,
  },
  reportPlan: {
    method: 'POST',
    path: '/plans/{planId}/report',
    fn: 'plans',
    auth: true,
    conditional: true,
    summary: '監査結果を報告する（所見がすべて記録され、要改善には改善措置があるとき）',
    provision: 'reportGate',
    params: planParams,
  },
  closePlan: {
    method: 'POST',
    path: '/plans/{planId}/close',
    fn: 'plans',
    auth: true,
    conditional: true,
    summary: '監査を完了する（改善措置がすべて確認済み・リスク受容のとき）',
    provision: 'closeGate',
    params: planParams,
  },
  createFinding: {
    method: 'POST',
    path: '/plans/{planId}/findings',
    fn: 'findings',
    auth: true,
    status: 201,
    summary: '監査所見を記録する（監査範囲の決まった監査員は自らの範囲のみ）',
    provision: 'auditScope',
    params: planParams,
    body: createFindingSchema,
  },
  listFindings: {
    method: 'GET',
    path: '/plans/{planId}/findings',
    fn: 'findings',
    auth: true,
    summary: '監査計画の所見一覧（監査範囲・課別）',
    params: planParams,
    query: z.object({ scope: scopeSchema.optional(), department: departmentCodeSchema.optional(), ...page }),
  },
  getFinding: {
    method: 'GET',
    path: '/findings/{findingId}',
    fn: 'findings',
    auth: true,
    summary: '監査所見',
    params: findingParams,
  },
  updateFinding: {
    method: 'PATCH',
    path: '/findings/{findingId}',
    fn: 'findings',
    auth: true,
    conditional: true,
    summary: '監査所見を編集する（監査実施中のみ）',
    params: findingParams,
    body: updateFindingSchema,
  },
  createAction: {
    method: 'POST',
    path: '/findings/{findingId}/actions',
    fn: 'actions',
    auth: true,
    status: 201,
    summary: '改善措置を登録する',
    params: findingParams,
    body: createActionSchema,
  },
  listActions: {
    method: 'GET',
    path: '/actions',
    fn: 'actions',
    auth: true,
    summary: '改善措置の一覧（課・状態・期限超過）',
    query: z.object({
      department: departmentCodeSchema.optional(),
      status: actionStatusSchema.optional(),
      overdue: yesNo('overdue').optional(),
      ...page,
    }),
  },
  getAction: {
    method: 'GET',
    path: '/actions/{actionId}',
    fn: 'actions',
    auth: true,
    summary: '改善措置',
    params: actionParams,
  },
  listActionNotes: {
    method: 'GET',
    path: '/actions/{actionId}/notes',
    fn: 'actions',
    auth: true,
    summary: '改善措置の経過（進捗・完了報告・確認・再対応・リスク受容の記録、古い順）',
    params: actionParams,
    query: z.object({ ...page }),
  },
  progressAction: {
    method: 'POST',
    path: '/actions/{actionId}/progress',
    fn: 'actions',
    auth: true,
    conditional: true,
    summary: '改善措置の進捗を登録する（担当課）',
    params: actionParams,
    body: progressSchema,
  },
  submitAction: {
    method: 'POST',
    path: '/actions/{actionId}/submit',
    fn: 'actions',
    auth: true,
    conditional: true,
    summary: '改善措置の完了を報告する（担当課）',
    params: actionParams,
    body: submitActionSchema,
  },
  verifyAction: {
    method: 'POST',
    path: '/actions/{actionId}/verify',
    fn: 'actions',
    auth: true,
    conditional: true,
    summary: '改善措置を確認する（所見の監査員、完了報告した者以外）',
    params: actionParams,
    body: verifyActionSchema,
  },
  reopenAction: {
    method: 'POST',
    path: '/actions/{actionId}/reopen',
    fn: 'actions',
    auth: true,
    conditional: true,
    summary: '改善措置の再対応を指示する',
    params: actionParams,
    body: reopenActionSchema,
  },
  acceptRisk: {
    method: 'POST',
    path: '/actions/{actionId}/accept-risk',
    fn: 'actions',
    auth: true,
    conditional: true,
    summary: 'リスクを受容する（理由必須）',
    params: actionParams,
    body: acceptRiskSchema,
  },
  createEvidence: {
    method: 'POST',
    path: '/evidence',
    fn: 'evidence',
    auth: true,
    status: 201,
    summary: '証跡のアップロードを申請する（presigned POST を返す）',
    body: createEvidenceSchema,
  },
  listEvidence: {
    method: 'GET',
    path: '/evidence',
    fn: 'evidence',
    auth: true,
    summary: '添付先の証跡一覧',
    query: z.object({ targetType: z.enum(evidenceTargetTypes), targetId: ulid, ...page }),
  },
  getEvidence: {
    method: 'GET',
    path: '/evidence/{evidenceId}',
    fn: 'evidence',
    auth: true,
    summary: '証跡（検証状態つき）',
    params: evidenceParams,
  },
  downloadEvidence: {
    method: 'GET',
    path: '/evidence/{evidenceId}/download',
    fn: 'evidence',
    auth: true,
    summary: '証跡のダウンロード用リンク（5分間有効、記録される）',
    params: evidenceParams,
  },
  createDisposal: {
    method: 'POST',
    path: '/disposals',
    fn: 'disposals',
    auth: true,
    status: 201,
    summary: '消去・廃棄を記録する',
    provision: 'disposal',
    body: createDisposalSchema,
  },
  listDisposals: {
    method: 'GET',
    path: '/disposals',
    fn: 'disposals',
    auth: true,
    summary: '消去・廃棄の記録の一覧（年度・課別）',
    query: z.object({ department: departmentCodeSchema.optional(), fiscalYear: fiscalYearQuery.optional(), ...page }),
  },
  getDisposal: {
    method: 'GET',
    path: '/disposals/{disposalId}',
    fn: 'disposals',
    auth: true,
    summary: '消去・廃棄の記録（完備しているか、不足しているもの）',
    provision: 'disposalCompleteness',
    params: disposalParams,
  },
  exportPlanForm: {
    method: 'GET',
    path: '/plans/{planId}/form4',
    fn: 'reports',
    auth: true,
    summary: '監査計画書を XLSX または印刷用 HTML で出力する',
    provision: 'planForm',
    params: planParams,
    query: z.object({ format: reportFormat }),
  },
  exportPlanResults: {
    method: 'GET',
    path: '/plans/{planId}/results',
    fn: 'reports',
    auth: true,
    summary:
      '監査結果報告書（監査範囲・課別の所見と改善措置）を XLSX または印刷用 HTML で出力する。appendix=training で、年度の研修の被監査部門別・研修別の受講状況（対象者数・受講者数・再受講・受講率、報告日（未報告は当日）現在）を付録として加える',
    provision: 'auditReport',
    params: planParams,
    query: z.object({
      format: reportFormat,
      appendix: z.enum(['training'], { error: 'appendix は training です。' }).optional(),
    }),
  },
  exportIncidentReport: {
    method: 'GET',
    path: '/incidents/{incidentId}/report',
    fn: 'reports',
    auth: true,
    summary:
      '事案を個人情報保護委員会への漏えい等報告の記載事項（概要・項目・本人の数・原因・二次被害・本人への対応・公表・再発防止策・その他）に沿って XLSX または印刷用 HTML で出力する',
    provision: 'ppcReport',
    params: incidentParams,
    query: z.object({ format: reportFormat }),
  },
  exportIncidentReviewList: {
    method: 'GET',
    path: '/incidents/review-list',
    fn: 'reports',
    auth: true,
    summary: '年度の事案一覧（評価及び見直しの資料）を XLSX または印刷用 HTML で出力する',
    provision: 'review',
    query: z.object({ fiscalYear: fiscalYearQuery, format: reportFormat }),
  },
  exportStaffForm1: {
    method: 'GET',
    path: '/staff/form1',
    fn: 'reports',
    auth: true,
    summary:
      '指定された担当者の一覧（個人単位: 部・課・氏名・役職・事務）を XLSX または印刷用 HTML で出力する。asOf の日（省略時は当日）現在。department を省略すると、全課の名簿を参照できる者は全課、それ以外は自分の課',
    provision: 'handlerDesignation',
    query: z.object({ department: departmentCodeSchema.optional(), asOf: isoDateSchema.optional(), format: reportFormat }),
  },
  exportStaffForm2: {
    method: 'GET',
    path: '/staff/form2',
    fn: 'reports',
    auth: true,
    summary:
      '指定された担当者の一覧（部署単位: 部・課・事務）を XLSX または印刷用 HTML で出力する。asOf の日（省略時は当日）現在。department を省略すると、全課の名簿を参照できる者は全課、それ以外は自分の課',
    provision: 'handlerDesignation',
    query: z.object({ department: departmentCodeSchema.optional(), asOf: isoDateSchema.optional(), format: reportFormat }),
  },
  exportTrainingForm3: {
    method: 'GET',
    path: '/trainings/form3',
    fn: 'reports',
    auth: true,
    summary: '年度の研修計画（実施時期・研修名・対象者・実施方法・備考）を XLSX または印刷用 HTML で出力する',
    provision: 'trainingPlan',
    query: z.object({ fiscalYear: fiscalYearQuery, format: reportFormat }),
  },
  exportAuditLog: {
    method: 'GET',
    path: '/audit-log/export',
    fn: 'reports',
    auth: true,
    summary: '対象の監査証跡を CSV で出力する',
    query: z.object({ entityType: z.enum(entityTypes), entityId }),
  },
  verifyAuditLog: {
    method: 'GET',
    path: '/audit-log/verify',
    fn: 'auditLog',
    auth: true,
    summary: '監査証跡のハッシュ連鎖を検証する（改ざん検知）',
    query: z.object({ entityType: z.enum(entityTypes), entityId }),
  },
  getAuditLog: {
    method: 'GET',
    path: '/audit-log',
    fn: 'auditLog',
    auth: true,
    summary: '対象の監査証跡（古い順）',
    query: z.object({ entityType: z.enum(entityTypes), entityId, ...page }),
  },
  listTasks: {
    method: 'GET',
    path: '/tasks',
    fn: 'tasks',
    auth: true,
    summary: '定期業務のタスク一覧（自分宛て mine=true、または課別 department=、未完了のみ・status=done で完了分）',
    query: z.object({
      mine: yesNo('mine').optional(),
      department: departmentCodeSchema.optional(),
      status: taskStatusSchema.optional(),
      ...page,
    }),
  },
  getTask: { method: 'GET', path: '/tasks/{taskId}', fn: 'tasks', auth: true, summary: 'タスク', params: taskParams },
  listInspections: {
    method: 'GET',
    path: '/inspections',
    fn: 'inspections',
    auth: true,
    summary: '点検の一覧（課・期間・状態別）',
    provision: 'inspection',
    query: z.object({
      department: departmentCodeSchema.optional(),
      period: periodSchema.optional(),
      status: z.optional(inspectionStatusSchema),
      ...page,
    }),
  },
  getInspection: {
    method: 'GET',
    path: '/inspections/{inspectionId}',
    fn: 'inspections',
    auth: true,
    summary: '点検（チェックリストつき）',
    params: inspectionParams,
  },
  updateInspection: {
    method: 'PATCH',
    path: '/inspections/{inspectionId}',
    fn: 'inspections',
    auth: true,
    conditional: true,
    summary: '点検のチェックリストに回答する（点検する課、点検中のみ）',
    provision: 'inspection',
    params: inspectionParams,
    body: updateInspectionSchema,
  },
  submitInspection: {
    method: 'POST',
    path: '/inspections/{inspectionId}/submit',
    fn: 'inspections',
    auth: true,
    conditional: true,
    summary: '点検結果を提出する（全項目の回答が必要。規程に定めがあれば点検結果の報告の要否も）',
    provision: 'inspection',
    params: inspectionParams,
    body: submitInspectionSchema,
  },
  reviewInspection: {
    method: 'POST',
    path: '/inspections/{inspectionId}/review',
    fn: 'inspections',
    auth: true,
    conditional: true,
    summary: '点検結果を踏まえた安全管理措置の見直しを記録する（共同の点検または報告を受けた点検）',
    provision: 'review',
    params: inspectionParams,
    body: reviewInspectionSchema,
  },
  createContractor: {
    method: 'POST',
    path: '/contractors',
    fn: 'contractors',
    auth: true,
    status: 201,
    summary: '委託先を登録する（委託する課）',
    provision: 'contractor',
    body: createContractorSchema,
  },
  listContractors: {
    method: 'GET',
    path: '/contractors',
    fn: 'contractors',
    auth: true,
    summary: '委託先の一覧（課別）',
    query: z.object({ department: departmentCodeSchema.optional(), ...page }),
  },
  getContractor: {
    method: 'GET',
    path: '/contractors/{contractorId}',
    fn: 'contractors',
    auth: true,
    summary: '委託先',
    params: contractorParams,
  },
  updateContractor: {
    method: 'PATCH',
    path: '/contractors/{contractorId}',
    fn: 'contractors',
    auth: true,
    conditional: true,
    summary: '委託先を変更する（委託する課）',
    provision: 'contractor',
    params: contractorParams,
    body: updateContractorSchema,
  },
  listContractorChecks: {
    method: 'GET',
    path: '/contractor-checks',
    fn: 'contractors',
    auth: true,
    summary: '委託先の検査の一覧（年度・課別）',
    provision: 'contractorCheck',
    query: z.object({ department: departmentCodeSchema.optional(), fiscalYear: fiscalYearQuery.optional(), ...page }),
  },
  getContractorCheck: {
    method: 'GET',
    path: '/contractor-checks/{checkId}',
    fn: 'contractors',
    auth: true,
    summary: '委託先の検査',
    params: checkParams,
  },
  completeContractorCheck: {
    method: 'POST',
    path: '/contractor-checks/{checkId}/complete',
    fn: 'contractors',
    auth: true,
    conditional: true,
    summary: '委託先の検査結果を記録する',
    provision: 'contractorCheck',
    params: checkParams,
    body: completeContractorCheckSchema,
  },
  createIncident: {
    method: 'POST',
    path: '/incidents',
    fn: 'incidents',
    auth: true,
    status: 201,
    summary: '事案を報告する（課のある職員なら誰でも。個人情報保護委員会への報告の要否と期限を判定）',
    provision: 'incident',
    body: createIncidentSchema,
  },
  listIncidents: {
    method: 'GET',
    path: '/incidents',
    fn: 'incidents',
    auth: true,
    summary: '事案の一覧（年度・課・状態別。自分が報告したもの mine=true）',
    query: z.object({
      department: departmentCodeSchema.optional(),
      status: z.optional(incidentStatusSchema),
      fiscalYear: fiscalYearQuery.optional(),
      mine: yesNo('mine').optional(),
      ...page,
    }),
  },
  getIncident: {
    method: 'GET',
    path: '/incidents/{incidentId}',
    fn: 'incidents',
    auth: true,
    summary: '事案',
    params: incidentParams,
  },
  updateIncident: {
    method: 'PATCH',
    path: '/incidents/{incidentId}',
    fn: 'incidents',
    auth: true,
    conditional: true,
    summary: '事案の事実関係を修正する（報告の要否と期限を再判定）',
    provision: 'incident',
    params: incidentParams,
    body: updateIncidentSchema,
  },
  containIncident: {
    method: 'POST',
    path: '/incidents/{incidentId}/contain',
    fn: 'incidents',
    auth: true,
    conditional: true,
    summary: '被害拡大防止・復旧の措置を記録する',
    provision: 'incidentContainment',
    params: incidentParams,
    body: containSchema,
  },
  investigateIncident: {
    method: 'POST',
    path: '/incidents/{incidentId}/investigate',
    fn: 'incidents',
    auth: true,
    conditional: true,
    summary: '事案の調査結果（経緯・被害状況・原因）を報告する',
    provision: 'incidentInvestigation',
    params: incidentParams,
    body: investigateSchema,
  },
  escalateIncident: {
    method: 'POST',
    path: '/incidents/{incidentId}/escalate',
    fn: 'incidents',
    auth: true,
    conditional: true,
    summary: '特に重大な事案として直ちに報告する',
    provision: 'incidentEscalation',
    params: incidentParams,
    body: escalateSchema,
  },
  recordIncidentPrevention: {
    method: 'POST',
    path: '/incidents/{incidentId}/prevention',
    fn: 'incidents',
    auth: true,
    conditional: true,
    summary: '再発防止策を記録し、同種の業務を行う課に共有する',
    provision: 'incidentPrevention',
    params: incidentParams,
    body: preventionSchema,
  },
  acknowledgeIncident: {
    method: 'POST',
    path: '/incidents/{incidentId}/acknowledge',
    fn: 'incidents',
    auth: true,
    conditional: true,
    summary: '共有された再発防止策を確認する（共有先の課）',
    provision: 'incidentPrevention',
    params: incidentParams,
  },
  recordIncidentPpcReport: {
    method: 'POST',
    path: '/incidents/{incidentId}/ppc-reports',
    fn: 'incidents',
    auth: true,
    conditional: true,
    summary: '個人情報保護委員会への速報・確報を記録する',
    provision: 'ppcReport',
    params: incidentParams,
    body: ppcReportSchema,
  },
  recordIncidentNotice: {
    method: 'POST',
    path: '/incidents/{incidentId}/notices',
    fn: 'incidents',
    auth: true,
    conditional: true,
    summary: '本人への通知・公表・首長への報告・情報提供を記録する',
    provision: 'subjectNotice',
    params: incidentParams,
    body: noticeSchema,
  },
  closeIncident: {
    method: 'POST',
    path: '/incidents/{incidentId}/close',
    fn: 'incidents',
    auth: true,
    conditional: true,
    summary: '事案を完了する（再発防止策と、必要な場合は確報の記録後）',
    provision: 'incidentClose',
    params: incidentParams,
    body: closeIncidentSchema,
  },
  createStaff: {
    method: 'POST',
    path: '/staff',
    fn: 'staff',
    auth: true,
    status: 201,
    summary: '課の職員名簿に職員を登録する（取扱担当者とその事務の指定を含む）',
    provision: 'handlerDesignation',
    body: createStaffSchema,
  },
  listStaff: {
    method: 'GET',
    path: '/staff',
    fn: 'staff',
    auth: true,
    summary: '課の職員名簿（asOf: その日の名簿。省略時は今日）',
    query: z.object({ department: departmentCodeSchema.optional(), asOf: isoDateSchema.optional(), ...page }),
  },
  importStaff: {
    method: 'POST',
    path: '/staff/import',
    fn: 'staff',
    auth: true,
    status: 201,
    summary:
      '人事の CSV（UTF-8・Shift_JIS）を課の職員名簿に取り込む（職員番号で照合。dryRun=true は変更内容の確認のみで 200。誤りのある行があれば何も登録しない）',
    provision: 'handlerDesignation',
    raw: { type: 'text/csv', maxBytes: importMaxBytes },
    query: z.object({
      department: departmentCodeSchema,
      dryRun: yesNo('dryRun', 'false'),
      effectiveFrom: isoDateSchema.optional(),
    }),
  },
  getStaff: { method: 'GET', path: '/staff/{staffId}', fn: 'staff', auth: true, summary: '職員名簿の職員', params: staffParams },
  updateStaff: {
    method: 'PATCH',
    path: '/staff/{staffId}',
    fn: 'staff',
    auth: true,
    conditional: true,
    summary: '職員名簿の職員を変更する（effectiveFrom: その日からの変更で以前の内容は履歴に残る。to: 名簿から外す日）',
    provision: 'handlerDesignation',
    params: staffParams,
    body: updateStaffSchema,
  },
  createTraining: {
    method: 'POST',
    path: '/trainings',
    fn: 'trainings',
    auth: true,
    status: 201,
    summary: '年度の研修計画に研修を加える（研修を総括する責任者）',
    provision: 'trainingPlan',
    body: createTrainingSchema,
  },
  listTrainings: {
    method: 'GET',
    path: '/trainings',
    fn: 'trainings',
    auth: true,
    summary: '年度の研修計画（参照できる課の受講状況つき）',
    provision: 'trainingPlan',
    query: z.object({ fiscalYear: fiscalYearQuery.optional(), ...page }),
  },
  getTraining: {
    method: 'GET',
    path: '/trainings/{trainingId}',
    fn: 'trainings',
    auth: true,
    summary: '研修（参照できる課の受講状況つき）',
    params: trainingParams,
  },
  updateTraining: {
    method: 'PATCH',
    path: '/trainings/{trainingId}',
    fn: 'trainings',
    auth: true,
    conditional: true,
    summary: '研修計画の研修を変更する（研修を総括する責任者）',
    provision: 'trainingPlan',
    params: trainingParams,
    body: updateTrainingSchema,
  },
  recordAttendance: {
    method: 'POST',
    path: '/trainings/{trainingId}/attendance',
    fn: 'trainings',
    auth: true,
    summary: '課の職員の受講を記録する（再受講を含む。未受講者が全員受講すると再受講のタスクを完了）',
    provision: 'trainingFollowUp',
    params: trainingParams,
    body: attendanceSchema,
  },
  importAttendance: {
    method: 'POST',
    path: '/trainings/{trainingId}/attendance/import',
    fn: 'trainings',
    auth: true,
    summary:
      'eラーニングの受講記録の CSV（UTF-8・Shift_JIS）から課の職員の受講を記録する（職員番号で照合。dryRun=true は各行の内容の確認のみ。誤りのある行があれば何も記録しない）',
    provision: 'trainingFollowUp',
    params: trainingParams,
    raw: { type: 'text/csv', maxBytes: importMaxBytes },
    query: z.object({
      department: departmentCodeSchema,
      dryRun: yesNo('dryRun', 'false'),
    }),
  },
  listNonAttendees: {
    method: 'GET',
    path: '/trainings/{trainingId}/non-attendees',
    fn: 'trainings',
    auth: true,
    summary: '課の研修の対象者のうち、まだ受講していない職員',
    provision: 'trainingFollowUp',
    params: trainingParams,
    query: z.object({ department: departmentCodeSchema.optional() }),
  },
});

export type Routes = typeof routes;
export type RouteId = keyof Routes;
export const routeList: readonly RouteDef[] = Object.values(routes);

/** A route that creates a resource (answers 201): it takes an `Idempotency-Key`. */
export function isCreate(r: Pick<RouteDef, 'method' | 'status'>): boolean {
  return r.method === 'POST' && r.status === 201;
}

/** The create routes a function serves. */
export type CreateRouteIdsOf<F extends FunctionName> = {
  [K in RouteIdsOf<F>]: Routes[K] extends { status: 201 } ? K : never;
}[RouteIdsOf<F>];

/** API Gateway's route key: `POST /plans/{planId}/approve`. */
export function routeKey(r: Pick<RouteDef, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

/** The route ids a function serves. */
export type RouteIdsOf<F extends FunctionName> = { [K in RouteId]: Routes[K]['fn'] extends F ? K : never }[RouteId];

/**
 * The API Gateway stage the API is served under: every route is at `/api<path>` of the
 * SPA's origin (CloudFront forwards `/api/*` to the HTTP API's stage `api`; locally the
 * gateway serves the same paths).
 */
export const apiStage = 'api';
