import { describe, expect, it } from 'vitest';
import type { DutyRun } from '#lib/app/duty-units.js';
import { dutyWork } from '#lib/app/duty-work.js';
import { reviewInspection, submitInspection, updateInspection } from '#lib/app/inspections.js';
import { Conflict, Forbidden, InvalidInput } from '#lib/domain/errors.js';
import {
  type Inspection,
  NoSectionInspected,
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

  it('a joint 点検’s 見直し is recorded by its jointWith role even after filling it in (003 第30条: both 点検し…見直す)', () => {
    const both = actor('both', ['chiefManager', 'sectionManager'], 'somu');
    const joint = { submittedBy: 'both', lastEditedBy: 'both', jointWith: 'chiefManager' as const };
    expect(decide(both, 'inspection:review', { type: 'inspectionReview', inspection: joint }, koka).allowed).toBe(true);
    expect(
      decide(chief, 'inspection:review', { type: 'inspectionReview', inspection: { ...joint, lastEditedBy: chief.sub } }, koka),
    ).toEqual({
      allowed: true,
    });
    // Not the 事務取扱責任者 alone: the record is the chief's.
    const manager = actor('m', ['sectionManager'], 'somu');
    expect(decide(manager, 'inspection:review', { type: 'inspectionReview', inspection: joint }, koka).allowed).toBe(false);
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
    // Announced after the commit, as the duties announce theirs.
    expect(deps.events.published.at(-1)).toEqual({
      type: 'TaskCreated',
      detail: expect.objectContaining({ taskId: chiefTask?.taskId, kind: 'inspection', assignee: { role: 'chiefManager' } }),
    });
    await expect(reviewInspection(deps, shiminManager, shimin.inspectionId, { changes: false, measures: '' }, {})).rejects.toThrow(
      Forbidden,
    );
    const reviewed = await reviewInspection(deps, chief, shimin.inspectionId, { changes: true, measures: '鍵の管理簿を作る' }, {});
    expect(reviewed).toMatchObject({ status: 'reviewed', review: { changes: true, measures: '鍵の管理簿を作る', reviewedBy: chief.sub } });
    expect((await deps.tasks.get(chiefTask?.taskId as string))?.status).toBe('done');
  });

  it('003 without a 総務課: the run fails, naming the 別表 rows and the organisation’s 課, and opens nothing', async () => {
    const deps = depsUnder(koka);
    const run = dutyWork['section-inspection'](deps, runOf(deps, 'FY2027', '2027-04-01'));
    await expect(run).rejects.toBeInstanceOf(NoSectionInspected);
    const message = ((await run.catch((e: unknown) => e)) as Error).message;
    expect(message).toContain('別表の1: 総務課長');
    expect(message).toContain('別表の2: 事務取扱責任者の定めなし');
    expect(message).toContain('市民課');
    expect(message).toMatch(/^点検する課がありません。/);
    expect(inspections(deps)).toEqual([]);
    expect(deps.store.tasksById.size).toBe(0);
  });

  it('003 with a 総務課: one joint 点検 naming its owners and its 事務, both owners’ tasks opened with it and announced; both fill it in; the 見直し completes it', async () => {
    const org: Organisation = {
      departments: [...organisation.departments, { code: 'somu', name: '総務課', division: 'seisaku-bu' }],
    };
    const deps = depsUnder(koka, org);
    const result = await dutyWork['section-inspection'](deps, runOf(deps, 'FY2027', '2027-04-01'));
    expect(result.created).toBe(1);
    const [only] = inspections(deps) as [Inspection];
    expect(only).toMatchObject({
      department: 'somu',
      source: '第30条',
      jointWith: 'chiefManager',
      conductedBy: '総括責任者及び事務取扱責任者',
      affairs: [{ row: 1, affair: '職員、その扶養親族等及び第3号被保険者に関する事務' }],
    });
    expect((await deps.tasks.get(only.taskId))?.title).toBe('総務課 令和9年度の点検（総括責任者及び事務取扱責任者、第30条）');
    // The 総括責任者's task comes with the 点検: they inspect with the 課, then record the 見直し.
    const chiefTask = await deps.tasks.get(only.reviewTaskId as string);
    expect(chiefTask).toMatchObject({
      status: 'open',
      assignee: { role: 'chiefManager' },
      source: '第30条',
      subject: { type: 'inspection', id: only.inspectionId },
      dueDate: '2028-03-31',
    });
    expect(chiefTask?.title).toBe('総務課 令和9年度の点検及び安全管理措置の見直し（総括責任者及び事務取扱責任者、第30条）');
    expect(result.events.map((e) => e.detail.taskId)).toEqual([only.taskId, only.reviewTaskId]);

    // Both owners fill it in; someone else does not.
    const manager = actor('somu-kacho', ['sectionManager'], 'somu');
    const deputy = actor('deputy', ['deputyManager'], 'somu');
    const answers = only.checklist.map((_, index) => ({ index, result: 'ok' as const, note: '' }));
    await expect(updateInspection(deps, deputy, only.inspectionId, { answers }, {})).rejects.toThrow(Forbidden);
    const byChief = await updateInspection(deps, chief, only.inspectionId, { answers: answers.slice(0, 1) }, {});
    expect(byChief.lastEditedBy).toBe(chief.sub);
    await updateInspection(deps, manager, only.inspectionId, { answers }, {});
    await updateInspection(deps, chief, only.inspectionId, { answers: [{ index: 0, result: 'ok', note: '確認済み' }] }, {});
    // The submission is the 事務取扱責任者's; it opens no second task for the chief.
    await expect(submitInspection(deps, chief, only.inspectionId, {}, {})).rejects.toThrow(Forbidden);
    const published = deps.events.published.length;
    const submitted = await submitInspection(deps, manager, only.inspectionId, {}, {});
    expect(submitted).toMatchObject({ status: 'submitted', reviewTaskId: only.reviewTaskId });
    expect(submitted).not.toHaveProperty('report');
    expect(deps.events.published.length).toBe(published);
    expect((await deps.tasks.get(only.taskId))?.status).toBe('done');
    expect((await deps.tasks.get(only.reviewTaskId as string))?.status).toBe('open');
    // The 見直し is the 総括責任者's, though they filled it in too (both 点検し…見直す): no 職務の分離.
    const done = await reviewInspection(deps, chief, submitted.inspectionId, { changes: false, measures: '' }, {});
    expect(done.status).toBe('reviewed');
    expect(await deps.tasks.get(only.reviewTaskId as string)).toMatchObject({ status: 'done', closedBy: chief.sub });
  });
});
