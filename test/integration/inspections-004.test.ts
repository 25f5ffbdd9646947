import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chief, japanese } from '#test/support/audit-data.js';
import { type DutyData, dutyData } from '#test/support/duty-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 点検 under 久喜市 (004): 第43条 has the 保護管理者 report the results to the 総括保護管理者
 * 必要があると認めるとき, and 第44条 has them evaluate and review the measures. Every
 * message and task cites 004's articles, never 001's 第27条 (004's 端末の限定等).
 */

let stack: TestStack;
let duties: DutyData;
beforeAll(async () => {
  stack = await startTestStack({ profileId: '004' });
  duties = dutyData(stack);
});
afterAll(async () => {
  await stack?.close();
});

describe('点検 under profile 004', () => {
  it('the 保護管理者 says whether to report (第43条); a report is the 総括保護管理者’s task, closed by their 見直し (第44条)', async () => {
    const manager = 'citizens-manager';
    const { inspectionId, taskId } = await duties.inspectionIn('citizens', 'answered');
    const own = await stack.call('GET', `/tasks/${taskId}`, { as: manager });
    expect(own.body.title).toMatch(/の点検（第43条）$/);
    expect(own.body.source).toBe('第43条');

    const unsaid = await stack.call('POST', `/inspections/${inspectionId}/submit`, { as: manager, body: {} });
    expect(unsaid.status).toBe(400);
    expect(unsaid.body.detail).toMatch(japanese);
    expect(unsaid.body.detail).toContain('（第43条）');
    expect(unsaid.body.detail).not.toContain('第27条');

    const reported = await stack.call('POST', `/inspections/${inspectionId}/submit`, {
      as: manager,
      body: { reportToChief: { needed: true, reason: '端末の持出し記録に漏れがあった' } },
    });
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({ source: '第43条', report: { needed: true, reason: '端末の持出し記録に漏れがあった' } });
    const task = await stack.call('GET', `/tasks/${reported.body.reviewTaskId}`, { as: chief });
    expect(task.body).toMatchObject({ status: 'open', source: '第43条', assignee: { role: 'chiefManager' } });
    expect(task.body.title).toMatch(/^市民課 .+の点検結果の報告（第43条）$/);

    const reviewed = await stack.call('POST', `/inspections/${inspectionId}/review`, { as: chief, body: { changes: false } });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.status).toBe('reviewed');
    expect((await stack.call('GET', `/tasks/${reported.body.reviewTaskId}`, { as: chief })).body.status).toBe('done');
  });
});
