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
const N = 20;

async function trail(planId: string): Promise<{ action: string; version: number }[]> {
  return (await stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}&limit=100`, { as: chief })).body.items;
}

describe('concurrent changes to one plan', () => {
  it(`${N} concurrent approvals: exactly one wins, the rest get 409/412, the version rises by one, one audit event`, async () => {
    const planId = (await stack.call('POST', '/plans', { as: lead, body: planBody() })).body.planId as string;
    await stack.call('POST', `/plans/${planId}/submit`, { as: lead });
    const before = (await stack.call('GET', `/plans/${planId}`, { as: chief })).body.version as number;

    const replies = await Promise.all(Array.from({ length: N }, () => stack.call('POST', `/plans/${planId}/approve`, { as: chief })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 409 || s === 412)).toBe(true);
    for (const r of replies.filter((x) => x.status !== 200)) expect(r.headers.get('content-type')).toContain('application/problem+json');

    const after = (await stack.call('GET', `/plans/${planId}`, { as: chief })).body;
    expect(after.status).toBe('approved');
    expect(after.version).toBe(before + 1);
    expect((await trail(planId)).filter((e) => e.action === 'plan.approved')).toHaveLength(1);
  });

  it(`${N} concurrent PATCHes of one version: exactly one lands, with exactly one event`, async () => {
    const planId = (await stack.call('POST', '/plans', { as: lead, body: planBody() })).body.planId as string;
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        stack.call('PATCH', `/plans/${planId}`, { as: lead, headers: { 'if-match': '"1"' }, body: { purpose: `目的 ${i}` } }),
      ),
    );
    const winners = replies.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(replies.every((r) => [200, 409, 412].includes(r.status))).toBe(true);

    const after = (await stack.call('GET', `/plans/${planId}`, { as: lead })).body;
    expect(after.version).toBe(2);
    expect(after.purpose).toBe(winners[0]?.body.purpose);
    const events = await trail(planId);
    expect(events.map((e) => e.action)).toEqual(['plan.created', 'plan.updated']);
    expect(events[1]?.version).toBe(2);
  });
});
