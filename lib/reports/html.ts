import type { IncidentReport, IncidentReviewList, PlanReport } from '#lib/app/reports.js';
import type { HandlerList, TrainingPlanList } from '#lib/app/register-reports.js';
import { jstDateTime } from '#lib/domain/calendar.js';
import {
  incidentColumns,
  incidentFormLabel,
  incidentLines,
  incidentRows,
  reviewListCounts,
  reviewListPurpose,
  reviewListTitle,
} from './incident-model.js';
import { type Row, findingColumns, findingLines, form4Rows, planFormLabel, reportTarget } from './model.js';
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
 * Printable HTML (A4, Japanese fonts) of the plan (001: 様式第4号) and, with results, the
 * audit-result report; of one 事案 with the items of the PPC's 漏えい等報告; and of a 年度's 事案.
 */

const escape = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
    .replace(/\n/g, '<br>');

const style = `
  @page { size: A4; margin: 18mm 15mm; }
  body { font-family: "Noto Serif JP", "Hiragino Mincho ProN", "Yu Mincho", "YuMincho", "MS Mincho", serif; color: #111; font-size: 10.5pt; line-height: 1.6; }
  h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
  .form { text-align: left; font-size: 10pt; }
  .meta { text-align: right; font-size: 9pt; color: #333; }
  table { width: 100%; border-collapse: collapse; margin: 4mm 0; page-break-inside: auto; }
  th, td { border: 1px solid #333; padding: 2mm 3mm; vertical-align: top; text-align: left; }
  th { background: #f0f0f0; width: 28%; font-weight: normal; }
  tr { page-break-inside: avoid; }
  .results th { width: auto; }
  @media print { .noprint { display: none; } }
  .date { text-align: right; margin: 0 0 2mm; }
  .office { margin: 0 0 4mm; }
  .numbered td:first-child, .numbered th:first-child { width: 8mm; text-align: center; }
  .numbered th { text-align: center; }
`;

/** A list printed across the page (A4 landscape). */
const landscape = '\n  @page { size: A4 landscape; }\n';

interface Page {
  title: string;
  /** The form or rule the document is laid out by, above the title; '' for none. */
  form: string;
  /** Lines under the organisation and the time it was made. */
  meta: string[];
  /** The body, already HTML. */
  body: string;
  at: Date;
  profile: PlanReport['profile'];
  landscape?: boolean;
  /** HTML between the form and the title (a form's date and issuing office). */
  above?: string;
}

function page(p: Page): string {
  const meta = [
    `${p.profile.organisation}\u3000${p.profile.regulation}`,
    `作成 ${jstDateTime(p.at)}（日本時間）`,
    ...p.meta.filter((m) => m !== ''),
  ];
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>${escape(p.title)}</title><style>${style}${p.landscape ? landscape : ''}</style></head>
<body>
${p.form ? `<p class="form">${escape(p.form)}</p>\n` : ''}${p.above ?? ''}<h1>${escape(p.title)}</h1>
<p class="meta">${meta.map(escape).join('<br>')}</p>
${p.body}
</body></html>`;
}

/** Label and value, one row each. */
const rowTable = (rows: Row[]) =>
  `<table>${rows.map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n')}</table>`;

/** One line per record under a header of columns. */
function listTable<L extends { [K in keyof L]: string }>(columns: readonly [keyof L & string, string][], lines: L[]): string {
  return `<table class="results"><thead><tr>${columns.map(([, l]) => `<th scope="col">${escape(l)}</th>`).join('')}</tr></thead>
<tbody>${lines.map((line) => `<tr>${columns.map(([k]) => `<td>${escape(line[k])}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;
}

export function renderPlanHtml(r: PlanReport, withResults: boolean): string {
  // The plan is printed on the regulation's form where it has one (001: 様式第4号（第26条関係）); the report names whom it goes to.
  const appendix =
    withResults && r.appendix
      ? `\n<h2>${escape(completionTitle(r.appendix))}</h2>\n${listTable(completionColumns, completionLines(r.appendix, r.organisation))}`
      : '';
  const results = withResults ? `<h2>監査所見及び改善措置</h2>\n${listTable(findingColumns, findingLines(r))}${appendix}` : '';
  return page({
    title: withResults ? '監査結果報告書' : '監査計画書',
    form: withResults ? '' : planFormLabel(r.profile.provisions),
    meta: withResults ? [reportTarget(r)] : [],
    body: `${rowTable(form4Rows(r))}\n${results}`,
    at: r.at,
    profile: r.profile,
  });
}

/** One 事案, item by item as the PPC's 漏えい等報告 asks for them. */
export function renderIncidentHtml(r: IncidentReport): string {
  return page({
    title: '漏えい等事案報告書',
    form: incidentFormLabel(r),
    meta: [],
    body: rowTable(incidentRows(r)),
    at: r.at,
    profile: r.profile,
  });
}

/** A 年度's 事案, one per line, for the 評価及び見直し. */
export function renderIncidentListHtml(r: IncidentReviewList): string {
  return page({
    title: reviewListTitle(r),
    form: reviewListPurpose(r),
    meta: [reviewListCounts(r)],
    body: listTable(incidentColumns, incidentLines(r)),
    at: r.at,
    profile: r.profile,
    landscape: true,
  });
}

/**
 * A list laid out as the regulation's forms are (001 様式第1号–第3号): the form top left, the date
 * the list is as of top right in 和暦, the issuing office, the title, then the numbered lines.
 */
function formPage<L extends { [K in keyof L]: string }>(
  h: Heading,
  columns: readonly [keyof L & string, string][],
  lines: L[],
  r: { at: Date; profile: PlanReport['profile'] },
): string {
  const office = h.office.length > 0 ? `<p class="office">${h.office.map(escape).join('<br>')}</p>\n` : '';
  const table = listTable(columns, lines).replace('<table class="results">', '<table class="results numbered">');
  return page({
    title: h.title,
    form: h.form,
    meta: h.meta,
    body: table,
    at: r.at,
    profile: r.profile,
    above: `<p class="date">${escape(h.date)}</p>\n${office}`,
  });
}

/** The designated staff by person (001: 様式第1号). */
export function renderForm1Html(r: HandlerList): string {
  return formPage(form1Heading(r), form1Columns, form1Lines(r), r);
}

/** The designated staff by 課 and 事務 (001: 様式第2号). */
export function renderForm2Html(r: HandlerList): string {
  return formPage(form2Heading(r), form2Columns, form2Lines(r), r);
}

/** The 年度's training plan (001: 様式第3号). */
export function renderForm3Html(r: TrainingPlanList): string {
  return formPage(form3Heading(r), form3Columns, form3Lines(r), r);
}
