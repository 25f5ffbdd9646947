import { planReport, trailForExport } from '#lib/app/reports.js';
import { renderTrailCsv } from '#lib/reports/csv.js';
import { renderPlanHtml } from '#lib/reports/html.js';
import { renderPlanXlsx } from '#lib/reports/xlsx.js';
import type { PlanReport } from '#lib/app/reports.js';
import { type Operations, type Result, httpApi } from '../stack.js';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function planDocument(report: PlanReport, format: 'html' | 'xlsx', withResults: boolean, name: string): Promise<Result> {
  const fileName = `${name}_${report.plan.fiscalYear}年度_${report.plan.planId}.${format}`;
  if (format === 'xlsx') return { body: null, file: { contentType: xlsxType, fileName, data: await renderPlanXlsx(report, withResults) } };
  return { body: null, file: { contentType: 'text/html; charset=utf-8', data: renderPlanHtml(report, withResults) } };
}

/** HTTP → the documents people ask for: 様式第4号, the audit-result report, a trail as CSV. */
export const reportOperations: Operations<'reports'> = {
  exportPlanForm: async (r, d) => planDocument(await planReport(d, r.actor, r.params.planId, false), r.query.format, false, '監査計画書'),
  exportPlanResults: async (r, d) =>
    planDocument(await planReport(d, r.actor, r.params.planId, true), r.query.format, true, '監査結果報告書'),
  exportAuditLog: async (r, d) => ({
    body: null,
    file: {
      contentType: 'text/csv; charset=utf-8',
      fileName: `監査証跡_${r.query.entityType}_${r.query.entityId}.csv`,
      data: renderTrailCsv(await trailForExport(d, r.actor, r.query.entityType, r.query.entityId)),
    },
  }),
};

/** The reports function: its routes' operations. */
export const api = httpApi('reports', reportOperations);
