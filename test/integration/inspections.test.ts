import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPublisher } from '#lib/jobs/events.js';
import { deps } from '#lib/runtime/ports.js';
import { type AuditData, auditData, chief, lead, japanese, unknownId } from '#test/support/audit-data.js';
import { type DutyData, dutyData } from '#test/support/duty-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 点検 (第27条) over HTTP: the 課 answers the checklist, its 保護管理者 submits it with a
 * verified photo, saying whether the results go to the 総括保護管理者, and the task closes;
 * a report opens the chief's task, closed by their 見直し (第28条); other 課 neither see nor
 * change it.
 */

let stack: TestStack;
let data: AuditData;
let duties: DutyData;
beforeAll(async () => {
  stack = await startTestStack();
  data = auditData(stack);
  duties = dutyData(stack);
});
afterAll(async () => {
  await stack?.close();
});

describe('点検 (第27条)', () => {
  it('a 保護管理者 completes the 点検 with a checklist and a verified photo; the task closes', async () => {
    const { inspectionId, taskId } = await duties.inspectionIn('citizens');
    const manager = 'citizens-manager';
    const inbox = await stack.call('GET', '/tasks?mine=true', { as: manager });
    expect(inbox.body.items.find((t: { taskId: string }) => t.taskId === taskId)).toMatchObject({
      kind: 'inspection',
      status: 'open',
      subject: { type: 'inspection', id: inspectionId },
    });

    // The 保護担当者 fills in part of it; the ETag guards the edit.
    const stale = await stack.call('PATCH', `/inspections/${inspectionId}`, {
      as: 'citizens-staff',
      headers: { 'if-match': '"9"' },
      body: { answers: [{ index: 0, result: 'ok' }] },
    });
    expect(stale.status).toBe(412);
    const answered = await stack.call('PATCH', `/inspections/${inspectionId}`, {
      as: 'citizens-staff',
      headers: { 'if-match': '"1"' },
      body: {
        answers: [
          { index: 0, result: 'ok' },
          { index: 1, result: 'issue', note: '' },
        ],
      },
    });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('etag')).toBe('"2"');

    // Only the 保護管理者 submits (第27条), and only a complete checklist with a note on each 要改善.
    const byStaff = await stack.call('POST', `/inspections/${inspectionId}/submit`, { as: 'citizens-staff' });
    expect(byStaff.status).toBe(403);
    expect(byStaff.body.detail).toMatch(japanese);
    const incomplete = await stack.call('POST', `/inspections/${inspectionId}/submit`, { as: manager });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.errors.map((e: { path: string }) => e.path)).toEqual(['checklist.1.note', 'checklist.2']);

    const photo = await data.evidenceIn('verified', manager, { type: 'inspection', id: inspectionId });
    const filled = await stack.call('PATCH', `/inspections/${inspectionId}`, {
      as: manager,
      body: {
        answers: [
          { index: 1, result: 'issue', note: '処理経路図が古い' },
          { index: 2, result: 'ok' },
        ],
        evidenceIds: [photo],
      },
    });
    expect(filled.status).toBe(200);
    const submitted = await stack.call('POST', `/inspections/${inspectionId}/submit`, {
      as: manager,
      headers: { 'if-match': '"3"' },
      body: { reportToChief: { needed: false } },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      submittedBy: manager,
      evidenceIds: [photo],
      report: { needed: false, reason: '' },
    });
    expect(submitted.body).not.toHaveProperty('reviewTaskId');
    expect(submitted.body.checklist.map((c: { result: string }) => c.result)).toEqual(['ok', 'issue', 'ok']);

    const task = await stack.call('GET', `/tasks/${taskId}`, { as: manager });
    expect(task.body).toMatchObject({ status: 'done', closedBy: manager });
    const open = await stack.call('GET', '/tasks?mine=true', { as: manager });
    expect(open.body.items.some((t: { taskId: string }) => t.taskId === taskId)).toBe(false);
    const done = await stack.call('GET', '/tasks?mine=true&status=done', { as: manager });
    expect(done.body.items.some((t: { taskId: string }) => t.taskId === taskId)).toBe(true);

    // Submitted is final.
    const again = await stack.call('PATCH', `/inspections/${inspectionId}`, {
      as: manager,
      body: { answers: [{ index: 0, result: 'na' }] },
    });
    expect(again.status).toBe(409);
    const evidence = await stack.call('GET', `/evidence?targetType=inspection&targetId=${inspectionId}`, { as: 'citizen-director' });
    expect(evidence.body.items.map((e: { evidenceId: string }) => e.evidenceId)).toEqual([photo]);
  });

  it('第27条: the 保護管理者 says whether the results go to the 総括保護管理者; a report is their task, closed by their 見直し', async () => {
    const manager = 'citizens-manager';
    const { inspectionId } = await duties.inspectionIn('citizens', 'answered');
    const submit = (body?: unknown, as = manager) =>
      stack.call('POST', `/inspections/${inspectionId}/submit`, { as, ...(body === undefined ? {} : { body }) });

    const unsaid = await submit({});
    expect(unsaid.status).toBe(400);
    expect(unsaid.body.detail).toContain('総括保護管理者');
    expect(unsaid.body.detail).toContain('（第27条）');
    expect(unsaid.body.errors.map((e: { path: string }) => e.path)).toEqual(['reportToChief']);
    const noReason = await submit({ reportToChief: { needed: true, reason: '  ' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: { path: string }) => e.path)).toEqual(['reportToChief.reason']);
    expect((await submit({ reportToChief: { needed: true, reason: '施錠の不備' }, extra: 1 })).status).toBe(400);
    const trailBefore = await stack.call('GET', `/audit-log?entityType=inspection&entityId=${inspectionId}`, { as: lead });
    expect(trailBefore.body.items.map((e: { action: string }) => e.action)).toEqual(['inspection.opened', 'inspection.updated']);

    // In tests the function's publisher is a recorder (LOCAL_EVENTS=memory; the bus in AWS).
    const bus = deps().events;
    if (!(bus instanceof MemoryPublisher)) throw new Error('expected the handlers to record their events (LOCAL_EVENTS=memory)');
    const published = bus.published.length;
    const reported = await submit({ reportToChief: { needed: true, reason: '保管庫の施錠に不備があった' } });
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({ status: 'submitted', report: { needed: true, reason: '保管庫の施錠に不備があった' } });
    const taskId = reported.body.reviewTaskId as string;
    const inbox = await stack.call('GET', '/tasks?mine=true', { as: chief });
    const task = inbox.body.items.find((t: { taskId: string }) => t.taskId === taskId);
    expect(task).toMatchObject({
      kind: 'inspection',
      status: 'open',
      source: '第27条',
      assignee: { role: 'chiefManager' },
      subject: { type: 'inspection', id: inspectionId },
    });
    expect(task.title).toMatch(/^市民課 .+の点検結果の報告（第27条）$/);
    // The chief's task is announced after the commit (kansa.TaskCreated), as the duties announce theirs.
    expect(bus.published.slice(published)).toEqual([
      { type: 'TaskCreated', detail: expect.objectContaining({ taskId, kind: 'inspection', assignee: { role: 'chiefManager' } }) },
    ]);
    const trail = await stack.call('GET', `/audit-log?entityType=inspection&entityId=${inspectionId}`, { as: lead });
    const events = trail.body.items as { action: string; after: Record<string, unknown> }[];
    expect(events.at(-1)).toMatchObject({ action: 'inspection.submitted', after: { report: { needed: true }, reviewTaskId: taskId } });
    expect((await stack.call('GET', `/audit-log?entityType=task&entityId=${taskId}`, { as: lead })).body.items[0].action).toBe(
      'task.created',
    );

    // The 見直し (第28条): the 総括保護管理者 only, with what changes when the measures do.
    const review = (body: unknown, as = chief) => stack.call('POST', `/inspections/${inspectionId}/review`, { as, body });
    const byManager = await review({ changes: false }, manager);
    expect(byManager.status).toBe(403);
    expect(byManager.body.detail).toMatch(japanese);
    const empty = await review({ changes: true, measures: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((e: { path: string }) => e.path)).toEqual(['measures']);
    const reviewed = await stack.call('POST', `/inspections/${inspectionId}/review`, {
      as: chief,
      headers: { 'if-match': '"3"' },
      body: { changes: true, measures: '保管庫の鍵の管理簿を設ける' },
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({
      status: 'reviewed',
      review: { changes: true, measures: '保管庫の鍵の管理簿を設ける', reviewedBy: chief },
    });
    expect((await stack.call('GET', `/tasks/${taskId}`, { as: chief })).body).toMatchObject({ status: 'done', closedBy: chief });
    expect((await review({ changes: false })).status).toBe(409);

    // A 点検 not reported awaits no 見直し and gives the chief no task, announced or not.
    const before = bus.published.length;
    const quiet = await duties.inspectionIn('citizens', 'submitted');
    expect(bus.published.length).toBe(before);
    const notReported = await stack.call('POST', `/inspections/${quiet.inspectionId}/review`, { as: chief, body: { changes: false } });
    expect(notReported.status).toBe(409);
    expect(notReported.body.detail).toMatch(japanese);
  });

  it('another 課 neither sees nor answers it; auditors and the 部長 read it; lists filter by 課, period and status', async () => {
    const { inspectionId } = await duties.inspectionIn('citizens');
    expect((await stack.call('GET', `/inspections/${inspectionId}`, { as: 'tax-manager' })).status).toBe(404);
    expect(
      (await stack.call('PATCH', `/inspections/${inspectionId}`, { as: 'tax-manager', body: { answers: [{ index: 0, result: 'ok' }] } }))
        .status,
    ).toBe(404);
    const byAuditor = await stack.call('PATCH', `/inspections/${inspectionId}`, {
      as: lead,
      body: { answers: [{ index: 0, result: 'ok' }] },
    });
    expect(byAuditor.status).toBe(403);
    expect((await stack.call('GET', `/inspections/${inspectionId}`, { as: lead })).status).toBe(200);
    expect((await stack.call('GET', `/inspections/${inspectionId}`, { as: 'citizen-director' })).status).toBe(200);
    const period = (await stack.call('GET', `/inspections/${inspectionId}`, { as: lead })).body.period as string;

    const mine = await stack.call('GET', '/inspections?status=open', { as: 'citizens-staff' });
    expect(mine.status).toBe(200);
    expect(mine.body.items.every((i: { department: string; status: string }) => i.department === 'citizens' && i.status === 'open')).toBe(
      true,
    );
    expect(mine.body.items.some((i: { inspectionId: string }) => i.inspectionId === inspectionId)).toBe(true);
    const byPeriod = await stack.call('GET', `/inspections?period=${period}`, { as: lead });
    expect(byPeriod.body.items.map((i: { inspectionId: string }) => i.inspectionId)).toEqual([inspectionId]);
    const byBoth = await stack.call('GET', `/inspections?period=${period}&department=citizens&status=submitted`, { as: lead });
    expect(byBoth.body.items).toEqual([]);
    expect((await stack.call('GET', '/inspections?department=citizens', { as: 'tax-staff' })).status).toBe(403);
    expect((await stack.call('GET', '/inspections?period=2027-04', { as: lead })).status).toBe(400);
  });
  it('evidence must be registered for this very 点検: unknown, another 点検 (another 課) or rejected ids are a Japanese 400 and nothing is written', async () => {
    const { inspectionId } = await duties.inspectionIn('citizens');
    const other = await duties.inspectionIn('resident-tax');
    const manager = 'citizens-manager';
    const foreign = await data.evidenceIn('verified', 'tax-manager', { type: 'inspection', id: other.inspectionId });
    const ownOther = await duties.inspectionIn('citizens');
    const misfiled = await data.evidenceIn('pending', manager, { type: 'inspection', id: ownOther.inspectionId });
    const rejected = await data.evidenceIn('rejected', manager, { type: 'inspection', id: inspectionId });
    for (const [ids, path] of [
      [[unknownId], 'evidenceIds.0'],
      [[foreign], 'evidenceIds.0'],
      [[misfiled], 'evidenceIds.0'],
      [[rejected], 'evidenceIds.0'],
    ] as const) {
      const r = await stack.call('PATCH', `/inspections/${inspectionId}`, {
        as: manager,
        body: { answers: [{ index: 0, result: 'ok' }], evidenceIds: ids },
      });
      expect(r.status, ids[0]).toBe(400);
      expect(r.body.detail).toMatch(japanese);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
    const unchanged = await stack.call('GET', `/inspections/${inspectionId}`, { as: manager });
    expect(unchanged.body).toMatchObject({ version: 1, evidenceIds: [] });
    expect(unchanged.body.checklist[0].result).toBeNull();
    const trail = await stack.call('GET', `/audit-log?entityType=inspection&entityId=${inspectionId}`, { as: lead });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(['inspection.opened']);

    // Its own evidence, still being verified, is accepted.
    const own = await data.evidenceIn('pending', 'citizens-staff', { type: 'inspection', id: inspectionId });
    const ok = await stack.call('PATCH', `/inspections/${inspectionId}`, {
      as: manager,
      body: { answers: [{ index: 0, result: 'ok' }], evidenceIds: [own] },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.evidenceIds).toEqual([own]);
  });
});
