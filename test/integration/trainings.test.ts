import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSections } from '#lib/domain/organisation.js';
import { rollIdOf } from '#lib/domain/training.js';
import { demoDepartments } from '#lib/local/demo-users.js';
import { chief, japanese, lead } from '#test/support/audit-data.js';
import { today } from '#test/support/duty-data.js';
import { followUpTaskOn, onRegister, plannedSession } from '#test/support/training-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 教育研修 (001 第11条) over HTTP against DynamoDB Local: the chief plans the 年度's sessions
 * (第6項), each 課's 保護管理者 records its attendance, readers see the completion of the 課
 * they may see, and recording the 再受講 (第5項) of everyone a follow-up task names closes it.
 * Each test plans in a 年度 of its own (a past one, so attendance can be recorded on it).
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const manager = 'citizens-manager';

const sessionBody = (fiscalYear: number, over: Record<string, unknown> = {}) => ({
  fiscalYear,
  name: '個人情報保護研修',
  timing: { from: `${fiscalYear}-07-01`, to: `${fiscalYear}-07-31` },
  audience: ['allStaff'],
  method: 'elearning',
  ...over,
});

const plan = (fiscalYear: number) => plannedSession(stack, sessionBody(fiscalYear));

const attend = (trainingId: string, staffIds: string[], attendedOn: string, as = manager, department = 'citizens') =>
  stack.call('POST', `/trainings/${trainingId}/attendance`, { as, body: { department, staffIds, attendedOn } });

describe('the plan (第11条第6項)', () => {
  it('the chief plans (201, Location, Idempotency-Key replays) and edits with If-Match (412 on another version); others are refused', async () => {
    const headers = { 'idempotency-key': 'training-plan-1' };
    const first = await stack.call('POST', '/trainings', { as: chief, headers, body: sessionBody(2020) });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/api/trainings/${first.body.trainingId}`);
    const again = await stack.call('POST', '/trainings', { as: chief, headers, body: sessionBody(2020) });
    expect(again.status).toBe(201);
    expect(again.body.trainingId).toBe(first.body.trainingId);
    const id = first.body.trainingId as string;
    const stale = await stack.call('PATCH', `/trainings/${id}`, { as: chief, headers: { 'if-match': '"3"' }, body: { note: '変更' } });
    expect(stale.status).toBe(412);
    const edited = await stack.call('PATCH', `/trainings/${id}`, { as: chief, headers: { 'if-match': '"1"' }, body: { note: '変更' } });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    for (const as of [lead, manager]) {
      const r = await stack.call('POST', '/trainings', { as, body: sessionBody(2020) });
      expect(r.status, as).toBe(403);
      expect(r.body.detail).toMatch(japanese);
    }
    const outside = await stack.call('POST', '/trainings', {
      as: chief,
      body: sessionBody(2020, { timing: { from: '2021-04-01', to: '2021-04-30' } }),
    });
    expect(outside.status).toBe(400);
    const trail = await stack.call('GET', `/audit-log?entityType=training&entityId=${id}`, { as: lead });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(['training.planned', 'training.updated']);
    const list = await stack.call('GET', '/trainings?fiscalYear=2020', { as: 'clerk' });
    expect(list.body.items.map((t: { trainingId: string }) => t.trainingId)).toEqual([id]);
  });
});

describe('attendance and completion by 課', () => {
  it('partial attendance; completion per reader; non-attendees; another 課’s is a 404; the roll’s audit trail', async () => {
    const id = await plan(2021);
    // On the 課's register for this 年度 only, so the next test's audience is its own.
    const [a, b] = [
      await onRegister('citizens', { from: '2021-04-01', to: '2022-03-31' }),
      await onRegister('citizens', { name: '大槻 翔', from: '2021-04-01', to: '2022-03-31' }),
    ];
    await onRegister('resident-tax', { from: '2021-04-01', to: '2022-03-31' });
    await onRegister('citizens', { from: '2021-04-01', to: '2021-06-30' }); // left before the session's last day: not in its audience

    const recorded = await attend(id, [a.staffId], '2021-07-10');
    expect(recorded.status, recorded.text).toBe(200);
    expect(recorded.headers.get('etag')).toBe('"1"');
    expect(recorded.body).toMatchObject({ rollId: rollIdOf(id, 'citizens'), attended: [{ staffId: a.staffId, attendedOn: '2021-07-10' }] });

    const completion = async (as: string) =>
      (
        (await stack.call('GET', `/trainings/${id}`, { as })).body.completion as {
          department: string;
          audience: number;
          attended: number;
        }[]
      ).map((c) => `${c.department}:${c.attended}/${c.audience}`);
    expect(await completion('citizens-staff')).toEqual(['citizens:1/2']);
    expect(await completion('citizen-director')).toEqual(['citizens:1/2', 'resident-tax:0/1']);
    expect(await completion('clerk')).toEqual([]);
    expect(await completion(chief)).toHaveLength(allSections({ departments: [...demoDepartments] }).length);
    expect(await completion('pr-manager')).toContain('citizens:1/2');
    const listed = await stack.call('GET', '/trainings?fiscalYear=2021', { as: 'citizens-staff' });
    expect(listed.body.items[0].completion).toEqual([{ department: 'citizens', audience: 2, attended: 1, retaken: 0 }]);

    const missing = await stack.call('GET', `/trainings/${id}/non-attendees`, { as: 'citizens-staff' });
    expect(missing.status).toBe(200);
    expect(missing.body.items.map((s: { staffId: string }) => s.staffId)).toEqual([b.staffId]);
    const other = await stack.call('GET', `/trainings/${id}/non-attendees?department=citizens`, { as: 'tax-manager' });
    expect(other.status).toBe(404);
    expect(other.body.detail).toMatch(japanese);
    // another 課's manager may not read its attendance: recording it is a 404 too, as reading it is
    expect((await attend(id, [a.staffId], '2021-07-10', 'tax-manager')).status).toBe(404);
    const stranger = await attend(id, [a.staffId], '2021-07-10', manager, 'resident-tax');
    expect(stranger.status).toBe(404);
    const notInAudience = await attend(id, [a.staffId], '2021-07-10', 'tax-manager', 'resident-tax');
    expect(notInAudience.status).toBe(400);

    // A repeated request (its Idempotency-Key is not needed: recording what the roll says writes nothing).
    const twice = await stack.call('POST', `/trainings/${id}/attendance`, {
      as: manager,
      headers: { 'idempotency-key': 'attend-1' },
      body: { department: 'citizens', staffIds: [a.staffId], attendedOn: '2021-07-10' },
    });
    expect(twice.status).toBe(200);
    expect(twice.body.version).toBe(1);
    await attend(id, [b.staffId], '2021-07-20');
    const trail = await stack.call('GET', `/audit-log?entityType=attendance&entityId=${rollIdOf(id, 'citizens')}`, { as: lead });
    expect(trail.status, trail.text).toBe(200);
    expect(trail.body.items.map((e: { action: string; version: number }) => `${e.action}@${e.version}`)).toEqual([
      'attendance.recorded@1',
      'attendance.recorded@2',
    ]);
    expect(
      (await stack.call('GET', `/audit-log/verify?entityType=attendance&entityId=${rollIdOf(id, 'citizens')}`, { as: lead })).status,
    ).toBe(200);
    expect((await stack.call('GET', `/trainings/${id}/non-attendees`, { as: 'citizens-staff' })).body.items).toEqual([]);
  });

  it('phones recording at once, the first ones creating the roll together: every answer a 200 and every tick on the roll', async () => {
    const id = await plan(2023);
    const span = { from: '2023-04-01', to: '2024-03-31' };
    const people = await Promise.all(Array.from({ length: 6 }, () => onRegister('citizens', span)));
    const replies = await Promise.all(people.map((p, i) => attend(id, [p.staffId], '2023-07-10', i % 2 === 0 ? manager : chief)));
    expect(replies.map((r) => r.status)).toEqual(people.map(() => 200));
    const roll = await stack.call('GET', `/audit-log?entityType=attendance&entityId=${rollIdOf(id, 'citizens')}&limit=100`, { as: lead });
    expect(roll.body.items).toHaveLength(people.length);
    const missing = await stack.call('GET', `/trainings/${id}/non-attendees`, { as: manager });
    const left = new Set(missing.body.items.map((s: { staffId: string }) => s.staffId));
    expect(people.filter((p) => left.has(p.staffId))).toEqual([]);
    const detail = await stack.call('GET', `/trainings/${id}`, { as: manager });
    expect(detail.body.completion[0]).toMatchObject({ department: 'citizens', attended: people.length });
  });

  it('再受講 (第11条第5項): recording everyone the 課’s follow-up task names closes it, in the same transaction', async () => {
    const id = await plan(2022);
    const joined = { from: '2022-04-01' };
    const [a, b, c] = [await onRegister('citizens', joined), await onRegister('citizens', joined), await onRegister('citizens', joined)];
    expect((await attend(id, [a.staffId], '2022-07-05')).status).toBe(200);
    const task = await followUpTaskOn(id, 2022, [b, c]);

    expect((await attend(id, [b.staffId], '2022-09-01')).status).toBe(200);
    expect((await stack.call('GET', `/tasks/${task.taskId}`, { as: manager })).body.status).toBe('open');
    const retaken = await attend(id, [c.staffId], today);
    expect(retaken.status).toBe(200);
    const closed = await stack.call('GET', `/tasks/${task.taskId}`, { as: manager });
    expect(closed.body).toMatchObject({ status: 'done', closedBy: manager });
    const trail = await stack.call('GET', `/audit-log?entityType=task&entityId=${task.taskId}`, { as: lead });
    const [recordedAt] = (
      await stack.call('GET', `/audit-log?entityType=attendance&entityId=${rollIdOf(id, 'citizens')}`, { as: lead })
    ).body.items
      .slice(-1)
      .map((e: { at: string }) => e.at);
    expect(trail.body.items.map((e: { action: string; at: string }) => [e.action, e.at])).toEqual([
      ['task.created', task.createdAt],
      ['task.closed', recordedAt],
    ]);
    const detail = await stack.call('GET', `/trainings/${id}`, { as: manager });
    expect(detail.body.completion).toEqual([{ department: 'citizens', audience: 3, attended: 3, retaken: 2 }]);
  });
});
