import { incidentReport, incidentReviewList, planReport, trailForExport } from '#lib/app/reports.js';
import { type HandlerList, handlerList, trainingPlanList } from '#lib/app/register-reports.js';
import { renderForm1Html, renderForm2Html, renderForm3Html } from '#lib/reports/html.js';
import { renderForm1Xlsx, renderForm2Xlsx, renderForm3Xlsx } from '#lib/reports/xlsx.js';
import { form1Heading, form2Heading, form3Heading } from '#lib/reports/register-model.js';
import { renderTrailCsv } from '#lib/reports/csv.js';
import { renderIncidentHtml, renderIncidentListHtml, renderPlanHtml } from '#lib/reports/html.js';
import { renderIncidentListXlsx, renderIncidentXlsx, renderPlanXlsx } from '#lib/reports/xlsx.js';
import type { PlanReport } from '#lib/app/reports.js';
import { departmentName } from '#lib/domain/organisation.js';
import { type Operations, type Result, httpApi } from '../stack.js';
import { reportRoutes } from '../routes/reports.js';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Format = 'html' | 'xlsx';

/** A document in the format asked for: a workbook as a named attachment, or a page to print. */
async function document(format: Format, name: string, html: () => string, xlsx: () => Promise<Buffer>): Promise<Result> {
  if (format === 'xlsx') return { body: null, file: { contentType: xlsxType, fileName: `${name}.xlsx`, data: await xlsx() } };
  return { body: null, file: { contentType: 'text/html; charset=utf-8', data: html() } };
}

const planDocument = (report: PlanReport, format: Format, withResults: boolean, name: string): Promise<Result> =>
  document(
    format,
    `${name}_${report.plan.fiscalYear}年度_${report.plan.planId}`,
    () => renderPlanHtml(report, withResults),
    () => renderPlanXlsx(report, withResults),
  );

/** 「_市民課」 for one 課, '' for several. */
const sectionPart = (list: HandlerList) =>
  list.sections.length === 1 && list.sections[0] ? `_${departmentName(list.organisation, list.sections[0].department)}` : '';

/** HTTP → the documents people ask for: 様式第4号, the audit-result report, a 事案's report, the 年度's 事案, a trail as CSV. */
export const reportOperations: Operations<'reports'> = {
  exportPlanForm: async (r, d) => planDocument(await planReport(d, r.actor, r.params.planId, false), r.query.format, false, '監査計画書'),
  exportPlanResults: async (r, d) =>
    planDocument(await planReport(d, r.actor, r.params.planId, true, r.query.appendix), r.query.format, true, '監査結果報告書'),
  exportIncidentReport: async (r, d) => {
    const report = await incidentReport(d, r.actor, r.params.incidentId);
    return document(
      r.query.format,
      `漏えい等事案報告書_${report.incident.fiscalYear}年度_${report.incident.incidentId}`,
      () => renderIncidentHtml(report),
      () => renderIncidentXlsx(report),
    );
  },
  exportIncidentReviewList: async (r, d) => {
    const list = await incidentReviewList(d, r.actor, r.query.fiscalYear);
    return document(
      r.query.format,
      `事案一覧_${list.fiscalYear}年度`,
      () => renderIncidentListHtml(list),
      () => renderIncidentListXlsx(list),
    );
  },
  exportStaffForm1: async (r, d) => {
    const list = await handlerList(d, r.actor, r.query);
    return document(
      r.query.format,
      `${form1Heading(list).title}${sectionPart(list)}_${list.asOf}`,
      () => renderForm1Html(list),
      () => renderForm1Xlsx(list),
    );
  },
  exportStaffForm2: async (r, d) => {
    const list = await handlerList(d, r.actor, r.query);
    return document(
      r.query.format,
      `${form2Heading(list).title}${sectionPart(list)}_${list.asOf}`,
      () => renderForm2Html(list),
      () => renderForm2Xlsx(list),
    );
  },
  exportTrainingForm3: async (r, d) => {
    const plan = await trainingPlanList(d, r.actor, r.query.fiscalYear);
    return document(
      r.query.format,
      `研修計画_${plan.fiscalYear}年度${form3Heading(plan).form ? `_${d.profile.training.form}` : ''}`,
      () => renderForm3Html(plan),
      () => renderForm3Xlsx(plan),
    );
  },
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
export const api = httpApi(reportRoutes, reportOperations);
