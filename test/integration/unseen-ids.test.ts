import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditData, auditData, evidenceBody, lead, japanese, unknownId } from '#test/support/audit-data.js';
import { type Reply, type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * API.md: 404 for an unknown id "also for ids the caller may not even see". Someone who
 * may not see a thing gets exactly the answer of an id that does not exist, before
 * anything else is looked at: not a 403 that says it is there, nor a 412 that tells its
 * version. Someone who sees it but may not do this still gets the 403 with the reason.
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

/** The answer as a caller sees it: status, problem type and detail, and whether it names a version. */
const seen = (r: Reply) => ({
  status: r.status,
  type: r.body?.type,
  detail: r.body?.detail,
  etag: r.headers.get('etag'),
  currentVersion: r.body?.currentVersion,
});

describe('evidence of a finding of another 課', () => {
  it('a 課長 of another 課 gets 404 from POST /evidence and GET /evidence, as for an unknown finding', async () => {
    const findingId = await data.findingBy(lead, 'citizens');
    const attach = (id: string) => stack.call('POST', '/evidence', { as: 'tax-manager', body: evidenceBody({ type: 'finding', id }) });
    const list = (id: string) => stack.call('GET', `/evidence?targetType=finding&targetId=${id}`, { as: 'tax-manager' });

    const attached = await attach(findingId);
    expect(attached.status, attached.text).toBe(404);
    expect(attached.headers.get('content-type')).toContain('application/problem+json');
    expect(attached.body.detail).toMatch(japanese);
    expect(seen(attached)).toEqual(seen(await attach(unknownId)));

    const listed = await list(findingId);
    expect(listed.status, listed.text).toBe(404);
    expect(seen(listed)).toEqual(seen(await list(unknownId)));

    // The 課's own 課長 sees the finding and its evidence, but attaching to it is the auditors' (403 with the reason).
    expect((await stack.call('GET', `/evidence?targetType=finding&targetId=${findingId}`, { as: 'citizens-manager' })).status).toBe(200);
    const refused = await stack.call('POST', '/evidence', {
      as: 'citizens-manager',
      body: evidenceBody({ type: 'finding', id: findingId }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(japanese);
  });
});

describe('a transition of an action of another 課 with a stale If-Match', () => {
  it('is 404 for a 課 that may not see the action (no version told), 412 with the ETag for its own 課', async () => {
    const actionId = await data.actionIn('open', lead, 'citizens');
    const progress = (as: string, id: string) =>
      stack.call('POST', `/actions/${id}/progress`, { as, headers: { 'if-match': '"7"' }, body: { note: '着手しました。' } });

    const other = await progress('tax-staff', actionId);
    expect(other.status, other.text).toBe(404);
    expect(other.headers.get('etag')).toBeNull();
    expect(other.body).not.toHaveProperty('currentVersion');
    expect(seen(other)).toEqual(seen(await progress('tax-staff', unknownId)));

    const own = await progress('citizens-staff', actionId);
    expect(own.status, own.text).toBe(412);
    expect(own.headers.get('etag')).toBe('"1"');

    // Seen but not theirs to work on (the 総括保護管理者): the current If-Match, then the reason.
    const chief = await stack.call('POST', `/actions/${actionId}/progress`, {
      as: 'vice-mayor',
      headers: { 'if-match': '"1"' },
      body: { note: '着手しました。' },
    });
    expect(chief.status).toBe(403);
    expect(chief.body.detail).toMatch(japanese);
    const unchanged = await stack.call('GET', `/actions/${actionId}`, { as: 'citizens-staff' });
    expect(unchanged.body).toMatchObject({ version: 1, status: 'open' });
  });
});
