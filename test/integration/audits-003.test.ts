import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';

/**
 * 甲賀広域行政組合 (003) as written: its regulation has no 監査 (its review is the 点検 of
 * 第30条), and this deployment does not audit as its practice. No one may draft a 監査計画,
 * whatever groups they hold: a Japanese 409 says why and how a deployment may audit;
 * the 監査 reads answer empty lists.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ profileId: '003' });
});
afterAll(async () => {
  await stack?.close();
});

const regulation = '甲賀広域行政組合特定個人情報等管理規程';
const body = planBody({ team: [{ role: 'auditLead', userId: 'policy-director' }], criteria: undefined });

describe('監査 under profile 003 without the practice', () => {
  it('has no 監査 provision, no 監査責任者 and no annual plan in its profile', async () => {
    const r = await stack.call('GET', '/profile', { as: 'clerk' });
    expect(r.status).toBe(200);
    expect(r.body.provisions.audit).toBeUndefined();
    expect(r.body.practices.audits).toBe(false);
    expect(r.body.roleTitles.auditLead).toBeUndefined();
    expect(r.body.duties.find((d: { duty: string }) => d.duty === 'annual-plan')).toMatchObject({ enabled: false });
  });

  it.each(['policy-director', 'vice-mayor', 'clerk'])(
    'refuses a 監査計画 drafted by %s with a Japanese 409 naming the practice',
    async (as) => {
      const r = await stack.call('POST', '/plans', { as, body, headers: { 'idempotency-key': `no-audit-${as}` } });
      expect(r.status, r.text).toBe(409);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body).toMatchObject({
        type: 'urn:kansa:problem:audit-not-in-regulation',
        status: 409,
        title: '現在の状態では実行できません',
      });
      expect(r.body.detail).toContain(`${regulation}には監査の定めがない`);
      expect(r.body.detail).toContain('PRACTICES_JSON');
      expect(r.body.detail).toContain('{"audits": true}');
      // No article is cited: the regulation has none for a 監査.
      expect(r.body.detail).not.toMatch(/第\d+条/);
    },
  );

  it('keeps the reads working: no plans, no actions', async () => {
    const plans = await stack.call('GET', '/plans?fiscalYear=2026', { as: 'vice-mayor' });
    expect(plans.status).toBe(200);
    expect(plans.body.items).toEqual([]);
    const actions = await stack.call('GET', '/actions', { as: 'vice-mayor' });
    expect(actions.status).toBe(200);
    expect(actions.body.items).toEqual([]);
  });
});
