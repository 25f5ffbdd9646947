import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundEvent } from '#lib/app/ports.js';
import { allSections } from '#lib/domain/organisation.js';
import { type JobRuntime, runDuty } from '#lib/jobs/runner.js';
import { getProfile } from '#lib/profiles/index.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { type Item, invariantViolations, scanTable } from '#test/support/invariants.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';
import { jobRuntime } from '#test/support/duty-data.js';
import { person, roll, seedChanges, session } from '#test/support/training-followup.js';

/**
 * The daily `training-followup` duty (001 第11条第5項 再受講) against DynamoDB Local, through the
 * jobs runner as the schedule and `npm run job -- training-followup --at …` fire it: once a session
 * has ended, one task per 課 naming exactly those of its audience who missed it; none for a 課
 * where everyone attended nor for a session not over; once, whatever the runs.
 */

let stack: TestStack;
let scanner: DynamoDBDocumentClient;
let rt: JobRuntime;
const published: OutboundEvent[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  scanner = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
  rt = jobRuntime(stack, published);
}, 60_000);
afterAll(async () => {
  scanner?.destroy();
  await stack?.close();
});

const items = () => scanTable(scanner, stack.tableName);
const followUps = (all: Item[]) => all.filter((i) => i.type === 'task' && i.duty === 'training-followup');
const drain = () => published.splice(0);

const [july, august, september] = [
  session('01KANSA0000000000000000TR1', 2026, '特定個人情報等の取扱研修', { from: '2026-07-01', to: '2026-07-31' }),
  session('01KANSA0000000000000000TR2', 2026, '情報セキュリティ研修', { from: '2026-08-10', to: '2026-08-20' }, ['allStaff']),
  session('01KANSA0000000000000000TR3', 2026, '番号法研修', { from: '2026-09-01', to: '2026-09-10' }),
];
const staff = {
  asaka: person('01KANSA0000000000000000SA1', 'citizens', '安積 一郎'),
  otsuki: person('01KANSA0000000000000000SB1', 'citizens', '大槻 花子'),
  atami: person('01KANSA0000000000000000SC1', 'citizens', '熱海 次郎'),
  fukuyama: person('01KANSA0000000000000000SE1', 'policy-planning', '富久山 六郎'),
  tamura: person('01KANSA0000000000000000SF1', 'resident-tax', '田村 三郎'),
};

/** One transaction per entity, as the routes write them. */
async function seed(rows: Parameters<typeof seedChanges>[1]): Promise<void> {
  for (const c of seedChanges(rt.deps, rows)) await rt.deps.writer.commit([c]);
}

describe('training-followup', () => {
  it('raises one task per 課 naming exactly who missed the session, once; none where all attended or before the end', async () => {
    await seed({
      people: Object.values(staff),
      sessions: [july, august],
      // 市民課: only 安積 attended; 政策開発課: 富久山, its only 事務取扱担当者, attended.
      rolls: [
        roll(july, 'citizens', { [staff.asaka.staffId]: '2026-07-15' }),
        roll(july, 'policy-planning', { [staff.fukuyama.staffId]: '2026-07-20' }),
      ],
    });
    const sections = allSections(rt.deps.organisation).length;

    // 8/1, the day after July's session ended (August's has not begun).
    expect(await runDuty(rt, { duty: 'training-followup', instant: '2026-08-01T00:35:00+09:00' })).toMatchObject({
      outcome: 'completed',
      period: '2026-08-01',
      created: 2, // 市民課's and 市民税課's (田村, who nobody recorded)
      alreadyDone: 0,
      skipped: sections - 2 + 1,
    });
    const tasks = followUps(await items());
    expect(tasks.map((t) => [(t.assignee as { department: string }).department, t.people])).toEqual(
      expect.arrayContaining([
        [
          'citizens',
          [
            { staffId: staff.otsuki.staffId, name: '大槻 花子' },
            { staffId: staff.atami.staffId, name: '熱海 次郎' },
          ],
        ],
        ['resident-tax', [{ staffId: staff.tamura.staffId, name: '田村 三郎' }]],
      ]),
    );
    expect(tasks).toHaveLength(2);
    const citizens = tasks.find((t) => (t.assignee as { department: string }).department === 'citizens');
    expect(citizens).toMatchObject({
      kind: 'trainingFollowUp',
      title: '令和8年度 特定個人情報等の取扱研修 の未受講者（大槻 花子、熱海 次郎）への再受講の機会の付与（第11条第5項）',
      source: '第11条第5項',
      assignee: { role: 'sectionManager', department: 'citizens' },
      subject: { type: 'training', id: july.trainingId },
      dueDate: '2026-08-31',
      status: 'open',
    });
    expect(
      drain()
        .map((e) => [e.type, e.detail.taskId])
        .sort(),
    ).toEqual(tasks.map((t) => ['TaskCreated', t.taskId]).sort());
    // The claim of (session, 課) keeps the unit's event (its outbox); 政策開発課's is a claim alone.
    expect((await rt.deps.claims.get('training-followup', july.trainingId, 'citizens'))?.events?.map((e) => e.type)).toEqual([
      'TaskCreated',
    ]);
    expect((await rt.deps.claims.get('training-followup', july.trainingId, 'policy-planning'))?.events ?? []).toEqual([]);

    // The same delivery again, and the next days (attendance since recorded or not): nothing new.
    expect(await runDuty(rt, { duty: 'training-followup', instant: '2026-08-01T00:35:00+09:00' })).toMatchObject({
      outcome: 'alreadyDone',
    });
    expect(await runDuty(rt, { duty: 'training-followup', instant: '2026-08-02T00:35:00+09:00' })).toMatchObject({
      outcome: 'completed',
      created: 0,
      alreadyDone: sections,
      skipped: 1,
    });
    expect(followUps(await items())).toHaveLength(2);
    expect(drain()).toEqual([]);

    // August's session has not ended on 8/20: no claim, no task.
    await runDuty(rt, { duty: 'training-followup', instant: '2026-08-20T00:35:00+09:00' });
    expect((await rt.deps.claims.list('training-followup', august.trainingId, { limit: 10 })).items).toEqual([]);
    expect(followUps(await items()).filter((t) => (t.subject as { id: string }).id === august.trainingId)).toEqual([]);
  }, 60_000);

  it('under 002: the task is titled and cited as 第3の4', async () => {
    const nara: JobRuntime = { ...rt, deps: { ...rt.deps, profile: getProfile('002') } };
    await seed({ sessions: [september] });
    drain();
    expect(await runDuty(nara, { duty: 'training-followup', instant: '2026-09-11T00:35:00+09:00' })).toMatchObject({
      outcome: 'completed',
    });
    const mine = followUps(await items()).filter((t) => (t.subject as { id: string }).id === september.trainingId);
    expect(mine.map((t) => [(t.assignee as { department: string }).department, t.title, t.source]).sort()).toEqual([
      ['citizens', '令和8年度 番号法研修 の未受講者（安積 一郎、大槻 花子、熱海 次郎）への研修への参加の機会の付与（第3の4）', '第3の4'],
      ['policy-planning', '令和8年度 番号法研修 の未受講者（富久山 六郎）への研修への参加の機会の付与（第3の4）', '第3の4'],
      ['resident-tax', '令和8年度 番号法研修 の未受講者（田村 三郎）への研修への参加の機会の付与（第3の4）', '第3の4'],
    ]);
    // The entities, their trails and claims hold together (the runner's run records are not entities).
    expect(invariantViolations((await items()).filter((i) => i.type !== 'dutyRun'))).toEqual([]);
  }, 60_000);
});
