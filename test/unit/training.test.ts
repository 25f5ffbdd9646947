import { describe, expect, it } from 'vitest';
import {
  createTraining,
  getTraining,
  listNonAttendees,
  listTrainings,
  recordTrainingAttendance,
  updateTrainingPlan,
} from '#lib/app/trainings.js';
import { Conflict, Forbidden, InvalidInput, NotFound, StaleVersion } from '#lib/domain/errors.js';
import { rollIdPattern } from '#lib/domain/fields.js';
import type { Staff, StaffOnDate } from '#lib/domain/staff.js';
import type { Task } from '#lib/domain/task.js';
import {
  type Training,
  attendanceSchema,
  audienceOf,
  completionOf,
  createTrainingSchema,
  followUpSettled,
  nonAttendees,
  recordAttendance,
  rollIdOf,
  updateTraining,
  updateTrainingSchema,
} from '#lib/domain/training.js';
import { getProfile } from '#lib/profiles/index.js';
import {
  type FakeDeps,
  actor,
  chief,
  dxAuditor,
  fakeDeps,
  kohoAuditor,
  lead,
  rejection,
  shiminHead,
  shiminManager,
  shiminStaff,
  zeiManager,
} from './fakes.js';

/**
 * 教育研修 (001 第11条): the plan (第6項, 様式第3号) for audiences the regulation names (第1項–第4項),
 * attendance by 課 from the register as of the session's last day, and 再受講 (第5項).
 */

const body = (over: Record<string, unknown> = {}) => ({
  fiscalYear: 2026,
  name: '個人情報保護研修',
  timing: { from: '2026-05-01', to: '2026-05-31' },
  audience: ['allStaff'],
  method: 'elearning',
  ...over,
});

const on = (over: Partial<StaffOnDate> = {}): StaffOnDate => ({
  staffId: '01J00000000000000000000001',
  department: 'shimin',
  name: '安積 一郎',
  title: '主事',
  kind: 'regular',
  handler: false,
  handlerDuties: null,
  systemAdmin: false,
  post: null,
  employeeNumber: null,
  from: '2026-04-01',
  to: null,
  since: '2026-04-01',
  version: 1,
  createdBy: 'x',
  createdAt: '2026-04-01T00:00:00Z',
  updatedAt: '2026-04-01T00:00:00Z',
  ...over,
});

const session: Pick<Training, 'trainingId' | 'fiscalYear' | 'timing'> = {
  trainingId: '01J0000000000000000000TRNG',
  fiscalYear: 2026,
  timing: { from: '2026-05-01', to: '2026-05-31' },
};
const A = '01J000000000000000000000AA';
const B = '01J000000000000000000000BB';
const C = '01J000000000000000000000CC';
const by = (today: string) => ({ sub: 'shimin-kacho', at: `${today}T01:00:00Z`, today });
const record = (over: Partial<{ staffIds: string[]; unmark: string[]; attendedOn: string }>) =>
  attendanceSchema.parse({ department: 'shimin', attendedOn: '2026-05-10', ...over });

/** The error `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('the plan: createTrainingSchema and updateTraining', () => {
  it('takes a session whose 実施時期 starts within its 年度 (4/1–3/31)', () => {
    expect(createTrainingSchema.parse(body()).note).toBe('');
    expect(createTrainingSchema.safeParse(body({ timing: { from: '2026-04-01', to: '2026-04-01' } })).success).toBe(true);
    expect(createTrainingSchema.safeParse(body({ timing: { from: '2027-03-31', to: '2027-04-15' } })).success).toBe(true);
    for (const from of ['2026-03-31', '2027-04-01']) {
      const r = createTrainingSchema.safeParse(body({ timing: { from, to: '2027-05-01' } }));
      expect(r.success, from).toBe(false);
      expect(r.error?.issues[0]?.message).toContain('2026年度（2026-04-01〜2027-03-31）');
    }
  });

  it('refuses an end before the start, no audience, a repeated audience, an unknown method', () => {
    for (const over of [
      { timing: { from: '2026-06-02', to: '2026-06-01' } },
      { audience: [] },
      { audience: ['handlers', 'handlers'] },
      { audience: ['everyone'] },
      { method: 'lecture' },
      { unknown: 1 },
    ])
      expect(createTrainingSchema.safeParse(body(over)).success, JSON.stringify(over)).toBe(false);
  });

  it('an edit keeps the 年度: a 実施時期 moved out of it is a 400', () => {
    const t = {
      ...createTrainingSchema.parse(body()),
      trainingId: session.trainingId,
      version: 1,
      createdBy: 'c',
      createdAt: 'a',
      updatedAt: 'a',
    };
    expect(updateTraining(t, { name: '再研修' }, 'b')).toMatchObject({ name: '再研修', version: 2, updatedAt: 'b', fiscalYear: 2026 });
    expect(thrown(() => updateTraining(t, { timing: { from: '2027-04-01', to: '2027-04-02' } }, 'b'))).toBeInstanceOf(InvalidInput);
    expect(updateTrainingSchema.safeParse({}).success).toBe(false);
  });
});

describe('the audience: the register as of the session’s last day, by 対象者', () => {
  const register = [
    on({ staffId: A }),
    on({ staffId: B, handler: true, handlerDuties: '住民基本台帳事務' }),
    on({ staffId: C, systemAdmin: true, post: 'sectionManager' }),
  ];
  it.each([
    [['allStaff'], [A, B, C]],
    [['handlers'], [B]],
    [['systemAdmins'], [C]],
    [['managers'], [C]],
    [
      ['handlers', 'systemAdmins'],
      [B, C],
    ],
  ] as const)('%j → %j', (audience, ids) => {
    expect(audienceOf({ audience: [...audience] }, register).map((s) => s.staffId)).toEqual(ids);
  });
});

describe('recordAttendance: the roll of a session and 課', () => {
  const everyone = new Set([A, B, C]);

  it('creates the roll on first recording, with the id of the session and 課', () => {
    const roll = recordAttendance(null, session, record({ staffIds: [A, B] }), everyone, by('2026-05-10'));
    expect(roll).toMatchObject({ rollId: rollIdOf(session.trainingId, 'shimin'), department: 'shimin', fiscalYear: 2026, version: 1 });
    expect(roll.rollId).toMatch(rollIdPattern);
    expect(roll.attended).toEqual([
      { staffId: A, attendedOn: '2026-05-10', recordedBy: 'shimin-kacho' },
      { staffId: B, attendedOn: '2026-05-10', recordedBy: 'shimin-kacho' },
    ]);
  });

  it('再受講: a later date for someone who missed it is kept; the first attendance of someone on it stays', () => {
    const first = recordAttendance(null, session, record({ staffIds: [A] }), everyone, by('2026-05-10'));
    const later = recordAttendance(first, session, record({ staffIds: [A, C], attendedOn: '2026-06-15' }), everyone, by('2026-06-20'));
    expect(later.version).toBe(2);
    expect(later.attended.map((a) => [a.staffId, a.attendedOn])).toEqual([
      [A, '2026-05-10'],
      [C, '2026-06-15'],
    ]);
    expect(
      completionOf(
        session,
        'shimin',
        [...everyone].map((staffId) => ({ staffId })),
        later,
        '2026-06-20',
      ),
    ).toEqual({
      department: 'shimin',
      audience: 3,
      attended: 2,
      retaken: 1,
    });
    // On the session's last day, the 再受講 had not happened yet.
    expect(completionOf(session, 'shimin', [{ staffId: A }, { staffId: C }], later, '2026-05-31')).toMatchObject({
      attended: 1,
      retaken: 0,
    });
  });

  it('unmark takes a tick back; unmarking someone not on the roll is a 409', () => {
    const first = recordAttendance(null, session, record({ staffIds: [A, B] }), everyone, by('2026-05-10'));
    const fixed = recordAttendance(first, session, record({ unmark: [B] }), everyone, by('2026-05-11'));
    expect(fixed.attended.map((a) => a.staffId)).toEqual([A]);
    // the same tick named twice in one body is taken back once (not a 409 saying it was never recorded)
    expect(recordAttendance(first, session, record({ unmark: [B, B] }), everyone, by('2026-05-11')).attended.map((a) => a.staffId)).toEqual(
      [A],
    );
    expect(thrown(() => recordAttendance(fixed, session, record({ unmark: [B] }), everyone, by('2026-05-11')))).toBeInstanceOf(Conflict);
    expect(thrown(() => recordAttendance(null, session, record({ unmark: [A] }), everyone, by('2026-05-11')))).toBeInstanceOf(Conflict);
  });

  it('refuses someone not of the 課’s audience, a day before the session, a day in the future', () => {
    const outsider = thrown(() => recordAttendance(null, session, record({ staffIds: [A, C] }), new Set([A]), by('2026-05-10')));
    expect(outsider).toBeInstanceOf(InvalidInput);
    expect((outsider as InvalidInput).errors).toEqual([{ path: 'staffIds.1', message: expect.stringContaining('対象者ではありません') }]);
    expect(
      thrown(() => recordAttendance(null, session, record({ staffIds: [A], attendedOn: '2026-04-30' }), everyone, by('2026-05-10'))),
    ).toBeInstanceOf(InvalidInput);
    expect(
      thrown(() => recordAttendance(null, session, record({ staffIds: [A], attendedOn: '2026-05-11' }), everyone, by('2026-05-10'))),
    ).toBeInstanceOf(InvalidInput);
  });

  it('the body names someone, and not the same person both ways', () => {
    expect(attendanceSchema.safeParse({ department: 'shimin', attendedOn: '2026-05-10' }).success).toBe(false);
    expect(attendanceSchema.safeParse({ department: 'shimin', attendedOn: '2026-05-10', staffIds: [A], unmark: [A] }).success).toBe(false);
  });

  it('nonAttendees and followUpSettled read the roll', () => {
    const roll = recordAttendance(null, session, record({ staffIds: [A] }), everyone, by('2026-05-10'));
    const audience = [{ staffId: A }, { staffId: B }];
    expect(nonAttendees(audience, roll, '2026-05-09')).toEqual(audience);
    expect(nonAttendees(audience, roll, '2026-05-10')).toEqual([{ staffId: B }]);
    expect(nonAttendees(audience, null, '2026-05-10')).toEqual(audience);
    expect(followUpSettled([{ staffId: A }], roll)).toBe(true);
    expect(followUpSettled([{ staffId: A }, { staffId: B }], roll)).toBe(false);
    expect(followUpSettled([], null)).toBe(true);
  });
});

// ---- use cases against the fakes (clock: 2026-06-01 in Japan) ----

let seq = 0;
function person(deps: FakeDeps, department: string, over: Partial<Staff> = {}): Staff {
  seq += 1;
  const s: Staff = { ...on(), staffId: `01J0000000000000000000S${String(seq).padStart(3, '0')}`, department, ...over } as Staff;
  deps.store.staffById.set(s.staffId, s);
  return s;
}

async function planned(deps: FakeDeps, over: Record<string, unknown> = {}): Promise<Training> {
  return createTraining(deps, chief, createTrainingSchema.parse(body(over)));
}

function followUp(deps: FakeDeps, trainingId: string, department: string, people: Staff[]): Task {
  const task: Task = {
    taskId: `01J0000000000000000000T${String((seq += 1)).padStart(3, '0')}`,
    kind: 'trainingFollowUp',
    title: '研修未受講者への再受講の機会の付与',
    duty: 'training-followup',
    period: 'FY2026',
    source: '第11条第5項',
    assignee: { role: 'sectionManager', department },
    subject: { type: 'training', id: trainingId },
    people: people.map((p) => ({ staffId: p.staffId, name: p.name })),
    dueDate: '2026-06-30',
    status: 'open',
    createdAt: '2026-06-01T00:00:00Z',
    version: 1,
    updatedAt: '2026-06-01T00:00:00Z',
  };
  deps.store.tasksById.set(task.taskId, task);
  return task;
}

describe('planning (the chief)', () => {
  it('the chief plans and edits (If-Match); the trail has both; others are refused', async () => {
    const deps = fakeDeps();
    const t = await planned(deps);
    expect(t).toMatchObject({ fiscalYear: 2026, version: 1, createdBy: 'chief-1' });
    await expect(updateTrainingPlan(deps, chief, t.trainingId, { note: '変更' }, { ifMatch: 5 })).rejects.toBeInstanceOf(StaleVersion);
    expect(await updateTrainingPlan(deps, chief, t.trainingId, { note: '変更' }, { ifMatch: 1 })).toMatchObject({
      note: '変更',
      version: 2,
    });
    expect(deps.store.events.map((e) => e.action)).toEqual(['training.planned', 'training.updated']);
    for (const who of [lead, shiminManager])
      expect(await rejection(createTraining(deps, who, createTrainingSchema.parse(body())))).toBeInstanceOf(Forbidden);
    expect(await rejection(updateTrainingPlan(deps, shiminManager, t.trainingId, { note: 'x' }, {}))).toBeInstanceOf(Forbidden);
  });

  it('an audience the regulation provides no training for is a 400 naming those it does (003: the 事務取扱担当者 only)', async () => {
    const deps = { ...fakeDeps(), profile: getProfile('003') };
    const err = await rejection(createTraining(deps, chief, createTrainingSchema.parse(body({ audience: ['handlers', 'systemAdmins'] }))));
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).message).toBe('この規程が定める研修の対象者は、事務取扱担当者（第22条第2項第3号）です。');
    expect((err as InvalidInput).errors.map((e) => e.path)).toEqual(['audience.1']);
    expect(await createTraining(deps, chief, createTrainingSchema.parse(body({ audience: ['handlers'] })))).toMatchObject({
      audience: ['handlers'],
    });
    // 004 has no 事務取扱担当者; 002 no training for every 職員.
    const kuki = await rejection(
      createTraining({ ...fakeDeps(), profile: getProfile('004') }, chief, createTrainingSchema.parse(body({ audience: ['handlers'] }))),
    );
    expect((kuki as InvalidInput).message).toContain('第8条第1項');
    const nara = await rejection(createTraining({ ...fakeDeps(), profile: getProfile('002') }, chief, createTrainingSchema.parse(body())));
    expect((nara as InvalidInput).message).toContain('特定個人情報取扱担当者（第3の1）');
    const t = await planned(deps, { audience: ['handlers'] });
    expect(await rejection(updateTrainingPlan(deps, chief, t.trainingId, { audience: ['managers'] }, {}))).toBeInstanceOf(InvalidInput);
  });
});

describe('reading the plan with completion by 課', () => {
  async function world() {
    const deps = fakeDeps();
    const t = await planned(deps);
    const a = person(deps, 'shimin');
    person(deps, 'shimin');
    person(deps, 'shiminzei');
    person(deps, 'dx-senryaku', { to: '2026-05-15' }); // left before the last day: not in the audience
    await recordTrainingAttendance(
      deps,
      shiminManager,
      t.trainingId,
      attendanceSchema.parse({ department: 'shimin', staffIds: [a.staffId], attendedOn: '2026-05-20' }),
    );
    return { deps, t };
  }
  const depts = (c: { department: string }[]) => c.map((x) => x.department);

  it('the chief, deputy and training auditors see every 課; a 課 its own; a 部長 its 部’s; others none', async () => {
    const { deps, t } = await world();
    const every = ['seisaku', 'dx-senryaku', 'koho-kocho', 'shimin', 'shiminzei'];
    for (const who of [chief, lead, dxAuditor, kohoAuditor])
      expect(depts((await getTraining(deps, who, t.trainingId)).completion), who.sub).toEqual(every);
    expect((await getTraining(deps, shiminStaff, t.trainingId)).completion).toEqual([
      { department: 'shimin', audience: 2, attended: 1, retaken: 0 },
    ]);
    expect(depts((await getTraining(deps, shiminHead, t.trainingId)).completion)).toEqual(['shimin', 'shiminzei']);
    expect((await getTraining(deps, actor('clerk', []), t.trainingId)).completion).toEqual([]);
    const all = await getTraining(deps, chief, t.trainingId);
    expect(all.completion.find((c) => c.department === 'dx-senryaku')).toMatchObject({ audience: 0 });
  });

  it('the list is the 年度’s (default: the current one), each session with completion; each register read once', async () => {
    const { deps, t } = await world();
    await planned(deps, { timing: { from: '2026-07-01', to: '2026-07-31' }, audience: ['managers'] });
    await planned(deps, { fiscalYear: 2027, timing: { from: '2027-04-01', to: '2027-04-30' } });
    let registerReads = 0;
    const registerPage = deps.staff.registerPage;
    deps.staff = { ...deps.staff, registerPage: (d, p) => ((registerReads += 1), registerPage(d, p)) };
    const page = await listTrainings(deps, zeiManager, { limit: 20 });
    expect(page.items.map((i) => i.trainingId)[0]).toBe(t.trainingId);
    expect(page.items).toHaveLength(2);
    expect(page.items.map((i) => i.completion)).toEqual([
      [{ department: 'shiminzei', audience: 1, attended: 0, retaken: 0 }],
      [{ department: 'shiminzei', audience: 0, attended: 0, retaken: 0 }],
    ]);
    expect(registerReads).toBe(1);
    expect((await listTrainings(deps, zeiManager, { fiscalYear: 2027, limit: 20 })).items).toHaveLength(1);
  });
});

describe('recording attendance (the 課’s 保護管理者 or the chief)', () => {
  it('records, answers the roll, and a repeat writes nothing', async () => {
    const deps = fakeDeps();
    const t = await planned(deps);
    const a = person(deps, 'shimin');
    const input = attendanceSchema.parse({ department: 'shimin', staffIds: [a.staffId], attendedOn: '2026-05-20' });
    const roll = await recordTrainingAttendance(deps, shiminManager, t.trainingId, input);
    expect(roll).toMatchObject({ rollId: rollIdOf(t.trainingId, 'shimin'), version: 1 });
    const commits = deps.store.commits.length;
    expect(await recordTrainingAttendance(deps, shiminManager, t.trainingId, input)).toMatchObject({ version: 1 });
    expect(deps.store.commits).toHaveLength(commits);
    expect(deps.store.events.filter((e) => e.entityType === 'attendance').map((e) => e.action)).toEqual(['attendance.recorded']);
  });

  it('another 課’s manager gets a 404 for it, the 課’s staff a 403, the chief records for any 課; someone of another 課 is a 400; an unknown 課 a 400', async () => {
    const deps = fakeDeps();
    const t = await planned(deps);
    const a = person(deps, 'shimin');
    const input = attendanceSchema.parse({ department: 'shimin', staffIds: [a.staffId], attendedOn: '2026-05-20' });
    // A 課 whose attendance the caller may not read is a 404, as for reading it; one they read but may not record, a 403.
    expect(await rejection(recordTrainingAttendance(deps, zeiManager, t.trainingId, input))).toBeInstanceOf(NotFound);
    expect(await rejection(recordTrainingAttendance(deps, shiminStaff, t.trainingId, input))).toBeInstanceOf(Forbidden);
    expect(await rejection(recordTrainingAttendance(deps, shiminHead, t.trainingId, input))).toBeInstanceOf(Forbidden);
    expect(await recordTrainingAttendance(deps, chief, t.trainingId, input)).toMatchObject({ createdBy: 'chief-1' });
    expect(await rejection(recordTrainingAttendance(deps, zeiManager, t.trainingId, { ...input, department: 'shiminzei' }))).toBeInstanceOf(
      InvalidInput,
    );
    expect(await rejection(recordTrainingAttendance(deps, chief, t.trainingId, { ...input, department: 'shimin-bu' }))).toBeInstanceOf(
      InvalidInput,
    );
    expect(await rejection(recordTrainingAttendance(deps, chief, '01J00000000000000000000000', input))).toBeInstanceOf(NotFound);
  });

  it('two phones at once: the one that loses the race on the roll reads it again and adds its ticks, none lost', async () => {
    for (const second of [false, true]) {
      const deps = fakeDeps();
      const t = await planned(deps);
      const [a, b, c] = [person(deps, 'shimin'), person(deps, 'shimin'), person(deps, 'shimin')];
      const tick = (id: string) => attendanceSchema.parse({ department: 'shimin', staffIds: [id], attendedOn: '2026-05-20' });
      // the roll exists already (a later recording races on its version) or not yet (both create it)
      if (second) await recordTrainingAttendance(deps, shiminManager, t.trainingId, tick(c.staffId));
      const commit = deps.writer.commit.bind(deps.writer);
      let raced = false;
      deps.writer.commit = async (...args) => {
        if (!raced) {
          raced = true;
          await recordTrainingAttendance(deps, chief, t.trainingId, tick(b.staffId));
        }
        return commit(...args);
      };
      await recordTrainingAttendance(deps, shiminManager, t.trainingId, tick(a.staffId));
      const roll = await deps.attendance.get(rollIdOf(t.trainingId, 'shimin'));
      const want = second ? [a, b, c] : [a, b];
      expect(roll?.attended.map((x) => x.staffId).sort()).toEqual(want.map((x) => x.staffId).sort());
      expect(deps.store.events.filter((e) => e.entityType === 'attendance')).toHaveLength(second ? 3 : 2);
    }
  });

  it('the 課’s follow-up task closes, in the same transaction, once everyone it names has attended', async () => {
    const deps = fakeDeps('2026-06-10T00:00:00Z');
    const t = await planned(deps);
    const [a, b] = [person(deps, 'shimin'), person(deps, 'shimin')];
    const z = person(deps, 'shiminzei');
    const mine = followUp(deps, t.trainingId, 'shimin', [a, b]);
    const theirs = followUp(deps, t.trainingId, 'shiminzei', [z]);
    const rec = (ids: string[]) =>
      recordTrainingAttendance(
        deps,
        shiminManager,
        t.trainingId,
        attendanceSchema.parse({ department: 'shimin', staffIds: ids, attendedOn: '2026-06-05' }),
      );
    await rec([a.staffId]);
    expect(deps.store.tasksById.get(mine.taskId)?.status).toBe('open');
    await rec([b.staffId]);
    expect(deps.store.tasksById.get(mine.taskId)).toMatchObject({ status: 'done', closedBy: 'shimin-kacho' });
    expect(deps.store.commits.at(-1)?.map((c) => `${c.entityType}:${c.event.action}`)).toEqual([
      'attendance:attendance.recorded',
      'task:task.closed',
    ]);
    expect(deps.store.tasksById.get(theirs.taskId)?.status).toBe('open');
  });
});

describe('non-attendees', () => {
  it('the audience of the 課 who had not attended by today; default the caller’s 課; another 課’s is a 404', async () => {
    const deps = fakeDeps();
    const t = await planned(deps);
    const [a, b] = [person(deps, 'shimin'), person(deps, 'shimin')];
    await recordTrainingAttendance(
      deps,
      shiminManager,
      t.trainingId,
      attendanceSchema.parse({ department: 'shimin', staffIds: [a.staffId], attendedOn: '2026-05-20' }),
    );
    expect((await listNonAttendees(deps, shiminStaff, t.trainingId, {})).items.map((s) => s.staffId)).toEqual([b.staffId]);
    expect((await listNonAttendees(deps, kohoAuditor, t.trainingId, { department: 'shimin' })).items).toHaveLength(1);
    expect((await listNonAttendees(deps, shiminHead, t.trainingId, { department: 'shimin' })).items).toHaveLength(1);
    expect(await rejection(listNonAttendees(deps, zeiManager, t.trainingId, { department: 'shimin' }))).toBeInstanceOf(NotFound);
    expect(await rejection(listNonAttendees(deps, actor('clerk', [], 'shimin'), t.trainingId, { department: 'shimin' }))).toBeInstanceOf(
      NotFound,
    );
    expect(await rejection(listNonAttendees(deps, shiminHead, t.trainingId, {}))).toBeInstanceOf(InvalidInput);
  });
});
