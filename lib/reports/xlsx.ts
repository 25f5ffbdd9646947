import type { Workbook, Worksheet } from 'exceljs';
import type { IncidentReport, IncidentReviewList, PlanReport } from '#lib/app/reports.js';
import {
  incidentColumns,
  incidentFormLabel,
  incidentLines,
  incidentRows,
  reviewListCounts,
  reviewListPurpose,
  reviewListTitle,
} from './incident-model.js';
import { type Row, findingColumns, findingLines, form4Rows, planFormName, reportTarget } from './model.js';

/**
 * The plan (001: 様式第4号) and, with results, the audit-result report; one 事案 with the
 * items of the PPC's 漏えい等報告; a 年度's 事案: as Excel workbooks.
 *
 * Every cell written here is a plain string (the models return strings): exceljs writes only
 * `{ formula }` objects as formulas, so what users typed, `=HYPERLINK(...)` included, stays
 * text. Do not pass objects from user input into addRow.
 */

const font = { name: 'Yu Gothic', size: 10.5 };
const thin = { style: 'thin' } as const;

async function workbook(at: Date): Promise<Workbook> {
  // Loaded on first use: exceljs is most of the reports bundle and only XLSX needs it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kansa';
  wb.created = at;
  return wb;
}

/** A sheet of label and value rows under a heading (the plan's form, the 事案's report). */
function formSheet(wb: Workbook, name: string, heading: string, subheadings: string[], rows: Row[]): Worksheet {
  const sheet = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1 } });
  sheet.columns = [{ width: 28 }, { width: 72 }];
  sheet.addRow([heading]).font = { ...font, size: 14, bold: true };
  for (const s of subheadings) sheet.addRow([s]).font = font;
  sheet.addRow([]);
  for (const [label, value] of rows) {
    const row = sheet.addRow([label, value]);
    row.font = font;
    row.alignment = { vertical: 'top', wrapText: true };
    row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F0F0' } };
    for (const c of [1, 2]) row.getCell(c).border = { top: thin, left: thin, bottom: thin, right: thin };
  }
  return sheet;
}

/** A sheet of one line per record under a header row that filters and stays in view, printed landscape. */
function listSheet<L extends { [K in keyof L]: string }>(
  wb: Workbook,
  name: string,
  columns: readonly [keyof L & string, string][],
  lines: L[],
  wide: readonly (keyof L)[],
  above: string[] = [],
): Worksheet {
  const sheet = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1 } });
  for (const s of above) sheet.addRow([s]).font = font;
  const header = sheet.addRow(columns.map(([, h]) => h));
  header.font = { ...font, bold: true };
  columns.forEach(([key], n) => (sheet.getColumn(n + 1).width = wide.includes(key) ? 40 : 16));
  for (const line of lines) {
    const row = sheet.addRow(columns.map(([key]) => line[key]));
    row.font = font;
    row.alignment = { vertical: 'top', wrapText: true };
  }
  sheet.autoFilter = { from: { row: header.number, column: 1 }, to: { row: header.number, column: columns.length } };
  sheet.views = [{ state: 'frozen', ySplit: header.number }];
  return sheet;
}

const buffer = async (wb: Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

export async function renderPlanXlsx(r: PlanReport, withResults: boolean): Promise<Buffer> {
  const wb = await workbook(r.at);
  // The plan's sheet is named after the regulation's form where it has one (001: 様式第4号).
  const formName = planFormName(r.profile.provisions);
  const form = formSheet(
    wb,
    formName ?? '監査計画書',
    formName ? `監査計画書（${formName}）` : '監査計画書',
    [`${r.profile.organisation}\u3000${r.profile.regulation}`],
    form4Rows(r),
  );
  if (withResults) {
    listSheet(wb, '監査結果', findingColumns, findingLines(r), ['observation', 'actions']);
    const to = reportTarget(r);
    if (to) form.addRow([to]).font = font;
  }
  return buffer(wb);
}

/** One 事案, a row per item of the PPC's 漏えい等報告, to copy into its form. */
export async function renderIncidentXlsx(r: IncidentReport): Promise<Buffer> {
  const wb = await workbook(r.at);
  formSheet(
    wb,
    '漏えい等報告',
    '漏えい等事案報告書',
    [incidentFormLabel(r), `${r.profile.organisation}\u3000${r.profile.regulation}`],
    incidentRows(r),
  );
  return buffer(wb);
}

/** A 年度's 事案, a line each, for the 評価及び見直し. */
export async function renderIncidentListXlsx(r: IncidentReviewList): Promise<Buffer> {
  const wb = await workbook(r.at);
  const above = [reviewListTitle(r), reviewListPurpose(r), `${r.profile.organisation}\u3000${r.profile.regulation}`, reviewListCounts(r)];
  listSheet(
    wb,
    '事案一覧',
    incidentColumns,
    incidentLines(r),
    ['summary', 'preliminary', 'final'],
    above.filter((s) => s !== ''),
  );
  return buffer(wb);
}
