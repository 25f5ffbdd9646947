import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutyWork } from '#lib/app/duty-work.js';
import { deps } from '#lib/runtime/ports.js';
import { lead } from '#test/support/audit-data.js';
import { dutyRun } from '#test/support/duty-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * The tasks inbox over HTTP: `mine` merges the caller's roles (with their 課 for
 * section roles) by due date, page by page; `department` for those who see the 課.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  // Three quarters of 点検 for every 課, and the year's drafting task.
  for (const period of ['FY2044-Q3', 'FY2044-Q1', 'FY2044-Q2'])
    await dutyWork['section-inspection'](deps(), dutyRun('section-inspection', period, '2044-04-01'));
  await dutyWork['annual-plan'](deps(), dutyRun('annual-plan', 'FY2044', '2044-04-01'));
});
afterAll(async () => {
  await stack?.close();
});

type TaskBody = { taskId: string; dueDate: string; assignee: { role: string; department?: string }; kind: string };

async function allPages(path: string, as: string): Promise<TaskBody[]> {
  const out: TaskBody[] = [];
  let cursor: string | null = null;
  do {
    const r = await stack.call('GET', `${path}${cursor ? `&cursor=${cursor}` : ''}`, { as });
    expect(r.status).toBe(200);
    out.push(...(r.body.items as TaskBody[]));
    cursor = r.body.nextCursor as string | null;
  } while (cursor);
  return out;
}

describe('GET /tasks', () => {
  it('mine: every role of the caller, merged by due date across pages without gaps or repeats', async () => {
    // DX戦略課長: 監査補助者 and 保護管理者 of DX戦略課 — the 点検 tasks are theirs by the second role.
    const tasks = await allPages('/tasks?mine=true&limit=2', 'dx-manager');
    expect(tasks.map((t) => t.dueDate)).toEqual(['2044-06-30', '2044-09-30', '2044-12-31']);
    expect(new Set(tasks.map((t) => t.taskId)).size).toBe(3);
    expect(tasks.every((t) => t.assignee.role === 'sectionManager' && t.assignee.department === 'dx-strategy')).toBe(true);
    const leads = await allPages('/tasks?mine=true&limit=1', lead);
    expect(leads.map((t) => t.kind)).toEqual(['draftPlan']);
    const clerk = await stack.call('GET', '/tasks?mine=true', { as: 'clerk' });
    expect(clerk.body).toEqual({ items: [], nextCursor: null });
  });

  it('department: for those who see the 課; a task of another 課 is 404; a forged cursor is 400', async () => {
    const byDept = await allPages('/tasks?department=citizens&limit=2', 'citizen-director');
    expect(byDept).toHaveLength(3);
    expect((await stack.call('GET', '/tasks?department=citizens', { as: 'tax-manager' })).status).toBe(403);
    const other = byDept[0] as TaskBody;
    expect((await stack.call('GET', `/tasks/${other.taskId}`, { as: 'tax-staff' })).status).toBe(404);
    expect((await stack.call('GET', `/tasks/${other.taskId}`, { as: 'citizens-staff' })).status).toBe(200);
    expect((await stack.call('GET', `/tasks/${other.taskId}`, { as: 'clerk' })).status).toBe(404);
    expect((await stack.call('GET', '/tasks?mine=true&cursor=bm90LWEta2V5', { as: 'citizens-manager' })).status).toBe(400);
  });
});
