import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createFinding, updateFinding } from '#lib/app/findings.js';
import { handlerList, trainingPlanList } from '#lib/app/register-reports.js';
import { planReport } from '#lib/app/reports.js';
import { Conflict, InvalidInput, NotFound } from '#lib/domain/errors.js';
import { koka } from '#lib/profiles/koka.js';
import { kuki } from '#lib/profiles/kuki.js';
import { nara } from '#lib/profiles/nara.js';
import { renderForm1Html, renderForm2Html, renderForm3Html, renderPlanHtml } from '#lib/reports/html.js';
import { audienceLabel } from '#lib/domain/training.js';
import {
  completionLines,
  form1Heading,
  form1Lines,
  form2Heading,
  form2Lines,
  form3Heading,
  form3Lines,
} from '#lib/reports/register-model.js';
import { renderForm1Xlsx, renderForm2Xlsx, renderForm3Xlsx, renderPlanXlsx } from '#lib/reports/xlsx.js';
import { changeStaff, seedAttendance, seedStaff, seedTraining } from '#test/support/register-data.js';
import {
  type FakeDeps,
  chief,
  dxAuditor,
  fakeDeps,
  findingInput,
  kohoAuditor,
  lead,
  planInProgress,
  rejection,
  shiminHead,
  shiminManager,
  shiminStaff,
} from './fakes.js';

const person = (department: string, over: Record<string, unknown> = {}) => ({
  department,
  name: '郡山 太郎',
  title: '主事',
  kind: 'regular',
  handler: true,
  handlerDuties: '住民基本台帳事務',
  from: '2026-04-01',
  ...over,
});

/** 市民課: two handlers (one 派遣) and one who is not; 市民税課: one handler made so from 10月; DX戦略課: none. */
async function registers(d: FakeDeps) {
  const suzuki = await seedStaff(d, person('shimin', { name: '鈴木 一郎', title: '主査', employeeNumber: '200' }));
  const sato = await seedStaff(
    d,
    person('shimin', { name: '佐藤 花子', kind: 'dispatched', employeeNumber: '100', handlerDuties: '個人番号カード交付事務' }),
  );
  await seedStaff(d, person('shimin', { name: '高橋 次郎', handler: false, handlerDuties: null }));
  const later = await seedStaff(d, person('shiminzei', { name: '田中 三郎', handler: false, handlerDuties: null }));
  await changeStaff(d, later, { handler: true, handlerDuties: '個人住民税賦課事務', effectiveFrom: '2026-10-01' });
  await seedStaff(d, person('dx-senryaku', { name: '伊藤 四郎', handler: false, handlerDuties: null, systemAdmin: true }));
  return { suzuki, sato };
}

describe('様式第1号・第2号: the designated staff as of a date', () => {
  it('lists the handlers of each 課 by person, 課 in the organisation’s order, by 職員番号, with 部 and a 派遣 noted', async () => {
    const d = fakeDeps('2026-11-20T01:00:00Z');
    await registers(d);
    const list = await handlerList(d, lead, { asOf: '2026-11-20' });
    expect(form1Lines(list)).toEqual([
      {
        number: '1',
        division: '市民部',
        section: '市民課',
        name: '佐藤 花子',
        title: '主事',
        duties: '個人番号カード交付事務',
        note: '派遣労働者',
      },
      { number: '2', division: '市民部', section: '市民課', name: '鈴木 一郎', title: '主査', duties: '住民基本台帳事務', note: '' },
      { number: '3', division: '市民部', section: '市民税課', name: '田中 三郎', title: '主事', duties: '個人住民税賦課事務', note: '' },
    ]);
  });

  it('answers for a past date: before the change from 10月 the 市民税課 had no handler', async () => {
    const d = fakeDeps('2026-11-20T01:00:00Z');
    await registers(d);
    const list = await handlerList(d, lead, { department: 'shiminzei', asOf: '2026-09-30' });
    expect(form1Lines(list)).toEqual([]);
    expect(form2Lines(list)).toEqual([{ number: '1', division: '市民部', section: '市民税課', duties: '', note: '指定なし' }]);
  });

  it('by 課: one line per 課 and 事務, with how many handle it; a 課 with none says so', async () => {
    const d = fakeDeps('2026-11-20T01:00:00Z');
    await registers(d);
    await seedStaff(d, person('shimin', { name: '山本 五郎' }));
    const list = await handlerList(d, chief, {});
    expect(form2Lines(list).map((l) => [l.section, l.duties, l.note])).toEqual([
      ['政策開発課', '', '指定なし'],
      ['DX戦略課', '', '指定なし'],
      ['広報広聴課', '', '指定なし'],
      ['市民課', '個人番号カード交付事務', '1名'],
      ['市民課', '住民基本台帳事務', '2名'],
      ['市民税課', '個人住民税賦課事務', '1名'],
    ]);
  });

  it('dates the list in 和暦 (today, Japan time, when no date is asked for) on the regulation’s form', async () => {
    const d = fakeDeps('2026-11-19T16:00:00Z');
    const list = await handlerList(d, shiminManager, {});
    expect(list.asOf).toBe('2026-11-20');
    expect(form1Heading(list)).toEqual({
      form: '様式第1号（第8条関係）',
      title: '事務取扱担当者一覧（個人単位）',
      date: '令和8年11月20日',
      office: [],
      meta: [],
    });
    expect(form2Heading(list)).toMatchObject({ form: '様式第2号（第8条関係）', title: '事務取扱担当者一覧（部署単位）' });
  });

  it('a 課 reads its own register; another 課 is a 404; the 部長 reads the 課 of the 部; auditors of 第8条 every 課', async () => {
    const d = fakeDeps('2026-11-20T01:00:00Z');
    expect((await handlerList(d, shiminStaff, {})).sections.map((s) => s.department)).toEqual(['shimin']);
    expect(await rejection(handlerList(d, shiminManager, { department: 'shiminzei' }))).toBeInstanceOf(NotFound);
    expect(await rejection(handlerList(d, shiminManager, { department: 'no-such' }))).toBeInstanceOf(NotFound);
    expect((await handlerList(d, shiminHead, {})).sections.map((s) => s.department)).toEqual(['shimin', 'shiminzei']);
    expect((await handlerList(d, dxAuditor, {})).sections).toHaveLength(5);
    // The 広報広聴課長 audits 第11条, not 第8条: their own 課 only.
    expect((await handlerList(d, kohoAuditor, {})).sections.map((s) => s.department)).toEqual(['koho-kocho']);
  });

  it('under each profile the list takes its own term, without a form number where the regulation has none', async () => {
    const d = fakeDeps('2026-11-20T01:00:00Z');
    d.profile = nara;
    expect(form1Heading(await handlerList(d, lead, {}))).toMatchObject({
      form: '',
      title: '特定個人情報取扱担当者一覧（個人単位）',
      meta: ['根拠\u3000第2の5'],
    });
    d.profile = koka;
    expect(form2Heading(await handlerList(d, lead, {}))).toMatchObject({
      form: '',
      title: '事務取扱担当者一覧（部署単位）',
      meta: ['根拠\u3000第21条第1項'],
    });
    d.profile = kuki;
    const refused = await rejection(handlerList(d, lead, {}));
    expect(refused).toBeInstanceOf(Conflict);
    expect((refused as Conflict).code).toBe('handler-not-in-regulation');
    expect((refused as Conflict).message).toContain('久喜市');
  });
});

describe('様式第3号: the 年度’s training plan', () => {
  const session = (over: Record<string, unknown> = {}) => ({
    fiscalYear: 2026,
    name: '特定個人情報等の取扱い研修',
    timing: { from: '2026-06-01', to: '2026-06-30' },
    audience: ['allStaff'],
    method: 'elearning',
    ...over,
  });

  it('lists the sessions by first day with 和暦 timing and the audiences in the regulation’s words, under the chief’s 部 and 課', async () => {
    const d = fakeDeps('2026-05-10T01:00:00Z');
    await seedTraining(d, session({ name: '管理者研修', timing: { from: '2026-07-10', to: '2026-07-10' }, audience: ['managers'] }));
    await seedTraining(d, session({ audience: ['allStaff', 'handlers', 'systemAdmins'], method: 'classroom', note: '2回開催' }));
    const plan = await trainingPlanList(d, { ...chief, department: 'seisaku' }, 2026);
    expect(form3Lines(plan)).toEqual([
      {
        number: '1',
        timing: '令和8年6月1日〜令和8年6月30日',
        name: '特定個人情報等の取扱い研修',
        audience: '職員（派遣労働者を含む）、事務取扱担当者、情報システムの管理に関する事務に従事する職員',
        method: '集合研修',
        note: '2回開催',
      },
      { number: '2', timing: '令和8年7月10日', name: '管理者研修', audience: '保護管理者及び保護担当者', method: 'eラーニング', note: '' },
    ]);
    expect(form3Heading(plan)).toEqual({
      form: '様式第3号（第11条関係）',
      title: '令和8年度\u3000特定個人情報等に関する研修計画',
      date: '令和8年5月10日',
      office: ['部\u3000政策開発部', '課\u3000政策開発課'],
      meta: [],
    });
    // Anyone else prints the form with the office lines left to fill in.
    expect(form3Heading(await trainingPlanList(d, shiminStaff, 2026)).office).toEqual(['部\u3000', '課\u3000']);
  });

  it('names the audiences in each profile’s words and has no form number where there is none', async () => {
    expect(audienceLabel(nara, 'handlers')).toBe('特定個人情報取扱担当者');
    expect(audienceLabel(nara, 'managers')).toBe('特定個人情報保護責任者及び特定個人情報保護主任');
    const d = fakeDeps('2026-05-10T01:00:00Z');
    d.profile = kuki;
    expect(form3Heading(await trainingPlanList(d, chief, 2026))).toMatchObject({
      form: '',
      title: '令和8年度\u3000研修計画',
      meta: ['根拠\u3000運用上のルール'],
    });
  });
});

describe('what users typed stays inert in the forms', () => {
  const formula = '=HYPERLINK("http://x","開く")';
  const script = '<script>alert(1)</script>';

  async function typed(d: FakeDeps) {
    await seedStaff(d, person('shimin', { name: formula, title: script, handlerDuties: '@SUM(A1:A2)' }));
    await seedTraining(d, {
      fiscalYear: 2026,
      name: script,
      timing: { from: '2026-06-01', to: '2026-06-30' },
      audience: ['handlers'],
      method: 'video',
      note: formula,
    });
  }

  it('HTML escapes them', async () => {
    const d = fakeDeps('2026-11-20T01:00:00Z');
    await typed(d);
    const list = await handlerList(d, shiminManager, {});
    for (const html of [renderForm1Html(list), renderForm2Html(list), renderForm3Html(await trainingPlanList(d, chief, 2026))]) {
      expect(html).not.toContain('<script>');
      expect(html).toContain('<html lang="ja">');
      expect(html).toContain('@page { size: A4');
      expect(html).toContain('<p class="date">令和8年11月20日</p>');
    }
    expect(renderForm1Html(list)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(renderForm1Html(list)).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;開く&quot;)');
    expect(renderForm1Html(list)).toContain('<p class="form">様式第1号（第8条関係）</p>');
  });

  it('XLSX writes every cell as a string, Japanese intact, and no formula', async () => {
    const d = fakeDeps('2026-11-20T01:00:00Z');
    await typed(d);
    const list = await handlerList(d, shiminManager, {});
    const books = [await renderForm1Xlsx(list), await renderForm2Xlsx(list), await renderForm3Xlsx(await trainingPlanList(d, chief, 2026))];
    const values: string[] = [];
    for (const data of books) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(data as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0];
      expect(sheet?.pageSetup.paperSize).toBe(9);
      sheet?.eachRow((row) =>
        row.eachCell((cell) => {
          // The title spans the page: the cells it covers are the merge's, holding nothing of their own.
          if (cell.type === ExcelJS.ValueType.Merge) return;
          expect(cell.formula).toBeFalsy();
          expect(cell.type).toBe(ExcelJS.ValueType.String);
          values.push(cell.value as string);
        }),
      );
    }
    expect(values).toEqual(expect.arrayContaining([formula, script, '@SUM(A1:A2)', '様式第1号（第8条関係）', '様式第3号（第11条関係）']));
    expect(values).toEqual(
      expect.arrayContaining(['番号', '部', '課', '氏名', '役職', '事務', '備考', '令和8年11月20日', '市民部', '市民課']),
    );
    expect(values).toEqual(
      expect.arrayContaining(['事務取扱担当者一覧（個人単位）', '事務取扱担当者一覧（部署単位）', '実施時期', '対象者']),
    );
  });
});

describe('links from audits: a finding cites the register or a session’s attendance', () => {
  it('only on the article of the rule: the register on 第8条, attendance on 第11条; else a 400 naming the article', async () => {
    const d = fakeDeps('2026-11-20T01:00:00Z');
    const plan = await planInProgress(d);
    const register = { type: 'staffRegister', department: 'shimin', asOf: '2026-11-20' } as const;
    const off = await rejection(createFinding(d, dxAuditor, plan.planId, findingInput({ record: register })));
    expect(off).toBeInstanceOf(InvalidInput);
    expect((off as InvalidInput).message).toBe('職員名簿を引用できるのは第8条の監査所見のみです（この監査所見は第17条の2）。');
    const onIt = await createFinding(d, dxAuditor, plan.planId, findingInput({ article: '第8条', record: register }));
    expect(onIt.record).toEqual(register);

    const training = await seedTraining(d, {
      fiscalYear: 2026,
      name: '取扱担当者研修',
      timing: { from: '2026-06-01', to: '2026-06-30' },
      audience: ['handlers'],
      method: 'classroom',
    });
    const attendance = { type: 'trainingAttendance', trainingId: training.trainingId, department: 'shimin', asOf: '2026-11-20' } as const;
    const wrong = await rejection(createFinding(d, dxAuditor, plan.planId, findingInput({ article: '第8条', record: attendance })));
    expect((wrong as InvalidInput).message).toBe('研修の受講状況を引用できるのは第11条の監査所見のみです（この監査所見は第8条）。');
    const cited = await createFinding(d, dxAuditor, plan.planId, findingInput({ article: '第11条第5項', record: attendance }));
    expect(cited.record).toEqual(attendance);

    const unknown = await rejection(
      createFinding(
        d,
        dxAuditor,
        plan.planId,
        findingInput({ article: '第11条第1項', record: { ...attendance, trainingId: '01KANSA0000000000000000ZZZ' } }),
      ),
    );
    expect((unknown as InvalidInput).code).toBe('training-not-found');
    const elsewhere = await rejection(
      createFinding(d, dxAuditor, plan.planId, findingInput({ article: '第8条', record: { ...register, department: 'shiminzei' } })),
    );
    expect((elsewhere as InvalidInput).code).toBe('record-department');

    // Moving a finding that cites the register off 第8条 is refused; taking the record off lets it move.
    const moved = await rejection(updateFinding(d, dxAuditor, onIt.findingId, { article: '第9条' }, {}));
    expect((moved as InvalidInput).code).toBe('record-not-on-article');
    const freed = await updateFinding(d, dxAuditor, onIt.findingId, { article: '第9条', record: null }, {});
    expect(freed.record).toBeUndefined();
  });

  it('the audit-result report names the cited records and, asked for, appends the completion of the 年度’s training by 課', async () => {
    const d = fakeDeps('2026-11-20T01:00:00Z');
    const { suzuki, sato } = await registers(d);
    const plan = await planInProgress(d);
    const training = await seedTraining(d, {
      fiscalYear: 2026,
      name: '取扱担当者研修',
      timing: { from: '2026-06-01', to: '2026-06-30' },
      audience: ['handlers'],
      method: 'classroom',
    });
    await seedAttendance(d, training, 'shimin', [suzuki.staffId], '2026-06-10');
    await seedAttendance(d, training, 'shimin', [sato.staffId], '2026-08-01');
    await createFinding(
      d,
      dxAuditor,
      plan.planId,
      findingInput({
        article: '第11条第5項',
        record: { type: 'trainingAttendance', trainingId: training.trainingId, department: 'shimin', asOf: '2026-11-20' },
      }),
    );
    const report = await planReport(d, lead, plan.planId, true, 'training');
    expect(report.appendix?.asOf).toBe('2026-11-20');
    // 課 in the organisation's order; 市民税課's handler was designated from 10月: the audience is the register on the session's last day.
    expect(completionLines(report.appendix!, report.organisation)).toEqual([
      { section: 'DX戦略課', training: '取扱担当者研修', audience: '0', attended: '0', retaken: '0', rate: '—' },
      { section: '市民課', training: '取扱担当者研修', audience: '2', attended: '2', retaken: '1', rate: '100.0%' },
      { section: '市民税課', training: '取扱担当者研修', audience: '0', attended: '0', retaken: '0', rate: '—' },
    ]);
    const html = renderPlanHtml(report, true);
    expect(html).toContain('付録\u3000令和8年度の研修の受講状況（令和8年11月20日現在）');
    expect(html).toContain('研修「取扱担当者研修」の受講状況（市民課、令和8年11月20日現在）');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderPlanXlsx(report, true)) as unknown as ArrayBuffer);
    expect(JSON.stringify(wb.getWorksheet('研修の受講状況')?.getSheetValues())).toContain('100.0%');
    // Without asking, there is no appendix.
    expect((await planReport(d, lead, plan.planId, true)).appendix).toBeUndefined();
  });
});
