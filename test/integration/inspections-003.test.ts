import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutyWork } from '#lib/app/duty-work.js';
import { deps } from '#lib/runtime/ports.js';
import { MemoryPublisher } from '#lib/jobs/events.js';
import { type AuditData, auditData, chief, japanese } from '#test/support/audit-data.js';
import { dutyRun } from '#test/support/duty-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 点検 under 甲賀広域行政組合 (003) as its 第30条 writes it: 総括責任者及び事務取扱責任者 inspect
 * at least once a year and review the 安全管理措置. The 課 inspected are those of the
 * 事務取扱責任者 its 別表 names (総務課長 → 総務課), each 点検 naming the 事務 it covers; the
 * checklist is the nine items its 第27条 lists. Both owners fill it in and attach evidence,
 * each with a task from its opening; the 事務取扱責任者 submits it and the 総括責任者 records
 * the 見直し that completes it.
 */

let stack: TestStack;
let data: AuditData;
beforeAll(async () => {
  stack = await startTestStack({ profileId: '003' });
  data = auditData(stack);
});
afterAll(async () => {
  await stack?.close();
});

const manager = 'general-manager';
/** Reads every 点検 (deputyManager) but conducts none. */
const deputy = 'policy-director';

describe('点検 under profile 003', () => {
  it('opens one yearly joint 点検, for the 総務課 of the 別表 only, naming both owners and its 事務; the 見直し completes it', async () => {
    const bus = deps().events;
    if (!(bus instanceof MemoryPublisher)) throw new Error('expected the handlers to record their events (LOCAL_EVENTS=memory)');
    const result = await dutyWork['section-inspection'](deps(), dutyRun('section-inspection', 'FY2027', '2027-04-01'));
    expect(result.created).toBe(1);
    const listed = await stack.call('GET', '/inspections?period=FY2027', { as: chief });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const [inspection] = listed.body.items as {
      inspectionId: string;
      taskId: string;
      reviewTaskId: string;
      checklist: { item: string }[];
      affairs: { row: number; affair: string }[];
    }[];
    expect(inspection).toMatchObject({
      department: 'general-affairs',
      dueDate: '2028-03-31',
      source: '第30条',
      conductedBy: '総括責任者及び事務取扱責任者',
      jointWith: 'chiefManager',
      affairs: [
        {
          row: 1,
          affair: '職員、その扶養親族等及び第3号被保険者に関する事務',
          information: '職員の氏名、住所及び個人番号並びにその扶養親族等の氏名及び個人番号',
        },
      ],
    });
    expect(inspection?.checklist.map((c) => c.item)).toEqual([
      '特定個人情報ファイルの種類、名称',
      '対象者及び個人情報の項目',
      '明示、公表等を行った利用目的',
      '責任者、取扱部署',
      'アクセス権を有する者',
      '保管場所',
      '保管方法',
      '保存期間',
      '削除、廃棄状況',
    ]);
    const id = inspection?.inspectionId as string;
    // A 課 the 別表 does not name has no 点検; its 課長 cannot see this one.
    expect((await stack.call('GET', '/inspections?department=citizens&period=FY2027', { as: 'citizens-manager' })).body.items).toEqual([]);
    expect((await stack.call('GET', `/inspections/${id}`, { as: 'citizens-manager' })).status).toBe(404);
    // Both owners read it.
    expect((await stack.call('GET', `/inspections/${id}`, { as: chief })).status).toBe(200);
    expect((await stack.call('GET', `/inspections/${id}`, { as: manager })).status).toBe(200);

    const own = await stack.call('GET', `/tasks/${inspection?.taskId}`, { as: manager });
    expect(own.body).toMatchObject({
      status: 'open',
      source: '第30条',
      assignee: { role: 'sectionManager', department: 'general-affairs' },
    });
    expect(own.body.title).toBe('総務課 令和9年度の点検（総括責任者及び事務取扱責任者、第30条）');

    // The 総括責任者's task opens with the 点検 (they inspect with the 課, then 見直す), announced with the 課's.
    const reviewTaskId = inspection?.reviewTaskId as string;
    const inbox = await stack.call('GET', '/tasks?mine=true', { as: chief });
    const task = inbox.body.items.find((t: { taskId: string }) => t.taskId === reviewTaskId);
    expect(task).toMatchObject({
      status: 'open',
      source: '第30条',
      assignee: { role: 'chiefManager' },
      subject: { type: 'inspection', id },
      dueDate: '2028-03-31',
    });
    expect(task.title).toBe('総務課 令和9年度の点検及び安全管理措置の見直し（総括責任者及び事務取扱責任者、第30条）');
    expect(result.events.map((e) => e.detail.taskId)).toEqual([inspection?.taskId, reviewTaskId]);

    // Both owners fill it in and attach evidence; another 課長 does neither. The 事務取扱責任者 submits it.
    const answers = inspection?.checklist.map((_, index) => ({ index, result: index === 8 ? 'na' : 'ok' }));
    const photo = await data.evidenceIn('verified', chief, { type: 'inspection', id });
    const byChief = await stack.call('PATCH', `/inspections/${id}`, {
      as: chief,
      body: { answers: answers?.slice(0, 4), evidenceIds: [photo] },
    });
    expect(byChief.status).toBe(200);
    expect(byChief.body).toMatchObject({ lastEditedBy: chief, evidenceIds: [photo] });
    expect((await stack.call('PATCH', `/inspections/${id}`, { as: 'citizens-manager', body: { answers } })).status).toBe(404);
    expect((await stack.call('PATCH', `/inspections/${id}`, { as: manager, body: { answers } })).status).toBe(200);
    const notOwner = await stack.call('PATCH', `/inspections/${id}`, { as: deputy, body: { answers } });
    expect(notOwner.status).toBe(403);
    expect(notOwner.body.detail).toContain('総括責任者');
    expect((await stack.call('POST', `/inspections/${id}/submit`, { as: chief, body: {} })).status).toBe(403);
    // 003 has no report to the 総括責任者 on submission (they inspect jointly): the field is refused.
    const withReport = await stack.call('POST', `/inspections/${id}/submit`, {
      as: manager,
      body: { reportToChief: { needed: true, reason: '不備' } },
    });
    expect(withReport.status).toBe(400);
    expect(withReport.body.detail).toMatch(japanese);
    expect(withReport.body.detail).toContain('総括責任者');
    // The 総括責任者 answers last: they record the 見直し all the same (no 職務の分離 between the two owners).
    expect(
      (await stack.call('PATCH', `/inspections/${id}`, { as: chief, body: { answers: [{ index: 0, result: 'ok', note: '台帳と照合' }] } }))
        .status,
    ).toBe(200);
    const published = bus.published.length;
    const submitted = await stack.call('POST', `/inspections/${id}/submit`, { as: manager, headers: { 'if-match': '"4"' }, body: {} });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', reviewTaskId, lastEditedBy: chief });
    expect(submitted.body).not.toHaveProperty('report');
    expect((await stack.call('GET', `/tasks/${inspection?.taskId}`, { as: manager })).body.status).toBe('done');
    // No second task for the chief: theirs is open since the 点検 opened.
    expect(bus.published.length).toBe(published);
    expect((await stack.call('GET', `/tasks/${reviewTaskId}`, { as: chief })).body.status).toBe('open');

    const review = (body: unknown, as = chief) => stack.call('POST', `/inspections/${id}/review`, { as, body });
    expect((await review({ changes: false }, manager)).status).toBe(403);
    const noMeasures = await review({ changes: true });
    expect(noMeasures.status).toBe(400);
    expect(noMeasures.body.errors.map((e: { path: string }) => e.path)).toEqual(['measures']);
    const reviewed = await review({ changes: true, measures: '持出し記録の様式を改める' });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({
      status: 'reviewed',
      review: { changes: true, measures: '持出し記録の様式を改める', reviewedBy: chief },
    });
    expect((await stack.call('GET', `/tasks/${reviewTaskId}`, { as: chief })).body).toMatchObject({ status: 'done', closedBy: chief });
    expect((await review({ changes: false })).status).toBe(409);

    const trail = await stack.call('GET', `/audit-log?entityType=inspection&entityId=${id}`, { as: chief });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual([
      'inspection.opened',
      'inspection.updated',
      'inspection.updated',
      'inspection.updated',
      'inspection.submitted',
      'inspection.reviewed',
    ]);
    // Nothing cites another regulation's article (001's 第27条 is 003's 取扱状況の記録).
    for (const t of [own.body.title, task.title]) expect(t).not.toContain('第27条');
  });

  it('003 sets no periodic contractor check: the duty is disabled in the profile', () => {
    expect(deps().profile.duties.find((d) => d.duty === 'contractor-check')?.enabled).toBe(false);
  });
});
