import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createFinding } from '#lib/app/findings.js';
import { planReport } from '#lib/app/reports.js';
import type { AuditEvent } from '#lib/domain/audit.js';
import { renderTrailCsv } from '#lib/reports/csv.js';
import { renderPlanXlsx } from '#lib/reports/xlsx.js';
import { dxAuditor, fakeDeps, findingInput, lead, planInProgress } from './fakes.js';

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  eventId: '01KANSA0000000000000000001',
  entityType: 'plan',
  entityId: 'p',
  action: 'plan.returned',
  actor: { sub: 'vice-mayor', name: '郡山 一郎', roles: ['chiefManager'], department: 'vice-mayor-office' },
  at: '2026-11-20T01:00:00.000Z',
  version: 3,
  before: { status: 'submitted' },
  after: { status: 'returned' },
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
  ...over,
});

describe('audit trail CSV (RFC 4180, UTF-8 with BOM)', () => {
  it('quotes fields with commas, quotes and line breaks, and writes JSON for before/after', () => {
    const csv = renderTrailCsv([event({ reason: '範囲を見直し、"委託先"を含めること\n次回まで' })]);
    expect(csv.startsWith('\uFEFF日時,操作,利用者ID,氏名,役割,所属,版,理由,変更前,変更後,ハッシュ,直前のハッシュ\r\n')).toBe(true);
    expect(csv).toContain('"範囲を見直し、""委託先""を含めること\n次回まで"');
    expect(csv).toContain('"{""status"":""submitted""}"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

/** A CSV line split into fields (RFC 4180: quoted fields may hold commas, quotes, line breaks). */
function fieldsOf(line: string): string[] {
  const out: string[] = [];
  const re = /(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/gy;
  for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line))
    out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? ''));
  return out;
}

describe('audit trail CSV is inert in a spreadsheet (OWASP CSV injection, ASVS 5.0 V1.2.10)', () => {
  const cases: [string, string, string][] = [
    ['=', '=HYPERLINK("http://x","開く")', `"'=HYPERLINK(""http://x"",""開く"")"`],
    ['+', '+1+2', "'+1+2"],
    ['-', '-2+3', "'-2+3"],
    ['@', '@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['tab', '\t=1+1', "'\t=1+1"],
    ['carriage return', '\r=1+1', `"'\r=1+1"`],
  ];
  it.each(cases)('a cell beginning with %s gets a leading quote, then the usual quoting', (_, reason, written) => {
    const csv = renderTrailCsv([event({ reason })]);
    const line = csv.replace(/^\uFEFF/, '').split('\r\n')[1] ?? '';
    expect(line.split(',').slice(0, 7).join(',')).toBe(
      '2026-11-20T01:00:00.000Z,plan.returned,vice-mayor,郡山 一郎,chiefManager,vice-mayor-office,3',
    );
    expect(csv).toContain(`,3,${written},"{`);
  });

  it('every column is neutralised, not only the reason, and a formula sign later in a cell is left alone', () => {
    const csv = renderTrailCsv([
      event({
        actor: { sub: '@evil', name: '=1+1', roles: ['chiefManager'], department: '-x' },
        reason: '金額 =1+1 の記載',
        after: '+plain' as never,
      }),
    ]);
    const cells = fieldsOf(csv.replace(/^\uFEFF/, '').split('\r\n')[1] ?? '');
    expect(cells[2]).toBe("'@evil");
    expect(cells[3]).toBe("'=1+1");
    expect(cells[5]).toBe("'-x");
    expect(cells[7]).toBe('金額 =1+1 の記載');
    expect(cells[8]).toBe('{"status":"submitted"}');
    expect(cells[9]).toBe("'+plain");
    for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('XLSX writes what users typed as text, never as a formula', () => {
  it('formula-like plan and finding text stays a plain string cell', async () => {
    const deps = fakeDeps();
    const formulas = ['=HYPERLINK("http://x","開く")', '+1+2', '-2+3', '@SUM(A1:A2)', '=1+1'];
    const plan = await planInProgress(deps, { purpose: formulas[0], scope: formulas[1] });
    await createFinding(
      deps,
      dxAuditor,
      plan.planId,
      findingInput({ title: formulas[2], observation: formulas[3], recommendation: formulas[4] }),
    );
    const report = await planReport(deps, lead, plan.planId, true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderPlanXlsx(report, true)) as unknown as ArrayBuffer);
    const seen: string[] = [];
    for (const sheet of wb.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeFalsy();
          if (typeof cell.value === 'string' && formulas.includes(cell.value)) {
            expect(cell.type).toBe(ExcelJS.ValueType.String);
            seen.push(cell.value);
          }
        }),
      );
    }
    expect(new Set(seen)).toEqual(new Set(formulas));
  });
});
