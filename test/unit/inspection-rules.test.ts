import { describe, expect, it } from 'vitest';
import type { DutyRun } from '#lib/app/duty-units.js';
import { dutyWork } from '#lib/app/duty-work.js';
import { reviewInspection, submitInspection, updateInspection } from '#lib/app/inspections.js';
import { Conflict, Forbidden, InvalidInput } from '#lib/domain/errors.js';
import {
  type Inspection,
  assertReviewable,
  inspectedSections,
  jointInspectors,
  reportOnSubmit,
  reviewInspectionSchema,
  sectionOfPost,
  submitInspectionSchema,
} from '#lib/domain/inspection.js';
import type { Organisation } from '#lib/domain/organisation.js';
import { decide } from '#lib/domain/permissions.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { nara } from '#lib/profiles/nara.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import { type FakeDeps, actor, chief, fakeDeps, organisation, shiminManager } from './fakes.js';

/**
 * 点検 as each regulation writes it: the report to the chief 必要があると認めるとき (001 第27条,
 * 002 第10の2, 004 第43条), 003's joint 点検 of the 総括責任者 and the 事務取扱責任者 with its
 * 見直し (第30条), and the 課 its 別表 decides.
 */

const caught = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
};

describe('the report to the chief on submission', () => {
  it.each([
    [koriyama, '（第27条）', '総括保護管理者'],
    [nara, '（第10の2）', '特定個人情報保護総括責任者'],
    [kuki, '（第43条）', '総括保護管理者'],
  ] as const)('%#: the judgment is required, in the regulation’s words, with a reason when a report is made', (profile, cited, title) => {
    const missing = caught(() => reportOnSubmit(profile, {})) as InvalidInput;
    expect(missing).toBeInstanceOf(InvalidInput);
    expect(missing.message).toContain(cited);
    expect(missing.message).toContain(title);
    expect(missing.errors.map((e) => e.path)).toEqual(['reportToChief']);
    const noReason = caught(() =>
      reportOnSubmit(profile, submitInspectionSchema.parse({ reportToChief: { needed: true } })),
    ) as InvalidInput;
    expect(noReason.errors.map((e) => e.path)).toEqual(['reportToChief.reason']);
    expect(noReason.message).toContain(cited);
    expect(reportOnSubmit(profile, submitInspectionSchema.parse({ reportToChief: { needed: false } }))).toEqual({
      needed: false,
      reason: '',
    });
    expect(reportOnSubmit(profile, { reportToChief: { needed: true, reason: ' 施錠の不備 '.trim() } })).toEqual({
      needed: true,
      reason: '施錠の不備',
    });
  });

  it('003 has no such report (its 総括責任者 inspects jointly): the field is refused, its absence is fine', () => {
    expect(reportOnSubmit(koka, {})).toBeUndefined();
    const refused = caught(() => reportOnSubmit(koka, { reportToChief: { needed: false, reason: '' } })) as InvalidInput;
    expect(refused).toBeInstanceOf(InvalidInput);
    expect(refused.message).toContain('総括責任者');
    expect(refused.message).not.toMatch(/第\d+条/);
  });

  it('the body is strict and the reason bounded', () => {
    expect(submitInspectionSchema.safeParse({ report: true }).success).toBe(false);
    expect(submitInspectionSchema.safeParse({ reportToChief: { needed: 'yes' } }).success).toBe(false);
    expect(submitInspectionSchema.safeParse({ reportToChief: { needed: true, reason: 'あ'.repeat(501) } }).success).toBe(false);
  });
});

describe('the 見直し', () => {
  it('changing the 安全管理措置 needs what changes; keeping them needs nothing', () => {
    const r = reviewInspectionSchema.safeParse({ changes: true, measures: ' ' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['measures']);
    expect(reviewInspectionSchema.parse({ changes: false })).toEqual({ changes: false, measures: '' });
    expect(reviewInspectionSchema.safeParse({ changes: false, measures: '', extra: 1 }).success).toBe(false);
  });

  it('only a submitted 点検 that is joint or was reported awaits it, once', () => {
    expect(() => assertReviewable({ status: 'open', jointWith: 'chiefManager' })).toThrow(Conflict);
    expect(() => assertReviewable({ status: 'reviewed', jointWith: 'chiefManager' })).toThrow(Conflict);
    expect(() => assertReviewable({ status: 'submitted', report: { needed: false, reason: '' } })).toThrow(Conflict);
    expect(() => assertReviewable({ status: 'submitted' })).toThrow(Conflict);
    expect(() => assertReviewable({ status: 'submitted', jointWith: 'chiefManager' })).not.toThrow();
    expect(() => assertReviewable({ status: 'submitted', report: { needed: true, reason: '不備' } })).not.toThrow();
  });

  it('separation of duties: not by whoever filled in or submitted the 点検, whatever roles they hold', () => {
    const both = actor('both', ['chiefManager', 'sectionManager'], 'somu');
    const submitted = decide(both, 'inspection:review', { type: 'inspectionReview', inspection: { submittedBy: 'both' } }, koka);
    expect(submitted).toMatchObject({ allowed: false, reason: expect.stringContaining('職務の分離') });
    const edited = decide(
      both,
      'inspection:review',
      { type: 'inspectionReview', inspection: { submittedBy: 'x', lastEditedBy: 'both' } },
      koka,
    );
    expect(edited.allowed).toBe(false);
    expect(
      decide(chief, 'inspection:review', { type: 'inspectionReview', inspection: { submittedBy: 'x', lastEditedBy: 'x' } }, koka).allowed,
    ).toBe(true);
  });
});

describe('003 別表: which 課 are inspected', () => {
  const withSomu: Organisation = {
    departments: [
      ...organisation.departments,
      { code: 'somu-bu', name: '総務部', division: 'somu-bu' },
      { code: 'somu', name: '総務課', division: 'somu-bu' },
    ],
  };

  it('the table is the text’s: row 1 whole, row 2 cut off after its 特定個人情報等の範囲', () => {
    const [one, two] = koka.inspections?.affairs ?? [];
    expect(one).toMatchObject({ row: 1, staff: '総務課総務係及び出納係', manager: '総務課長' });
    expect(one?.items).toHaveLength(9);
    expect(two).toMatchObject({ row: 2, information: '支払先の氏名、住所及び個人番号' });
    expect(two?.manager).toBeUndefined();
    expect(two?.staff).toBeUndefined();
    for (const p of [koriyama, nara, kuki]) expect(p.inspections).toBeUndefined();
  });

  it('a 事務取扱責任者 names the 課 by its 課長; the rows that name none, or a 課 the organisation lacks, are reported', () => {
    expect(sectionOfPost('総務課長')).toBe('総務課');
    expect(sectionOfPost('事務局長')).toBeUndefined();
    const rows = koka.inspections?.affairs ?? [];
    const found = inspectedSections(withSomu, rows);
    expect(found.sections).toEqual([
      {
        department: 'somu',
        affairs: [
          {
            row: 1,
            affair: '職員、その扶養親族等及び第3号被保険者に関する事務',
            information: '職員の氏名、住所及び個人番号並びにその扶養親族等の氏名及び個人番号',
          },
        ],
      },
    ]);
    expect(found.unmatched).toEqual([expect.stringContaining('別表の2')]);
    const lacking = inspectedSections(organisation, rows);
    expect(lacking.sections).toEqual([]);
    expect(lacking.unmatched).toEqual([expect.stringContaining('総務課長'), expect.stringContaining('別表の2')]);
  });

  it('the joint 点検 is named as the text names its owners', () => {
    expect(jointInspectors(koka, 'chiefManager', 'sectionManager')).toBe('総括責任者及び事務取扱責任者');
  });
});

function runOf(deps: FakeDeps, period: string, today: string): DutyRun {
  const definition = deps.profile.duties.find((d) => d.duty === 'section-inspection');
  if (!definition) throw new Error('no section-inspection');
  return { duty: 'section-inspection', definition, period, instant: `${today}T00:00:00+09:00`, today };
}

function depsUnder(profile: RegulationProfile, org: Organisation = organisation): FakeDeps {
  const deps = fakeDeps('2027-04-01T00:00:00Z');
  deps.profile = profile;
  deps.organisation = org;
  return deps;
}

const inspections = (deps: FakeDeps) => [...deps.store.inspectionsById.values()];

describe('the duty and the use cases under each profile', () => {
  it('001: every 課, no owners named, the task cites 第27条; a report opens the chief’s task, closed by the 見直し', async () => {
    const deps = depsUnder(koriyama);
    const result = await dutyWork['section-inspection'](deps, runOf(deps, 'FY2027-Q1', '2027-04-01'));
    expect(result.created).toBe(organisation.departments.filter((d) => d.code !== d.division).length);
    const shimin = inspections(deps).find((i) => i.department === 'shimin') as Inspection;
    expect(shimin).not.toHaveProperty('conductedBy');
    expect(shimin).not.toHaveProperty('affairs');
    const own = await deps.tasks.get(shimin.taskId);
    expect(own?.title).toBe('市民課 令和9年度第1四半期の点検（第27条）');

    const answers = shimin.checklist.map((_, index) => ({ index, result: 'ok' as const, note: '' }));
    await updateInspection(deps, shiminManager, shimin.inspectionId, { answers }, {});
    const submitted = await submitInspection(
      deps,
      shiminManager,
      shimin.inspectionId,
      { reportToChief: { needed: true, reason: '施錠の不備' } },
      {},
    );
    expect(submitted).toMatchObject({ status: 'submitted', report: { needed: true, reason: '施錠の不備' } });
    const chiefTask = await deps.tasks.get(submitted.reviewTaskId as string);
    expect(chiefTask).toMatchObject({ assignee: { role: 'chiefManager' }, source: '第27条', status: 'open' });
    expect(chiefTask?.title).toBe('市民課 令和9年度第1四半期の点検結果の報告（第27条）');
    await expect(reviewInspection(deps, shiminManager, shimin.inspectionId, { changes: false, measures: '' }, {})).rejects.toThrow(
      Forbidden,
    );
    const reviewed = await reviewInspection(deps, chief, shimin.inspectionId, { changes: true, measures: '鍵の管理簿を作る' }, {});
    expect(reviewed).toMatchObject({ status: 'reviewed', review: { changes: true, measures: '鍵の管理簿を作る', reviewedBy: chief.sub } });
    expect((await deps.tasks.get(chiefTask?.taskId as string))?.status).toBe('done');
  });

  it('003 without a 総務課: no 点検 at all, and no crash', async () => {
    const deps = depsUnder(koka);
    const result = await dutyWork['section-inspection'](deps, runOf(deps, 'FY2027', '2027-04-01'));
    expect(result).toMatchObject({ created: 0, events: [] });
  });

  it('003 with a 総務課: one joint 点検 naming its owners and its 事務; the 見直し completes it', async () => {
    const org: Organisation = {
      departments: [...organisation.departments, { code: 'somu', name: '総務課', division: 'seisaku-bu' }],
    };
    const deps = depsUnder(koka, org);
    expect((await dutyWork['section-inspection'](deps, runOf(deps, 'FY2027', '2027-04-01'))).created).toBe(1);
    const [only] = inspections(deps);
    expect(only).toMatchObject({
      department: 'somu',
      source: '第30条',
      jointWith: 'chiefManager',
      conductedBy: '総括責任者及び事務取扱責任者',
      affairs: [{ row: 1, affair: '職員、その扶養親族等及び第3号被保険者に関する事務' }],
    });
    expect((await deps.tasks.get(only?.taskId as string))?.title).toBe('総務課 令和9年度の点検（総括責任者及び事務取扱責任者、第30条）');
    const manager = actor('somu-kacho', ['sectionManager'], 'somu');
    const answers = (only as Inspection).checklist.map((_, index) => ({ index, result: 'ok' as const, note: '' }));
    await updateInspection(deps, manager, (only as Inspection).inspectionId, { answers }, {});
    const submitted = await submitInspection(deps, manager, (only as Inspection).inspectionId, {}, {});
    expect(submitted.status).toBe('submitted');
    expect(submitted).not.toHaveProperty('report');
    const review = await deps.tasks.get(submitted.reviewTaskId as string);
    expect(review).toMatchObject({ assignee: { role: 'chiefManager' }, source: '第30条' });
    expect(review?.title).toBe('総務課 令和9年度の点検を踏まえた安全管理措置の見直し（第30条）');
    const done = await reviewInspection(deps, chief, submitted.inspectionId, { changes: false, measures: '' }, {});
    expect(done.status).toBe('reviewed');
  });
});
