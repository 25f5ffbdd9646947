import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type IncidentReport, type IncidentReviewList, incidentReport, incidentReviewList } from '#lib/app/reports.js';
import { Forbidden, NotFound } from '#lib/domain/errors.js';
import {
  noFlags,
  type CreateIncidentInput,
  type Incident,
  closeIncident,
  contain,
  escalate,
  investigate,
  recordNotice,
  recordPpcReport,
  recordPrevention,
} from '#lib/domain/incident.js';
import { newIncident } from '#lib/domain/incident-assessment.js';
import { cite } from '#lib/domain/provisions.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { nara } from '#lib/profiles/nara.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import { renderIncidentHtml, renderIncidentListHtml } from '#lib/reports/html.js';
import { incidentRows } from '#lib/reports/incident-model.js';
import { renderIncidentListXlsx, renderIncidentXlsx } from '#lib/reports/xlsx.js';
import { actor, chief, fakeDeps, kohoAuditor, lead, organisation, shiminManager, zeiManager } from './fakes.js';

const id = (n: number) => `01KANSA00000000000000000${String(n).padStart(2, '0')}`;

const input = (over: Partial<CreateIncidentInput> = {}): CreateIncidentInput => ({
  department: 'shimin',
  discoveredAt: '2026-12-01T10:30:00+09:00',
  summary: '住民票の写しを別人に誤送付した',
  category: 'leak',
  records: {
    items: ['氏名', '住所', '生年月日'],
    subjects: 101,
    ...noFlags,
  },
  ...over,
});

const at = (iso: string) => new Date(iso);

/** A 事案 of 101 people taken through every step of 001's chain, with the 速報 and 確報 filed. */
function closedIncident(profile: RegulationProfile = koriyama): Incident {
  const chain = profile.incidents;
  let i = newIncident(id(1), input(), chain, 'kaikei-staff', at('2026-12-01T02:00:00Z'));
  i = contain(i, { measures: '誤送付先に連絡し回収した' }, 'shimin-manager', at('2026-12-01T05:00:00Z'));
  i = escalate(i, { reason: '100人を超える' }, 'policy-director', at('2026-12-01T06:00:00Z'));
  i = recordPpcReport(
    i,
    { stage: 'preliminary', submittedAt: '2026-12-02T09:00:00+09:00', reference: 'PPC-2026-0001' },
    'policy-director',
    at('2026-12-02T01:00:00Z'),
  );
  i = investigate(
    i,
    { findings: '封入時の確認漏れ', cause: '二重確認の手順がなかった', secondaryHarm: '二次被害は確認されていない' },
    'shimin-manager',
    at('2026-12-03T01:00:00Z'),
  );
  i = recordNotice(
    i,
    { kind: 'subjects', at: '2026-12-04T10:00:00+09:00', note: '対象者に書面で通知' },
    'policy-director',
    at('2026-12-04T02:00:00Z'),
  );
  i = recordNotice(i, { kind: 'publication', at: '2026-12-05T10:00:00+09:00' }, 'vice-mayor', at('2026-12-05T02:00:00Z'));
  i = recordPrevention(
    i,
    { measures: '封入時の二重確認を義務化', cause: '確認手順の不備', shareWith: ['shiminzei'] },
    'shimin-manager',
    at('2026-12-10T01:00:00Z'),
    new Set(organisation.departments.map((d) => d.code)),
  );
  i = recordPpcReport(
    i,
    { stage: 'final', submittedAt: '2026-12-20T09:00:00+09:00', reference: 'PPC-2026-0002' },
    'policy-director',
    at('2026-12-20T01:00:00Z'),
  );
  return closeIncident(i, { comment: '再発防止策の共有を確認' }, 'vice-mayor', at('2026-12-25T01:00:00Z'));
}

const report = (incident: Incident, profile: RegulationProfile = koriyama): IncidentReport => ({
  incident,
  organisation,
  profile,
  at: at('2026-12-26T00:00:00Z'),
});

const value = (r: IncidentReport, label: string) => incidentRows(r).find(([l]) => l.trim().startsWith(label))?.[1];

async function cellsOf(data: Buffer): Promise<ExcelJS.Cell[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const cells: ExcelJS.Cell[] = [];
  wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => void cells.push(c))));
  return cells;
}

describe('one 事案 laid out with the items of the PPC’s 漏えい等報告', () => {
  it('gives the nine items in the order of the 規則, under the heading that cites it', () => {
    const r = report(closedIncident());
    const labels = incidentRows(r).map(([l]) => l);
    const items = labels.filter((l) => /^\(\d\)/.test(l));
    expect(items).toEqual([
      '(1) 概要',
      '(2) 漏えい等が発生し、又は発生したおそれがある保有個人情報の項目',
      '(3) 漏えい等が発生し、又は発生したおそれがある保有個人情報に係る本人の数',
      '(4) 原因',
      '(5) 二次被害又はそのおそれの有無及びその内容',
      '(6) 本人への対応の実施状況',
      '(7) 公表の実施状況',
      '(8) 再発防止のための措置',
      '(9) その他参考となる事項',
    ]);
    const html = renderIncidentHtml(r);
    expect(html).toContain(
      '<p class="form">個人情報保護委員会への漏えい等報告の記載事項（施行規則第44条第1項各号、特定個人情報漏えい等規則第3条第1項各号）</p>',
    );
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('<html lang="ja">');
  });

  it('fills each item from the 事案: summary, category, the day learned, 課, items, people, causes, harm, notices, measures', () => {
    const r = report(closedIncident());
    expect(value(r, '(1) 概要')).toBe('住民票の写しを別人に誤送付した');
    expect(value(r, '事態の区分')).toBe('漏えい');
    expect(value(r, '発覚日時')).toBe('2026-12-01 10:30（令和8年12月1日）');
    expect(value(r, '事態を知った日')).toBe('2026-12-01（令和8年12月1日）（期限の1日目）');
    expect(value(r, '所管課')).toBe('市民課');
    expect(value(r, '委託先')).toBe('なし');
    expect(value(r, '(2)')).toBe('氏名、住所、生年月日');
    expect(value(r, '(3)')).toBe('101人');
    expect(value(r, '(4) 原因')).toBe('二重確認の手順がなかった\n確認手順の不備');
    expect(value(r, '(5)')).toBe('二次被害は確認されていない');
    expect(value(r, '(6)')).toBe('実施 2026-12-04 10:00（令和8年12月4日）\n対象者に書面で通知\n記録 policy-director（2026-12-04）');
    expect(value(r, '(7)')).toBe('実施 2026-12-05 10:00（令和8年12月5日）\n記録 vice-mayor（2026-12-05）');
    expect(value(r, '(8)')).toBe('封入時の二重確認を義務化\n記録 shimin-manager（2026-12-10）\n共有先（第23条第5項）\n市民税課: 未確認');
  });

  it('その他 holds the assessment with its sources, both reports with their numbers, containment, escalation, 首長 and 情報提供', () => {
    const r = report(closedIncident());
    expect(value(r, '個人情報保護委員会への報告の要否（第24条）')).toBe(
      '要\n・本人の数が100人を超える保有個人情報の漏えい等（施行規則第43条第4号）',
    );
    expect(value(r, '本人への通知の要否')).toBe('要（上記の事態に該当）');
    expect(value(r, '速報')).toBe(
      '報告 2026-12-02 09:00（令和8年12月2日）\n受付番号 PPC-2026-0001\n期限 2026-12-05（令和8年12月5日）\n記録 policy-director（2026-12-02）',
    );
    expect(value(r, '確報')).toContain('受付番号 PPC-2026-0002\n期限 2027-01-04（令和9年1月4日）');
    expect(value(r, '期限の根拠')).toBe(
      [koriyama.incidents.clock.preliminarySource, koriyama.incidents.clock.finalSource, koriyama.incidents.clock.closedDaysSource].join(
        '\n',
      ),
    );
    expect(value(r, '被害拡大防止の措置（第23条第2項）')).toBe('誤送付先に連絡し回収した\n記録 shimin-manager（2026-12-01）');
    expect(value(r, '特に重大な事案としての総括保護管理者への報告（第23条第3項）')).toBe(
      '100人を超える\n記録 policy-director（2026-12-01）',
    );
    expect(value(r, '首長への報告（第23条第4項）')).toBe('未実施');
    expect(value(r, '個人情報保護委員会への情報提供（第25条第2項）')).toBe('未実施');
    expect(value(r, '完了（運用上のルール）')).toBe('再発防止策の共有を確認\n記録 vice-mayor（2026-12-25）');
  });

  it('a 事案 just reported: nothing recorded yet, no report due, the contractor named', () => {
    const i = newIncident(
      id(2),
      input({ records: { ...input().records, subjects: 3 }, contractorId: id(9) }),
      koriyama.incidents,
      'kaikei-staff',
      at('2026-12-01T02:00:00Z'),
    );
    const r = { ...report(i), contractor: { contractorId: id(9), name: '株式会社郡山印刷' } };
    expect(value(r, '(3)')).toBe('3人');
    expect(value(r, '委託先')).toBe('株式会社郡山印刷');
    expect(value(r, '(4)')).toBe('（未記録）');
    expect(value(r, '(6)')).toBe('未実施');
    expect(value(r, '個人情報保護委員会への報告の要否')).toBe('否（報告を要する事態に該当しない）');
    expect(value(r, '速報')).toBe('報告を要しない');
    expect(value(r, '期限の根拠')).toBeUndefined();
    expect(value(r, '特に重大な事案')).toBe('なし');
    expect(value(r, '完了')).toBeUndefined();
  });

  it('本人の数 not yet known shows as 不明, and the 事案 counts as over 100 until it is', () => {
    const i = newIncident(
      id(3),
      input({ records: { ...input().records, subjects: null } }),
      koriyama.incidents,
      'k',
      at('2026-12-01T02:00:00Z'),
    );
    const r = report(i);
    expect(value(r, '(3)')).toBe('不明');
    expect(i.assessment.reportToPPC).toBe(true);
  });

  it('an open deadline shows as 未報告 with its date; a 確報 filed first stands for the 速報', () => {
    const i = newIncident(
      id(3),
      input({ records: { ...input().records, wrongfulPurpose: true } }),
      koriyama.incidents,
      'x',
      at('2026-12-01T02:00:00Z'),
    );
    expect(value(report(i), '速報')).toBe('未報告（期限 2026-12-05（令和8年12月5日））');
    expect(value(report(i), '(6)')).toBe('未実施（本人への通知を要する事案）');
    const filed = recordPpcReport(i, { stage: 'final', submittedAt: '2026-12-03T09:00:00+09:00' }, 'd', at('2026-12-03T01:00:00Z'));
    expect(value(report(filed), '速報')).toBe('確報をもって報告\n期限 2026-12-05（令和8年12月5日）');
  });

  it.each([
    ['002', nara, '（第9の2）', false, false],
    ['003', koka, '（第29条第1号）', true, false],
    ['004', kuki, '（第39条第2項）', true, true],
  ] as const)(
    'under %s every heading cites that profile, and only the notices its regulation has appear',
    (_, profile, containment, mayor, information) => {
      const r = report(closedIncident(profile), profile);
      expect(value(r, `被害拡大防止の措置${containment}`)).toBeDefined();
      expect(value(r, '個人情報保護委員会への報告の要否')).toBeDefined();
      expect(
        incidentRows(r).some(([l]) => l.includes('個人情報保護委員会への報告の要否') && l.endsWith(cite(profile.provisions, 'ppcReport'))),
      ).toBe(true);
      expect(value(r, '首長への報告') !== undefined).toBe(mayor);
      expect(value(r, '個人情報保護委員会への情報提供') !== undefined).toBe(information);
    },
  );

  it('the XLSX has a row per item, every cell a string, and a summary beginning with = + - @ stays inert text', async () => {
    for (const summary of ['=HYPERLINK("http://x","開く")', '+1+2', '-2+3', '@SUM(A1:A2)']) {
      const i = { ...closedIncident(), summary };
      const cells = await cellsOf(await renderIncidentXlsx(report(i)));
      expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
      for (const c of cells) expect(c.formula).toBeFalsy();
      const label = cells.find((c) => c.value === '(1) 概要');
      expect(label).toBeDefined();
      const cell = label?.worksheet.getRow(Number(label.row)).getCell(2);
      expect(cell?.value).toBe(summary);
      expect(cell?.type).toBe(ExcelJS.ValueType.String);
    }
  });

  it('the XLSX sheet holds the heading, and each label beside its value', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderIncidentXlsx(report(closedIncident()))) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('漏えい等報告');
    expect(sheet?.getCell('A1').value).toBe('漏えい等事案報告書');
    expect(sheet?.getCell('A2').value).toBe(
      '個人情報保護委員会への漏えい等報告の記載事項（施行規則第44条第1項各号、特定個人情報漏えい等規則第3条第1項各号）',
    );
    const rows = new Map<string, unknown>();
    sheet?.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(rows.get('(3) 漏えい等が発生し、又は発生したおそれがある保有個人情報に係る本人の数')).toBe('101人');
    expect(rows.get('\u3000所管課')).toBe('市民課');
  });

  it('HTML escapes what users wrote', () => {
    const html = renderIncidentHtml(report({ ...closedIncident(), summary: '<script>alert(1)</script>\n2行目' }));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br>2行目');
    expect(html).not.toContain('<script>');
  });
});

describe('a 年度 list of 事案 for the 評価及び見直し', () => {
  const list = (incidents: Incident[], profile: RegulationProfile = koriyama): IncidentReviewList => ({
    fiscalYear: 2026,
    incidents,
    organisation,
    profile,
    at: at('2027-04-10T00:00:00Z'),
  });
  const reported = newIncident(
    id(4),
    input({
      department: 'shiminzei',
      discoveredAt: '2026-06-01T09:00:00+09:00',
      summary: '=1+1',
      category: 'loss',
      records: { ...input().records, subjects: 3 },
    }),
    koriyama.incidents,
    'x',
    at('2026-06-01T01:00:00Z'),
  );

  it('one line per 事案, oldest first, with its 課, 区分, people, whether the PPC needs a report, both reports, state and day closed', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderIncidentListXlsx(list([closedIncident(), reported]))) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('事案一覧');
    const values = (n: number) => (sheet?.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['2026年度（令和8年度）\u3000事案一覧']);
    expect(values(2)).toEqual(['評価及び見直しの資料（第28条）']);
    expect(values(4)).toEqual(['件数 2件（うち個人情報保護委員会への報告を要するもの 1件、未完了 1件）']);
    expect(values(5)).toEqual(['発覚日', '課', '概要', '区分', '本人の数', 'PPC報告の要否', '速報', '確報', '状況', '完了日']);
    expect(values(6)).toEqual(['2026-06-01', '市民税課', '=1+1', '滅失', '3人', '否', '—', '—', '報告受付', '']);
    expect(values(7)).toEqual([
      '2026-12-01',
      '市民課',
      '住民票の写しを別人に誤送付した',
      '漏えい',
      '101人',
      '要',
      '2026-12-02 報告',
      '2026-12-20 報告',
      '完了',
      '2026-12-25',
    ]);
    expect(sheet?.getRow(6).getCell(3).type).toBe(ExcelJS.ValueType.String);
    const cells = await cellsOf(await renderIncidentListXlsx(list([closedIncident(), reported])));
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
  });

  it('printable HTML, landscape, citing the review article of each profile', () => {
    const html = renderIncidentListHtml(list([reported]));
    expect(html).toContain('@page { size: A4 landscape; }');
    expect(html).toContain('<p class="form">評価及び見直しの資料（第28条）</p>');
    expect(html).toContain('<h1>2026年度（令和8年度）\u3000事案一覧</h1>');
    expect(html).toContain('<td>—</td>');
    expect(renderIncidentListHtml(list([], kuki))).toContain('評価及び見直しの資料（第44条）');
    expect(renderIncidentListHtml(list([], nara))).toContain('評価及び見直しの資料（第10の3）');
    expect(renderIncidentListHtml(list([], koka))).toContain('件数 0件');
  });

  it('an open deadline shows in the list as its date, not yet filed', () => {
    const open = newIncident(id(5), input(), koriyama.incidents, 'x', at('2026-12-01T02:00:00Z'));
    const html = renderIncidentListHtml(list([open]));
    expect(html).toContain('<td>期限 2026-12-05（未報告）</td><td>期限 2027-01-04（未報告）</td>');
  });
});

describe('who gets the documents', () => {
  const contractorId = id(9);
  function depsWith(...incidents: Incident[]) {
    const deps = fakeDeps('2027-01-10T00:00:00Z');
    for (const i of incidents) deps.store.incidentsById.set(i.incidentId, i);
    deps.store.contractorsById.set(contractorId, {
      contractorId,
      name: '株式会社郡山印刷',
      department: 'shimin',
      handles: '通知書の印刷・封入',
      contractFrom: '2026-04-01',
      contractTo: '2027-03-31',
      version: 1,
      createdBy: 'shimin-kacho',
      createdAt: '2026-04-01T00:00:00Z',
      updatedAt: '2026-04-01T00:00:00Z',
    });
    return deps;
  }
  /** The 会計年度任用職員 who reported it, with no role. */
  const reporter = actor('kaikei-staff', [], 'shimin');
  const withContractor = { ...closedIncident(), contractorId };

  it('a 事案 is reported to whoever reads it, the 委託先 by name to those who read the 課’s 委託先, by id to its reporter', async () => {
    const deps = depsWith(withContractor);
    const seen = await incidentReport(deps, shiminManager, withContractor.incidentId);
    expect(seen.contractor).toEqual({ contractorId, name: '株式会社郡山印刷' });
    expect(value(seen, '委託先')).toBe('株式会社郡山印刷');
    const own = await incidentReport(deps, reporter, withContractor.incidentId);
    expect(own.contractor).toBeUndefined();
    expect(value(own, '委託先')).toBe(`委託先ID ${contractorId}`);
  });

  it('an id the caller may not see, or none at all, is a 404', async () => {
    const deps = depsWith(withContractor);
    await expect(incidentReport(deps, actor('other', ['sectionManager'], 'koho-kocho'), withContractor.incidentId)).rejects.toThrow(
      NotFound,
    );
    await expect(incidentReport(deps, actor('rinji-staff', [], 'shimin'), withContractor.incidentId)).rejects.toThrow(NotFound);
    await expect(incidentReport(deps, chief, id(42))).rejects.toThrow(NotFound);
  });

  it('the 年度 list: every 課’s 事案 of that 年度 for the chief, the deputy and the auditors; a 課’s roles are refused', async () => {
    const other = newIncident(
      id(6),
      input({ discoveredAt: '2027-04-02T09:00:00+09:00' }),
      koriyama.incidents,
      'x',
      at('2027-04-02T00:00:00Z'),
    );
    const deps = depsWith(closedIncident(), other);
    for (const who of [chief, lead, kohoAuditor]) {
      const list = await incidentReviewList(deps, who, 2026);
      expect(list.incidents.map((i) => i.incidentId)).toEqual([id(1)]);
    }
    expect((await incidentReviewList(deps, chief, 2027)).incidents.map((i) => i.incidentId)).toEqual([id(6)]);
    for (const who of [shiminManager, zeiManager, reporter]) await expect(incidentReviewList(deps, who, 2026)).rejects.toThrow(Forbidden);
  });
});
