import type { PlanReport } from '#lib/app/reports.js';
import { jstDateTime } from '#lib/domain/calendar.js';
import { findingColumns, findingLines, form4Rows, planFormLabel, reportTarget } from './model.js';

/** Printable HTML (A4, Japanese fonts) of the plan (001: 様式第4号) and, with results, the audit-result report. */

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
`;

export function renderPlanHtml(r: PlanReport, withResults: boolean): string {
  const title = withResults ? '監査結果報告書' : '監査計画書';
  // The plan is printed on the regulation's form where it has one (001: 様式第4号（第26条関係）); the report names whom it goes to.
  const form = withResults ? '' : planFormLabel(r.profile.provisions);
  const to = withResults ? reportTarget(r) : '';
  const rows = form4Rows(r)
    .map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td>${escape(v)}</td></tr>`)
    .join('\n');
  const results = withResults
    ? `<h2>監査所見及び改善措置</h2>
<table class="results"><thead><tr>${findingColumns.map(([, l]) => `<th scope="col">${escape(l)}</th>`).join('')}</tr></thead>
<tbody>${findingLines(r)
        .map((f) => `<tr>${findingColumns.map(([k]) => `<td>${escape(f[k])}</td>`).join('')}</tr>`)
        .join('\n')}</tbody></table>`
    : '';
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${style}</style></head>
<body>
${form ? `<p class="form">${escape(form)}</p>\n` : ''}<h1>${escape(title)}</h1>
<p class="meta">${escape(r.profile.organisation)}\u3000${escape(r.profile.regulation)}<br>作成 ${escape(jstDateTime(r.at))}（日本時間）${to ? `<br>${escape(to)}` : ''}</p>
<table>${rows}</table>
${results}
</body></html>`;
}
