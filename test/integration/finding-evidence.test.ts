import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditData, auditData, findingBody, lead, japanese, unknownId } from '#test/support/audit-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * Evidence on a 監査所見 over HTTP: a finding takes only evidence registered for that
 * very finding (POST /evidence with it as the target), like 点検, contractor checks and
 * actions. Anything else is a Japanese 400 naming the id, and nothing is written.
 */

let stack: TestStack;
let data: AuditData;
beforeAll(async () => {
  stack = await startTestStack();
  data = auditData(stack);
});
afterAll(async () => {
  await stack?.close();
});

const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describe('evidenceIds of a finding', () => {
  it('create: a new finding has no evidence yet; an unknown id or another finding’s evidence is a 400 and no finding is recorded', async () => {
    const planId = await data.hostPlan();
    const other = await data.findingBy(lead, 'citizens');
    const ofOther = await data.evidenceIn('verified', lead, { type: 'finding', id: other });
    const before = await stack.call('GET', `/plans/${planId}/findings?limit=100`, { as: lead });
    for (const ids of [[unknownId], [ofOther]]) {
      const r = await stack.call('POST', `/plans/${planId}/findings`, {
        as: lead,
        body: { ...findingBody(lead, 'citizens'), evidenceIds: ids },
      });
      expect(r.status, ids.join()).toBe(400);
      expect(r.body.detail).toMatch(japanese);
      expect(paths(r.body)).toEqual(['evidenceIds.0']);
    }
    const after = await stack.call('GET', `/plans/${planId}/findings?limit=100`, { as: lead });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('update: unknown, another target’s or rejected evidence is a 400 naming it, the finding unchanged; its own evidence attaches', async () => {
    const findingId = await data.findingBy(lead, 'citizens');
    const other = await data.findingBy(lead, 'citizens');
    const own = await data.evidenceIn('verified', lead, { type: 'finding', id: findingId });
    const rejected = await data.evidenceIn('rejected', lead, { type: 'finding', id: findingId });
    const ofOther = await data.evidenceIn('verified', lead, { type: 'finding', id: other });
    const ofPlan = await data.evidenceIn('verified', lead, { type: 'plan', id: await data.hostPlan() });
    for (const ids of [
      [own, unknownId],
      [own, ofOther],
      [own, ofPlan],
      [own, rejected],
    ]) {
      const r = await stack.call('PATCH', `/findings/${findingId}`, { as: lead, body: { evidenceIds: ids } });
      expect(r.status, ids.join()).toBe(400);
      expect(r.body.detail).toMatch(japanese);
      expect(paths(r.body)).toEqual(['evidenceIds.1']);
    }
    const unchanged = await stack.call('GET', `/findings/${findingId}`, { as: lead });
    expect(unchanged.body).toMatchObject({ version: 1, evidenceIds: [] });
    const trail = await stack.call('GET', `/audit-log?entityType=finding&entityId=${findingId}`, { as: lead });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(['finding.created']);

    const attached = await stack.call('PATCH', `/findings/${findingId}`, {
      as: lead,
      headers: { 'if-match': '"1"' },
      body: { evidenceIds: [own] },
    });
    expect(attached.status).toBe(200);
    expect(attached.body).toMatchObject({ version: 2, evidenceIds: [own] });
  });
});
