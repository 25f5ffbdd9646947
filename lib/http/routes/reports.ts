import { entityTypes } from '#lib/domain/audit.js';
import { departmentCodeSchema, isoDateSchema } from '#lib/domain/plan.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { entityId, fiscalYearQuery, incidentParams, planParams } from './fields.js';

const reportFormat = z._default(z.enum(['html', 'xlsx'], { error: 'format は html か xlsx です。' }), 'html');

/** The routes of the reports function (監査計画書・監査結果報告書・事案・名簿・研修計画・監査証跡の出力). */
export const reportRoutes = defineRoutes('reports', {
  exportPlanForm: {
    method: 'GET',
    path: '/plans/{planId}/form4',
    auth: true,
    summary: '監査計画書を XLSX または印刷用 HTML で出力する',
    provision: 'planForm',
    params: planParams,
    query: z.object({ format: reportFormat }),
  },
  exportPlanResults: {
    method: 'GET',
    path: '/plans/{planId}/results',
    auth: true,
    summary:
      '監査結果報告書（監査範囲・課別の所見と改善措置）を XLSX または印刷用 HTML で出力する。appendix=training で、年度の研修の被監査部門別・研修別の受講状況（対象者数・受講者数・再受講・受講率、報告日（未報告は当日）現在）を付録として加える',
    provision: 'auditReport',
    params: planParams,
    query: z.object({
      format: reportFormat,
      appendix: z.optional(z.enum(['training'], { error: 'appendix は training です。' })),
    }),
  },
  exportIncidentReport: {
    method: 'GET',
    path: '/incidents/{incidentId}/report',
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
    auth: true,
    summary: '年度の事案一覧（評価及び見直しの資料）を XLSX または印刷用 HTML で出力する',
    provision: 'review',
    query: z.object({ fiscalYear: fiscalYearQuery, format: reportFormat }),
  },
  exportStaffForm1: {
    method: 'GET',
    path: '/staff/form1',
    auth: true,
    summary:
      '指定された担当者の一覧（個人単位: 部・課・氏名・役職・事務）を XLSX または印刷用 HTML で出力する。asOf の日（省略時は当日）現在。department を省略すると、全課の名簿を参照できる者は全課、それ以外は自分の課',
    provision: 'handlerDesignation',
    query: z.object({ department: z.optional(departmentCodeSchema), asOf: z.optional(isoDateSchema), format: reportFormat }),
  },
  exportStaffForm2: {
    method: 'GET',
    path: '/staff/form2',
    auth: true,
    summary:
      '指定された担当者の一覧（部署単位: 部・課・事務）を XLSX または印刷用 HTML で出力する。asOf の日（省略時は当日）現在。department を省略すると、全課の名簿を参照できる者は全課、それ以外は自分の課',
    provision: 'handlerDesignation',
    query: z.object({ department: z.optional(departmentCodeSchema), asOf: z.optional(isoDateSchema), format: reportFormat }),
  },
  exportTrainingForm3: {
    method: 'GET',
    path: '/trainings/form3',
    auth: true,
    summary: '年度の研修計画（実施時期・研修名・対象者・実施方法・備考）を XLSX または印刷用 HTML で出力する',
    provision: 'trainingPlan',
    query: z.object({ fiscalYear: fiscalYearQuery, format: reportFormat }),
  },
  exportAuditLog: {
    method: 'GET',
    path: '/audit-log/export',
    auth: true,
    summary: '対象の監査証跡を CSV で出力する',
    query: z.object({ entityType: z.enum(entityTypes), entityId }),
  },
});
