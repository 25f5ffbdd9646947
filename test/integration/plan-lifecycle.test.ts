import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

const lead = 'policy-director';
const chief = 'vice-mayor';

async function draft(overrides: Record<string, unknown> = {}) {
  const r = await stack.call('POST', '/plans', { as: lead, body: planBody(overrides) });
  expect(r.status).toBe(201);
  return r;
}

describe('監査計画 lifecycle over HTTP (第26条)', () => {
  it('drafts, is returned with a reason, is edited and resubmitted, then approved and started; the trail records each step', async () => {
    const created = await draft();
    const planId = created.body.planId as string;
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/api/plans/${planId}`);
    expect(created.body).toMatchObject({ status: 'draft', version: 1, revision: 1, createdBy: lead, profile: { id: '001' } });

    const submitted = await stack.call('POST', `/plans/${planId}/submit`, { as: lead, headers: { 'if-match': '"1"' } });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', version: 2, submittedBy: lead });

    const noReason = await stack.call('POST', `/plans/${planId}/return`, { as: chief, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.headers.get('content-type')).toContain('application/problem+json');
    expect(noReason.body.errors[0].path).toBe('reason');

    const returned = await stack.call('POST', `/plans/${planId}/return`, {
      as: chief,
      body: { reason: '監査範囲に委託先の管理状況を含めてください。' },
    });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({
      status: 'returned',
      version: 3,
      returnedBy: chief,
      returnReason: '監査範囲に委託先の管理状況を含めてください。',
    });

    const edited = await stack.call('PATCH', `/plans/${planId}`, {
      as: lead,
      headers: { 'if-match': '"3"' },
      body: { scope: '第2章から第7章まで及び委託先（第22条）の管理状況' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'returned', version: 4, scope: '第2章から第7章まで及び委託先（第22条）の管理状況' });

    expect((await stack.call('POST', `/plans/${planId}/submit`, { as: lead })).body.status).toBe('submitted');

    const approved = await stack.call('POST', `/plans/${planId}/approve`, { as: chief, body: { comment: '承認します。' } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', version: 6, approvedBy: chief, approvalComment: '承認します。' });
    expect(approved.headers.get('etag')).toBe('"6"');

    const frozen = await stack.call('PATCH', `/plans/${planId}`, { as: lead, body: { purpose: '変更' } });
    expect(frozen.status).toBe(409);
    expect(frozen.body.detail).toContain('改訂版');

    const started = await stack.call('POST', `/plans/${planId}/start`, { as: lead });
    expect(started.body).toMatchObject({ status: 'inProgress', version: 7 });

    const trail = await stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}`, { as: chief });
    expect(trail.status).toBe(200);
    expect(
      trail.body.items.map((e: { action: string; actor: { sub: string }; version: number }) => [e.action, e.actor.sub, e.version]),
    ).toEqual([
      ['plan.created', lead, 1],
      ['plan.submitted', lead, 2],
      ['plan.returned', chief, 3],
      ['plan.updated', lead, 4],
      ['plan.submitted', lead, 5],
      ['plan.approved', chief, 6],
      ['plan.started', lead, 7],
    ]);
    const returnedEvent = trail.body.items[2];
    expect(returnedEvent.reason).toBe('監査範囲に委託先の管理状況を含めてください。');
    expect(returnedEvent.before).toMatchObject({ status: 'submitted' });
    expect(returnedEvent.after).toMatchObject({ status: 'returned' });
  });

  it('refuses self-approval, approval by a 監査補助者, and approving twice, with Japanese reasons', async () => {
    const selfApprover = {
      id: 'lead-and-chief',
      name: '兼務 者',
      roles: ['auditLead', 'chiefManager'] as const,
      department: 'policy-planning',
    };
    const own = await stack.call('POST', '/plans', { as: { ...selfApprover, roles: [...selfApprover.roles] }, body: planBody() });
    const planId = own.body.planId as string;
    await stack.call('POST', `/plans/${planId}/submit`, { as: { ...selfApprover, roles: [...selfApprover.roles] } });

    const self = await stack.call('POST', `/plans/${planId}/approve`, { as: { ...selfApprover, roles: [...selfApprover.roles] } });
    expect(self.status).toBe(403);
    expect(self.body.detail).toContain('職務の分離');

    const assistant = await stack.call('POST', `/plans/${planId}/approve`, { as: 'dx-manager' });
    expect(assistant.status).toBe(403);
    expect(assistant.body.detail).toContain('総括保護管理者');

    expect((await stack.call('POST', `/plans/${planId}/approve`, { as: chief })).status).toBe(200);
    const again = await stack.call('POST', `/plans/${planId}/approve`, { as: chief });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('承認済み');
  });

  it('answers 412 with the current ETag when If-Match is stale', async () => {
    const planId = (await draft()).body.planId as string;
    await stack.call('PATCH', `/plans/${planId}`, { as: lead, body: { purpose: '一回目' } });
    const stale = await stack.call('PATCH', `/plans/${planId}`, { as: lead, headers: { 'if-match': '"1"' }, body: { purpose: '二回目' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect(stale.body.currentVersion).toBe(2);
    expect((await stack.call('GET', `/plans/${planId}`, { as: lead })).body.purpose).toBe('一回目');
  });

  it('makes a draft revision of an approved plan; the approved one stays readable until the revision is approved', async () => {
    const planId = (await draft()).body.planId as string;
    await stack.call('POST', `/plans/${planId}/submit`, { as: lead });
    await stack.call('POST', `/plans/${planId}/approve`, { as: chief });

    const revision = await stack.call('POST', `/plans/${planId}/revisions`, { as: lead });
    expect(revision.status).toBe(201);
    const revId = revision.body.planId as string;
    expect(revision.body).toMatchObject({ status: 'draft', revision: 2, revisionOf: planId, version: 1 });

    const second = await stack.call('POST', `/plans/${planId}/revisions`, { as: lead });
    expect(second.status).toBe(409);

    const original = await stack.call('GET', `/plans/${planId}`, { as: chief });
    expect(original.body).toMatchObject({ status: 'approved', pendingRevisionId: revId });
    expect((await stack.call('POST', `/plans/${planId}/start`, { as: lead })).status).toBe(409);

    await stack.call('PATCH', `/plans/${revId}`, { as: lead, body: { schedule: { from: '2026-12-01', to: '2027-01-31' } } });
    await stack.call('POST', `/plans/${revId}/submit`, { as: lead });
    const approved = await stack.call('POST', `/plans/${revId}/approve`, { as: chief });
    expect(approved.body.status).toBe('approved');

    const superseded = await stack.call('GET', `/plans/${planId}`, { as: chief });
    expect(superseded.body).toMatchObject({ status: 'approved', supersededBy: revId, schedule: { from: '2026-10-01' } });
    expect(superseded.body.pendingRevisionId).toBeUndefined();
    expect((await stack.call('POST', `/plans/${planId}/start`, { as: lead })).status).toBe(409);
    expect((await stack.call('POST', `/plans/${revId}/start`, { as: lead })).status).toBe(200);

    const trail = await stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}`, { as: lead });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual([
      'plan.created',
      'plan.submitted',
      'plan.approved',
      'plan.revisionOpened',
      'plan.superseded',
    ]);
  });

  it('lists plans of a 年度 by status with cursor pagination, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await draft({ fiscalYear: 2030, schedule: { from: '2030-06-01', to: '2030-06-30' } })).body.planId);
    await stack.call('POST', `/plans/${ids[0]}/submit`, { as: lead });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: { items: { planId: string }[]; nextCursor: string | null } } = await stack.call(
        'GET',
        `/plans?fiscalYear=2030&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { as: 'dx-manager' },
      );
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.items.map((p) => p.planId));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const submitted = await stack.call('GET', '/plans?fiscalYear=2030&status=submitted', { as: chief });
    expect(submitted.body.items.map((p: { planId: string }) => p.planId)).toEqual([ids[0]]);

    const forged = await stack.call('GET', `/plans?fiscalYear=2031&cursor=${encodeURIComponent(cursor ?? 'eyJwayI6IlgifQ')}`, {
      as: chief,
    });
    expect(forged.status).toBe(400);
  });

  it('speaks problem+json for unknown routes, malformed JSON, bad tokens and unknown ids', async () => {
    const unknownRoute = await stack.call('GET', '/nope', { as: lead });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.headers.get('content-type')).toContain('application/problem+json');

    const malformed = await stack.call('POST', '/plans', { as: lead, rawBody: '{"fiscalYear": 2026,' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toContain('JSON');

    expect((await stack.call('GET', '/me')).status).toBe(401);
    const forged = await stack.call('GET', '/me', { headers: { authorization: `Bearer ${(await stack.token(lead)).slice(0, -4)}AAAA` } });
    expect(forged.status).toBe(401);
    expect(forged.body.title).toBe('認証が必要です');

    const unknownPlan = await stack.call('GET', '/plans/01JZZZZZZZZZZZZZZZZZZZZZZZ', { as: lead });
    expect(unknownPlan.status).toBe(404);
    expect(unknownPlan.body.detail).toContain('監査計画');

    const notJson = await stack.call('POST', '/plans', { as: lead, rawBody: 'fiscalYear=2026', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(415);
  });
});
