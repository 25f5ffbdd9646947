import { describe, expect, it } from 'vitest';
import type { DutyResult } from '#lib/app/duty-units.js';
import { dutyWork } from '#lib/app/duty-work.js';
import type { Task } from '#lib/domain/task.js';
import type { Training } from '#lib/domain/training.js';
import { followUpDue, followUpFiscalYears, followUpTitle, peopleLabel } from '#lib/domain/training-followup.js';
import { getProfile, profiles } from '#lib/profiles/index.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import { dutyDefinition, trainingFollowUpDuty } from '#lib/profiles/system-duties.js';
import { person, roll, session } from '#test/support/training-followup.js';
import { type FakeDeps, fakeDeps } from './fakes.js';

/**
 * The daily `training-followup` duty (001 第11条第5項 再受講): once a session has ended, each 課's
 * 保護管理者 gets one task naming those of its audience who had not attended by its last day; once
 * per session and 課 whatever the day it runs.
 */

const [t1, t2, t3, t0] = [
  '01KANSA0000000000000000TR1',
  '01KANSA0000000000000000TR2',
  '01KANSA0000000000000000TR3',
  '01KANSA0000000000000000TR0',
];
const ids = {
  a: '01KANSA0000000000000000SA1',
  b: '01KANSA0000000000000000SB1',
  c: '01KANSA0000000000000000SC1',
  d: '01KANSA0000000000000000SD1',
  e: '01KANSA0000000000000000SE1',
  f: '01KANSA0000000000000000SF1',
  g: '01KANSA0000000000000000SG1',
};

/** 令和8年度 特定個人情報等の取扱研修, 1–31 July 2026, for the 事務取扱担当者. */
const july = session(t1, 2026, '特定個人情報等の取扱研修', { from: '2026-07-01', to: '2026-07-31' });

/**
 * 市民課: 安積 and 大槻 (who attended only after the session: a 再受講, still a non-attendee by its
 * last day) and 熱海 among the 事務取扱担当者, 田村 who is not one, 三穂田 who came on 1 August and
 * 湖南 who left on 30 June; 政策開発課: 富久山, who attended. The other 課 have no register.
 */
function seeded(profile: RegulationProfile = getProfile('001'), now = '2026-08-01T00:35:00+09:00'): FakeDeps {
  const deps = fakeDeps(now);
  deps.profile = profile;
  for (const s of [
    person(ids.a, 'shimin', '安積 一郎'),
    person(ids.b, 'shimin', '大槻 花子'),
    person(ids.c, 'shimin', '熱海 次郎'),
    person(ids.d, 'shimin', '田村 三郎', { handler: false }),
    person(ids.f, 'shimin', '三穂田 四郎', { from: '2026-08-01' }),
    person(ids.g, 'shimin', '湖南 五郎', { to: '2026-06-30' }),
    person(ids.e, 'seisaku', '富久山 六郎'),
  ])
    deps.store.staffById.set(s.staffId, s);
  deps.store.trainingsById.set(july.trainingId, july);
  for (const r of [
    roll(july, 'shimin', { [ids.a]: '2026-07-10', [ids.b]: '2026-08-05' }),
    roll(july, 'seisaku', { [ids.e]: '2026-07-31' }),
  ])
    deps.store.rollsById.set(r.rollId, r);
  return deps;
}

async function runOn(deps: FakeDeps, today: string, resumed = false): Promise<DutyResult> {
  const definition = dutyDefinition(deps.profile, 'training-followup');
  if (!definition) throw new Error('no training-followup duty');
  return dutyWork['training-followup'](deps, {
    duty: 'training-followup',
    definition,
    period: today,
    instant: `${today}T00:35:00+09:00`,
    today,
    resumed,
  });
}

const tasksOf = (deps: FakeDeps): Task[] => [...deps.store.tasksById.values()];

describe('the follow-up task', () => {
  it('names the session, at most five people then ほかN名, and the rule as the profile cites it', () => {
    const names = ['安積 一郎', '大槻 花子', '熱海 次郎', '田村 三郎', '富久山 四郎', '三穂田 五郎', '湖南 六郎'].map((name) => ({ name }));
    expect(peopleLabel(names.slice(0, 2))).toBe('安積 一郎、大槻 花子');
    expect(peopleLabel(names.slice(0, 5))).toBe('安積 一郎、大槻 花子、熱海 次郎、田村 三郎、富久山 四郎');
    expect(peopleLabel(names)).toBe('安積 一郎、大槻 花子、熱海 次郎、田村 三郎、富久山 四郎 ほか2名');
    expect(followUpTitle(getProfile('001'), july, names)).toBe(
      '令和8年度 特定個人情報等の取扱研修 の未受講者（安積 一郎、大槻 花子、熱海 次郎、田村 三郎、富久山 四郎 ほか2名）への再受講の機会の付与（第11条第5項）',
    );
    expect(followUpTitle(getProfile('002'), july, names.slice(0, 1))).toBe(
      '令和8年度 特定個人情報等の取扱研修 の未受講者（安積 一郎）への研修への参加の機会の付与（第3の4）',
    );
    expect(followUpTitle(getProfile('003'), july, names.slice(0, 1))).toMatch(/への再受講の機会の付与（運用上のルール）$/);
    expect(followUpTitle(getProfile('004'), july, names.slice(0, 1))).toMatch(/への研修への参加の機会の付与（第8条第4項）$/);
  });

  it('looks at this 年度 and the one before; is due in a month', () => {
    expect(followUpFiscalYears('2026-08-01')).toEqual([2026, 2025]);
    expect(followUpFiscalYears('2027-03-31')).toEqual([2026, 2025]);
    expect(followUpFiscalYears('2027-04-01')).toEqual([2027, 2026]);
    expect(followUpDue('2026-08-01')).toBe('2026-08-31');
  });
});

describe('the training-followup duty', () => {
  it.each(profiles.map((p) => [p.id, p] as const))('profile %s: daily for the 課’s 保護管理者, under its trainingFollowUp', (_id, p) => {
    expect(trainingFollowUpDuty(p)).toEqual({
      duty: 'training-followup',
      enabled: true,
      source: { '001': '第11条第5項', '002': '第3の4', '003': '運用上のルール', '004': '第8条第4項' }[p.id],
      frequency: 'daily',
      assignee: 'sectionManager',
    });
  });

  it('is disabled where the profile has no trainingFollowUp', () => {
    const p = getProfile('001');
    const { trainingFollowUp: _, ...provisions } = p.provisions;
    expect(trainingFollowUpDuty({ ...p, provisions }).enabled).toBe(false);
  });

  it('gives the 課 with non-attendees one task naming exactly them; a 課 where all attended, or with nobody, none', async () => {
    const deps = seeded();
    const result = await runOn(deps, '2026-08-01');
    // 市民課's task; 4 課 (政策開発課 all attended, 3 without a register) claimed with nothing owed.
    expect(result).toMatchObject({ created: 1, alreadyDone: 0, skipped: 4 });
    const [task, ...more] = tasksOf(deps);
    expect(more).toEqual([]);
    expect(task).toMatchObject({
      kind: 'trainingFollowUp',
      title: '令和8年度 特定個人情報等の取扱研修 の未受講者（大槻 花子、熱海 次郎）への再受講の機会の付与（第11条第5項）',
      duty: 'training-followup',
      period: '2026-08-01',
      source: '第11条第5項',
      assignee: { role: 'sectionManager', department: 'shimin' },
      subject: { type: 'training', id: t1 },
      people: [
        { staffId: ids.b, name: '大槻 花子' },
        { staffId: ids.c, name: '熱海 次郎' },
      ],
      dueDate: '2026-08-31',
      status: 'open',
    });
    expect(result.events).toEqual([
      { type: 'TaskCreated', detail: expect.objectContaining({ taskId: task?.taskId, kind: 'trainingFollowUp' }) },
    ]);
    // Exactly once per (session, 課): the session is the claim's period, the 課 its subject, the event its outbox.
    const claims = [...deps.store.claims.values()].filter((c) => c.period === t1);
    expect(claims.map((c) => [c.subject, c.events?.length ?? 0]).sort()).toEqual([
      ['dx-senryaku', 0],
      ['koho-kocho', 0],
      ['seisaku', 0],
      ['shimin', 1],
      ['shiminzei', 0],
    ]);
    // The task's creation is in the trail.
    expect(deps.store.events.filter((e) => e.entityType === 'task' && e.action === 'task.created')).toHaveLength(1);
  });

  it('runs again (the same day, later days, after the register changed): no second task', async () => {
    const deps = seeded();
    await runOn(deps, '2026-08-01');
    expect(await runOn(deps, '2026-08-01')).toMatchObject({ created: 0, alreadyDone: 5, skipped: 0, events: [] });
    // 富久山's attendance taken back and a new 事務取扱担当者 on 政策開発課's register: claimed, so nothing late.
    deps.store.staffById.set('01KANSA0000000000000000SH1', person('01KANSA0000000000000000SH1', 'seisaku', '日和田 七郎'));
    deps.store.rollsById.delete(`${t1}-seisaku`);
    expect(await runOn(deps, '2026-09-15')).toMatchObject({ created: 0, alreadyDone: 5, events: [] });
    expect(tasksOf(deps)).toHaveLength(1);
  });

  it('a resumed run republishes the events its own day committed, and only those', async () => {
    const deps = seeded();
    const first = await runOn(deps, '2026-08-01');
    const again = await runOn(deps, '2026-08-01', true);
    expect(again).toMatchObject({ created: 0, alreadyDone: 5, republished: 1 });
    expect(again.events).toEqual(first.events);
    expect(await runOn(deps, '2026-08-02', true)).toMatchObject({ alreadyDone: 5, republished: 0, events: [] });
  });

  it('waits for the end of the 実施時期: nothing on its last day, the task the day after', async () => {
    const deps = seeded(getProfile('001'), '2026-07-31T00:35:00+09:00');
    expect(await runOn(deps, '2026-07-31')).toMatchObject({ created: 0, alreadyDone: 0, skipped: 1 });
    expect(deps.store.claims.size).toBe(0);
    expect(await runOn(deps, '2026-08-01')).toMatchObject({ created: 1 });
  });

  it('picks up a session planned after it ended, and the previous 年度’s in April', async () => {
    const deps = seeded();
    await runOn(deps, '2026-08-01');
    const late: Training = session(t3, 2026, '情報セキュリティ研修', { from: '2026-06-01', to: '2026-06-30' }, ['allStaff']);
    const september = session(t2, 2026, '管理者研修', { from: '2026-09-01', to: '2026-09-30' }, ['managers']);
    deps.store.trainingsById.set(late.trainingId, late);
    deps.store.trainingsById.set(september.trainingId, september);
    const next = await runOn(deps, '2026-08-02');
    // 市民課's register on 30 June: 安積, 大槻, 熱海, 田村 and 湖南 (who left that day); nobody attended.
    expect(next).toMatchObject({ created: 2, alreadyDone: 5, skipped: 3 + 1 });
    const lateTasks = tasksOf(deps).filter((t) => t.subject.id === t3);
    expect(lateTasks.map((t) => [t.assignee, t.people?.map((p) => p.staffId)])).toEqual(
      expect.arrayContaining([
        [{ role: 'sectionManager', department: 'shimin' }, [ids.a, ids.b, ids.c, ids.d, ids.g]],
        [{ role: 'sectionManager', department: 'seisaku' }, [ids.e]],
      ]),
    );

    // 令和7年度's session held in March 2026, followed up in April.
    const april = seeded(getProfile('001'), '2026-04-02T00:35:00+09:00');
    april.store.trainingsById.clear();
    const march = session(t0, 2025, '特定個人情報等の取扱研修', { from: '2026-03-01', to: '2026-03-31' }, ['allStaff']);
    april.store.trainingsById.set(march.trainingId, march);
    april.store.staffById.set(ids.a, person(ids.a, 'shimin', '安積 一郎', { from: '2025-04-01' }));
    expect(await runOn(april, '2026-04-02')).toMatchObject({ created: 1 });
    expect(tasksOf(april)[0]).toMatchObject({
      title: expect.stringMatching(/^令和7年度 特定個人情報等の取扱研修 の未受講者（安積 一郎）/),
    });
  });

  it('under 002: the 特定個人情報取扱担当者 who missed it, cited to 第3の4', async () => {
    const deps = seeded(getProfile('002'));
    await runOn(deps, '2026-08-01');
    expect(tasksOf(deps).map((t) => [t.title, t.source])).toEqual([
      ['令和8年度 特定個人情報等の取扱研修 の未受講者（大槻 花子、熱海 次郎）への研修への参加の機会の付与（第3の4）', '第3の4'],
    ]);
  });
});
