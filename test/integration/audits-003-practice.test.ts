import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutyWork } from '#lib/app/duty-work.js';
import { practiceLabel } from '#lib/domain/provisions.js';
import { deps } from '#lib/runtime/ports.js';
import { dutyRun } from '#test/support/duty-data.js';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';

/**
 * 甲賀広域行政組合 (003) in a deployment that audits as its practice
 * (`PRACTICES_JSON={"audits":true}`): the 監査 works as under 001, and what comes from
 * the practice says 運用上のルール, never an article of the regulation. The whole audit
 * under this practice is test/integration/profile-003.test.ts.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ profileId: '003', practicesJson: '{"audits":true}' });
});
afterAll(async () => {
  await stack?.close();
});

describe('監査 under profile 003 as the deployment’s practice', () => {
  it('serves the practice: 監査 provisions as practice, a 監査責任者, the annual plan enabled', async () => {
    const r = await stack.call('GET', '/profile', { as: 'clerk' });
    expect(r.status).toBe(200);
    expect(r.body.practices.audits).toBe(true);
    for (const id of ['audit', 'auditPlan', 'planApproval', 'auditReport'])
      expect(r.body.provisions[id], id).toEqual({ basis: 'practice' });
    expect(r.body.roleTitles.auditLead).toBe('監査責任者');
    expect(r.body.duties.find((d: { duty: string }) => d.duty === 'annual-plan')).toMatchObject({ enabled: true, source: practiceLabel });
  });

  it('asks the 監査責任者 for the year’s plan citing 運用上のルール, and the drafted plan closes the task', async () => {
    await dutyWork['annual-plan'](deps(), dutyRun('annual-plan', 'FY2045', '2045-04-01'));
    const mine = await stack.call('GET', '/tasks?mine=true', { as: 'policy-director' });
    expect(mine.status).toBe(200);
    const drafting = (mine.body.items as { kind: string; source: string; title: string; taskId: string }[]).filter(
      (t) => t.kind === 'draftPlan',
    );
    expect(drafting).toHaveLength(1);
    expect(drafting[0]?.source).toBe(practiceLabel);
    expect(drafting[0]?.title).not.toMatch(/第\d+条/);

    const body = planBody({
      fiscalYear: 2045,
      schedule: { from: '2045-10-01', to: '2045-11-30' },
      team: [{ role: 'auditLead', userId: 'policy-director' }],
      criteria: undefined,
    });
    const created = await stack.call('POST', '/plans', { as: 'policy-director', body });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', criteria: '甲賀広域行政組合特定個人情報等管理規程', profile: { id: '003' } });
    const task = await stack.call('GET', `/tasks/${drafting[0]?.taskId}`, { as: 'policy-director' });
    expect(task.body.status).toBe('done');
  });
});
