import type { Workbook, Worksheet } from 'exceljs';
import type { IncidentReport, IncidentReviewList, PlanReport } from '#lib/app/reports.js';
import type { HandlerList, TrainingPlanList } from '#lib/app/register-reports.js';
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
import {
  type Heading,
  completionColumns,
  completionLines,
  completionTitle,
  form1Columns,
  form1Heading,
  form1Lines,
  form2Columns,
  form2Heading,
  form2Lines,
  form3Columns,
  form3Heading,
  form3Lines,
} from './register-model.js';

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
  // Loaded on first use from a file of its own (functionSpecs.reports.chunks): exceljs is 1.7 MB and only XLSX needs it.
  const { default: ExcelJS } = await import('#lib/reports/exceljs.js');
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
    listSheet(wb, '監査結果', findingColumns, findingLines(r), ['observation', 'actions', 'record']);
    if (r.appendix)
      listSheet(
        wb,
        '研修の受講状況',
        completionColumns,
        completionLines(r.appendix, r.organisation),
        ['training'],
        [completionTitle(r.appendix)],
      );
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

/**
 * A list laid out as the regulation's forms are (001 様式第1号–第3号): the form top left, the date
 * top right, the issuing office, the title across the page, then the numbered lines under a
 * bordered header, printed on A4 (portrait, one page wide).
 */
function formListSheet<L extends { [K in keyof L]: string }>(
  wb: Workbook,
  name: string,
  h: Heading,
  columns: readonly [keyof L & string, string][],
  lines: L[],
  wide: readonly (keyof L)[],
): Worksheet {
  const sheet = wb.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  columns.forEach(([key], n) => (sheet.getColumn(n + 1).width = key === 'number' ? 6 : wide.includes(key) ? 36 : 16));
  const last = columns.length;
  if (h.form) sheet.addRow([h.form]).font = font;
  const date = sheet.addRow([]);
  date.getCell(last).value = h.date;
  date.getCell(last).alignment = { horizontal: 'right' };
  date.font = font;
  for (const o of h.office) sheet.addRow([o]).font = font;
  sheet.addRow([]);
  const title = sheet.addRow([h.title]);
  title.font = { ...font, size: 14, bold: true };
  sheet.mergeCells(title.number, 1, title.number, last);
  title.getCell(1).alignment = { horizontal: 'center' };
  for (const m of h.meta) sheet.addRow([m]).font = font;
  sheet.addRow([]);
  const header = sheet.addRow(columns.map(([, label]) => label));
  header.font = font;
  header.alignment = { horizontal: 'center' };
  const boxed = (row: ReturnType<Worksheet['addRow']>) => {
    for (let c = 1; c <= last; c++) row.getCell(c).border = { top: thin, left: thin, bottom: thin, right: thin };
  };
  boxed(header);
  for (let c = 1; c <= last; c++) header.getCell(c).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F0F0' } };
  for (const line of lines) {
    const row = sheet.addRow(columns.map(([key]) => line[key]));
    row.font = font;
    row.alignment = { vertical: 'top', wrapText: true };
    boxed(row);
  }
  // The header repeats on every printed page.
  sheet.pageSetup.printTitlesRow = `${header.number}:${header.number}`;
  return sheet;
}

/** The designated staff by person (001: 様式第1号). */
export async function renderForm1Xlsx(r: HandlerList): Promise<Buffer> {
  const wb = await workbook(r.at);
  const h = form1Heading(r);
  formListSheet(wb, r.profile.staff.forms?.byPerson ?? '個人単位', h, form1Columns, form1Lines(r), ['duties']);
  return buffer(wb);
}

/** The designated staff by 課 and 事務 (001: 様式第2号). */
export async function renderForm2Xlsx(r: HandlerList): Promise<Buffer> {
  const wb = await workbook(r.at);
  formListSheet(wb, r.profile.staff.forms?.bySection ?? '部署単位', form2Heading(r), form2Columns, form2Lines(r), ['duties']);
  return buffer(wb);
}

/** The 年度's training plan (001: 様式第3号). */
export async function renderForm3Xlsx(r: TrainingPlanList): Promise<Buffer> {
  const wb = await workbook(r.at);
  formListSheet(wb, r.profile.training.form ?? '研修計画', form3Heading(r), form3Columns, form3Lines(r), ['name', 'note']);
  return buffer(wb);
}
