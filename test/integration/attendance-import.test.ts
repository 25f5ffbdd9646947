import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollIdOf } from '#lib/domain/training.js';
import { chief, japanese, lead } from '#test/support/audit-data.js';
import { today } from '#test/support/duty-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';
import { followUpTaskOn, onRegister, plannedSession } from '#test/support/training-data.js';

/**
 * A 課's attendance from an e-learning system's CSV over HTTP against DynamoDB Local: the preview
 * (dryRun) writes nothing, applying records the roll in one transaction (reason CSV取込) or, with a
 * bad row, nothing; importing again is harmless; another 課's is a 404; an imported 再受講 closes
 * the follow-up task as ticks do. Each test plans in a 年度 of its own.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const manager = 'citizens-manager';

const plan = (fiscalYear: number) =>
  plannedSession(stack, {
    fiscalYear,
    name: '個人情報保護研修（eラーニング）',
    timing: { from: `${fiscalYear}-07-01`, to: `${fiscalYear}-07-31` },
    audience: ['allStaff'],
    method: 'elearning',
  });

const send = (trainingId: string, csv: string | Buffer, query: string, as = manager) =>
  stack.call('POST', `/trainings/${trainingId}/attendance/import?${query}`, {
    as,
    rawBody: csv as string,
    headers: { 'content-type': 'text/csv' },
  });

/** The roll's audit trail: none (a 404, as for an entity that does not exist) before anything was recorded. */
const trail = async (trainingId: string, department = 'citizens'): Promise<{ action: string; reason?: string; at: string }[]> => {
  const r = await stack.call('GET', `/audit-log?entityType=attendance&entityId=${rollIdOf(trainingId, department)}`, { as: lead });
  if (r.status === 404) return [];
  expect(r.status, r.text).toBe(200);
  return r.body.items;
};

describe('POST /trainings/{trainingId}/attendance/import', () => {
  it('dryRun answers each row and writes nothing; applying records the roll with reason CSV取込; the same file again writes nothing', async () => {
    const id = await plan(2021);
    const span = { from: '2021-04-01', to: '2022-03-31' };
    const a = await onRegister('citizens', { ...span, employeeNumber: 'E2101' });
    const b = await onRegister('citizens', { ...span, name: '大槻 翔', employeeNumber: 'E2102' });
    const csv = ['ID,職員番号,氏名,ステータス,完了日,備考', `1,E2101,安積一郎,完了,2021/7/10 9:05,`, `2,E2102,大槻 翔,未完了,,`].join(
      '\r\n',
    );

    const preview = await send(id, csv, 'department=citizens&dryRun=true');
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toEqual({
      encoding: 'UTF-8',
      rows: 2,
      changes: [
        { row: 2, staffId: a.staffId, name: '安積 一郎', attendedOn: '2021-07-10', action: 'record' },
        { row: 3, staffId: b.staffId, name: '大槻 翔', attendedOn: null, action: 'skip' },
      ],
      errors: [],
    });
    expect(await trail(id)).toEqual([]);

    const applied = await send(id, csv, 'department=citizens');
    expect(applied.status, applied.text).toBe(200);
    expect(applied.headers.get('etag')).toBe('"1"');
    expect(applied.body).toMatchObject({ rollId: rollIdOf(id, 'citizens'), attended: [{ staffId: a.staffId, attendedOn: '2021-07-10' }] });
    expect((await trail(id)).map((e) => [e.action, e.reason])).toEqual([['attendance.recorded', 'CSV取込']]);
    const missing = await stack.call('GET', `/trainings/${id}/non-attendees?department=citizens`, { as: manager });
    expect(missing.body.items.map((s: { staffId: string }) => s.staffId)).toEqual([b.staffId]);

    const again = await send(id, csv, 'department=citizens');
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);
    const previewAgain = await send(id, csv, 'department=citizens&dryRun=true');
    expect(previewAgain.body.changes.map((c: { action: string }) => c.action)).toEqual(['already', 'skip']);
    expect(await trail(id)).toHaveLength(1);
  });

  it('imports and ticks at once on a roll not yet made (the manager and the chief): every answer a 200, everyone on the roll', async () => {
    const id = await plan(2018);
    const span = { from: '2018-04-01', to: '2019-03-31' };
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => onRegister('citizens', { ...span, employeeNumber: `E18${i}` })));
    const replies = await Promise.all(
      people.map((p, i) =>
        i % 3 === 2
          ? stack.call('POST', `/trainings/${id}/attendance`, {
              as: chief,
              body: { department: 'citizens', staffIds: [p.staffId], attendedOn: '2018-07-10' },
            })
          : send(
              id,
              `職員番号,氏名,受講日\n${p.employeeNumber},${p.name},2018-07-10`,
              'department=citizens',
              i % 2 === 0 ? manager : chief,
            ),
      ),
    );
    expect(replies.map((r) => `${r.status} ${r.status === 200 ? '' : r.text}`)).toEqual(people.map(() => '200 '));
    const missing = await stack.call('GET', `/trainings/${id}/non-attendees?department=citizens`, { as: manager });
    const left = new Set(missing.body.items.map((s: { staffId: string }) => s.staffId));
    expect(people.filter((p) => left.has(p.staffId))).toEqual([]);
    expect((await trail(id)).length).toBe(people.length);
  });

  it('a Shift_JIS export (CP932, as saved on Japanese Windows) is read as such', async () => {
    const id = await plan(2026);
    const joined = { from: '2026-04-01' };
    const a = await onRegister('resident-tax', { ...joined, employeeNumber: 'A001' });
    await onRegister('resident-tax', { ...joined, name: '熱海 次郎', employeeNumber: 'A002' });
    const bytes = readFileSync(new URL('../fixtures/elearning-attendance-sjis.csv', import.meta.url));
    const r = await fetch(`${stack.baseUrl}/trainings/${id}/attendance/import?department=resident-tax`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.token('tax-manager')}`, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(r.status, await r.clone().text()).toBe(200);
    expect(((await r.json()) as { attended: unknown[] }).attended).toEqual([
      { staffId: a.staffId, attendedOn: '2026-07-15', recordedBy: 'tax-manager' },
    ]);
  });

  it('a bad row: the preview lists every row’s error, applying is a 400 with all of them and writes nothing', async () => {
    const id = await plan(2020);
    const span = { from: '2020-04-01', to: '2021-03-31' };
    await onRegister('citizens', { ...span, employeeNumber: 'E2001' });
    await onRegister('citizens', { ...span, employeeNumber: 'E2002', to: '2020-06-30' }); // left before the session's last day
    const csv = [
      '職員番号,氏名,受講日',
      'E2001,安積 一郎,2020-07-10',
      'E2099,,2020-07-10',
      'E2002,,2020-07-10',
      'E2001,安積 太郎,2020-07-11',
    ].join('\n');
    const preview = await send(id, csv, 'department=citizens&dryRun=true');
    expect(preview.status).toBe(200);
    expect(preview.body.errors.map((e: { row: number; path: string }) => [e.row, e.path])).toEqual([
      [3, '職員番号'],
      [4, '職員番号'],
      [5, '氏名'],
    ]);
    const refused = await send(id, csv, 'department=citizens');
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(japanese);
    expect(refused.body.errors).toHaveLength(3);
    expect(await trail(id)).toEqual([]);
    const header = await send(id, '氏名,備考\n安積 一郎,', 'department=citizens');
    expect(header.status).toBe(400);
  });

  it('another 課’s attendance is a 404; a 課’s 保護担当者 may not import (403); not CSV is a 415', async () => {
    const id = await plan(2019);
    const csv = '職員番号,修了日\nE1901,2019-07-10';
    const other = await send(id, csv, 'department=citizens', 'tax-manager');
    expect(other.status).toBe(404);
    expect(other.body.detail).toMatch(japanese);
    expect((await send(id, csv, 'department=citizens', 'citizens-staff')).status).toBe(403);
    const json = await stack.call('POST', `/trainings/${id}/attendance/import?department=citizens`, { as: manager, body: { a: 1 } });
    expect(json.status).toBe(415);
  });

  it('an imported 再受講 of everyone the follow-up task names closes it, in the same transaction', async () => {
    const id = await plan(2022);
    const joined = { from: '2022-04-01' };
    const a = await onRegister('citizens', { ...joined, employeeNumber: 'E2201' });
    const b = await onRegister('citizens', { ...joined, employeeNumber: 'E2202' });
    const task = await followUpTaskOn(id, 2022, [a, b]);

    const r = await send(
      id,
      `職員番号,状態,修了日\nE2201,修了,2022/9/1\nE2202,修了,${today.replaceAll('-', '/')} 17:30`,
      'department=citizens',
    );
    expect(r.status, r.text).toBe(200);
    const closed = await stack.call('GET', `/tasks/${task.taskId}`, { as: manager });
    expect(closed.body).toMatchObject({ status: 'done', closedBy: manager });
    const [recorded] = (await trail(id)).map((e) => e.at);
    const taskTrail = await stack.call('GET', `/audit-log?entityType=task&entityId=${task.taskId}`, { as: lead });
    expect(taskTrail.body.items.map((e: { action: string; at: string }) => [e.action, e.at])).toEqual([
      ['task.created', task.createdAt],
      ['task.closed', recorded],
    ]);
    const detail = await stack.call('GET', `/trainings/${id}`, { as: manager });
    expect(detail.body.completion).toEqual([{ department: 'citizens', audience: 2, attended: 2, retaken: 2 }]);
  });
});
