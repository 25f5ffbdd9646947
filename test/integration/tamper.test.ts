import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEvent } from '#lib/app/trail-hash.js';
import type { AuditEvent } from '#lib/domain/audit.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { keys } from '#lib/store/keys.js';
import { stripKeys } from '#lib/store/table.js';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';

let stack: TestStack;
let doc: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  stack = await startTestStack();
  doc = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
});
afterAll(async () => {
  await stack.close();
});

const lead = 'policy-director';
const chief = 'vice-mayor';

/** A plan with a trail of five events: created, submitted, returned, updated, submitted. */
async function planWithTrail(): Promise<string> {
  const planId = (await stack.call('POST', '/plans', { as: lead, body: planBody() })).body.planId as string;
  await stack.call('POST', `/plans/${planId}/submit`, { as: lead });
  await stack.call('POST', `/plans/${planId}/return`, { as: chief, body: { reason: '範囲を見直してください。' } });
  await stack.call('PATCH', `/plans/${planId}`, { as: lead, body: { scope: '見直した範囲' } });
  await stack.call('POST', `/plans/${planId}/submit`, { as: lead });
  return planId;
}

async function events(planId: string): Promise<Record<string, unknown>[]> {
  const out = await doc.send(
    new QueryCommand({
      TableName: stack.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': keys.entityPartition('plan', planId), ':e': keys.auditEventPrefix },
    }),
  );
  return out.Items ?? [];
}

const verify = (planId: string) => stack.call('GET', `/audit-log/verify?entityType=plan&entityId=${planId}`, { as: chief });

/** Link events one after the other from `prev`, each hash recomputed: what someone who can write the table can do. */
function relink(trail: readonly AuditEvent[], prev: string | null): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const e of trail) {
    const { hash: _hash, ...rest } = { ...e, prevHash: out.at(-1)?.hash ?? prev };
    out.push({ ...rest, hash: hashEvent(rest) });
  }
  return out;
}

/** Put an event under its own key, as the writer does. */
async function putEvent(planId: string, e: AuditEvent): Promise<void> {
  await doc.send(new PutCommand({ TableName: stack.tableName, Item: { ...keys.auditEvent('plan', planId, e.eventId), type: 'auditEvent', ...e } }));
}

describe('tamper evidence: the audit trail is a hash chain per entity', () => {
  it('an untouched trail verifies', async () => {
    const planId = await planWithTrail();
    const r = await verify(planId);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ valid: true, events: 5, problems: [] });
  });

  it('catches a mutated event', async () => {
    const planId = await planWithTrail();
    const [, second] = await events(planId);
    await doc.send(new UpdateCommand({ TableName: stack.tableName, Key: { pk: second?.pk, sk: second?.sk }, UpdateExpression: 'SET #a = :a', ExpressionAttributeNames: { '#a': 'action' }, ExpressionAttributeValues: { ':a': 'plan.approved' } }));
    const r = await verify(planId);
    expect(r.body.valid).toBe(false);
    expect(r.body.problems.map((p: { eventId: string }) => p.eventId)).toContain(second?.eventId);
  });

  it('catches a deleted event, in the middle and at the end', async () => {
    const middle = await planWithTrail();
    const [, , third] = await events(middle);
    await doc.send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: third?.pk, sk: third?.sk } }));
    expect((await verify(middle)).body.valid).toBe(false);

    const end = await planWithTrail();
    const all = await events(end);
    const last = all.at(-1);
    await doc.send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: last?.pk, sk: last?.sk } }));
    const r = await verify(end);
    expect(r.body.valid).toBe(false);
    expect(r.body.problems[0].problem).toContain('末尾');
  });

  it('catches reordered events (contents swapped between two keys)', async () => {
    const planId = await planWithTrail();
    const [a, b] = await events(planId);
    await doc.send(new PutCommand({ TableName: stack.tableName, Item: { ...b, pk: a?.pk, sk: a?.sk } }));
    await doc.send(new PutCommand({ TableName: stack.tableName, Item: { ...a, pk: b?.pk, sk: b?.sk } }));
    expect((await verify(planId)).body.valid).toBe(false);
  });

  it('catches an inserted event, even one with a correct hash of its own', async () => {
    const planId = await planWithTrail();
    const all = await events(planId);
    const first = all[0] as Record<string, unknown>;
    const forged = { ...first, sk: `${keys.auditEventPrefix}01ZZZZZZZZZZZZZZZZZZZZZZZZ`, eventId: '01ZZZZZZZZZZZZZZZZZZZZZZZZ', action: 'plan.approved' };
    await doc.send(new PutCommand({ TableName: stack.tableName, Item: forged }));
    const r = await verify(planId);
    expect(r.body.valid).toBe(false);
    expect(r.body.problems.some((p: { eventId: string }) => p.eventId === '01ZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(true);
  });

  it('lists the trail in chain order even where the event ids (the writing clocks) say otherwise', async () => {
    const planId = await planWithTrail();
    const stored = await events(planId);
    // Two instances whose clocks disagree: the 4th event's id sorts before the 3rd's. Move it
    // under a key of its own id, as that instance would have written it.
    const [, , third, fourth] = stored as Record<string, unknown>[];
    // The same millisecond as the 3rd event's id, with the lowest random part: it sorts before it.
    const early = `${String(third?.eventId).slice(0, 10)}${'0'.repeat(16)}`;
    expect(early < String(third?.eventId)).toBe(true);
    await doc.send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: fourth?.pk, sk: fourth?.sk } }));
    const skewed = { ...stripKeys<AuditEvent>(fourth as Record<string, unknown>), eventId: early };
    const { hash: _old, ...rest } = skewed;
    const resealed: AuditEvent = { ...skewed, hash: hashEvent(rest) };
    // Only the id changed, so the chain is relinked from there on, as the writer would have linked it.
    const after = stored.slice(4).map((i) => stripKeys<AuditEvent>(i));
    const relinked = relink([resealed, ...after], String(third?.hash));
    for (const e of relinked) await putEvent(planId, e);
    await doc.send(new UpdateCommand({ TableName: stack.tableName, Key: keys.plan(planId), UpdateExpression: 'SET trailHash = :h', ExpressionAttributeValues: { ':h': relinked.at(-1)?.hash } }));

    const listed = await stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}&limit=2`, { as: chief });
    const next = await stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}&limit=10&cursor=${String(listed.body.nextCursor)}`, { as: chief });
    const versions = [...listed.body.items, ...next.body.items].map((e: AuditEvent) => e.version);
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    expect((await verify(planId)).body).toMatchObject({ valid: true, problems: [] });
  });

  it('is refused to those who may not read the trail, and 404 for an unknown entity', async () => {
    const planId = await planWithTrail();
    expect((await stack.call('GET', `/audit-log/verify?entityType=plan&entityId=${planId}`, { as: 'dx-manager' })).status).toBe(403);
    expect((await stack.call('GET', '/audit-log/verify?entityType=plan&entityId=01JZZZZZZZZZZZZZZZZZZZZZZZ', { as: chief })).status).toBe(404);
  });
});
