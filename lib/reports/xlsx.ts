import type { PlanReport } from '#lib/app/reports.js';
import { findingColumns, findingLines, form4Rows, planFormName, reportTarget } from './model.js';

/** The plan (001: 様式第4号) and, with results, the audit-result report, as an Excel workbook. */
export async function renderPlanXlsx(r: PlanReport, withResults: boolean): Promise<Buffer> {
  // Loaded on first use: exceljs is most of the reports bundle and only XLSX needs it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kansa';
  wb.created = r.at;
  const font = { name: 'Yu Gothic', size: 10.5 };
  // Every cell below is a plain string (form4Rows and findingLines return strings): exceljs
  // writes only `{ formula }` objects as formulas, so what users typed, `=HYPERLINK(...)`
  // included, stays text. Do not pass objects from user input into addRow.

  // The plan's sheet is named after the regulation's form where it has one (001: 様式第4号).
  const formName = planFormName(r.profile.provisions);
  const form = wb.addWorksheet(formName ?? '監査計画書', {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1 },
  });
  form.columns = [{ width: 28 }, { width: 72 }];
  form.addRow([formName ? `監査計画書（${formName}）` : '監査計画書']).font = { ...font, size: 14, bold: true };
  form.addRow([`${r.profile.organisation}\u3000${r.profile.regulation}`]).font = font;
  form.addRow([]);
  for (const [label, value] of form4Rows(r)) {
    const row = form.addRow([label, value]);
    row.font = font;
    row.alignment = { vertical: 'top', wrapText: true };
    row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F0F0' } };
    for (const c of [1, 2])
      row.getCell(c).border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
  }

  if (withResults) {
    const sheet = wb.addWorksheet('監査結果', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1 } });
    sheet.columns = findingColumns.map(([key, header]) => ({ key, header, width: key === 'observation' || key === 'actions' ? 40 : 16 }));
    sheet.getRow(1).font = { ...font, bold: true };
    const to = reportTarget(r);
    if (to) form.addRow([to]).font = font;
    for (const line of findingLines(r)) {
      const row = sheet.addRow(line);
      row.font = font;
      row.alignment = { vertical: 'top', wrapText: true };
    }
    sheet.autoFilter = { from: 'A1', to: { row: 1, column: findingColumns.length } };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
