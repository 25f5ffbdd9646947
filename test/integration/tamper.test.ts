import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEvent } from '#lib/app/trail-hash.js';
import type { AuditEvent } from '#lib/domain/audit.js';
import { jstDate } from '#lib/domain/calendar.js';
import { addDays } from '#lib/domain/task.js';
import { type JobRuntime, runDuty } from '#lib/jobs/runner.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { keys } from '#lib/store/keys.js';
import { createS3Client } from '#lib/store/s3.js';
import { stripKeys } from '#lib/store/table.js';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';
import { jobRuntime } from '#test/support/duty-data.js';

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

/** Put an event under its own key, with its index entry, as the writer does. */
async function putEvent(planId: string, e: AuditEvent): Promise<void> {
  await doc.send(
    new PutCommand({
      TableName: stack.tableName,
      Item: { ...keys.auditEvent('plan', planId, e), ...keys.auditEventIndexes(e), type: 'auditEvent', ...e },
    }),
  );
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
    await doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: second?.pk, sk: second?.sk },
        UpdateExpression: 'SET #a = :a',
        ExpressionAttributeNames: { '#a': 'action' },
        ExpressionAttributeValues: { ':a': 'plan.approved' },
      }),
    );
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
    const forged = {
      ...first,
      sk: `${keys.auditEventPrefix}01ZZZZZZZZZZZZZZZZZZZZZZZZ`,
      eventId: '01ZZZZZZZZZZZZZZZZZZZZZZZZ',
      action: 'plan.approved',
    };
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
    await doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.plan(planId),
        UpdateExpression: 'SET trailHash = :h',
        ExpressionAttributeValues: { ':h': relinked.at(-1)?.hash },
      }),
    );

    const listed = await stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}&limit=2`, { as: chief });
    const next = await stack.call(
      'GET',
      `/audit-log?entityType=plan&entityId=${planId}&limit=10&cursor=${String(listed.body.nextCursor)}`,
      { as: chief },
    );
    const versions = [...listed.body.items, ...next.body.items].map((e: AuditEvent) => e.version);
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    expect((await verify(planId)).body).toMatchObject({ valid: true, problems: [] });
  });

  it('verifies a trail longer than the first page (100 items), read in pages', async () => {
    const planId = await planWithTrail();
    await stack.call('POST', `/plans/${planId}/return`, { as: chief, body: { reason: 'さらに見直してください。' } });
    for (let i = 0; i < 110; i++) {
      const r = await stack.call('PATCH', `/plans/${planId}`, { as: lead, body: { scope: `見直した範囲 ${i}` } });
      expect(r.status).toBe(200);
    }
    expect((await events(planId)).length).toBe(116);
    expect((await verify(planId)).body).toMatchObject({ valid: true, problems: [] });
  });

  it('is refused to those who may not read the trail, and 404 for an unknown entity', async () => {
    const planId = await planWithTrail();
    expect((await stack.call('GET', `/audit-log/verify?entityType=plan&entityId=${planId}`, { as: 'dx-manager' })).status).toBe(403);
    expect((await stack.call('GET', '/audit-log/verify?entityType=plan&entityId=01JZZZZZZZZZZZZZZZZZZZZZZZ', { as: chief })).status).toBe(
      404,
    );
  });
});

describe('anchors: the chains that changed each day, kept in the evidence bucket outside the table', () => {
  // The duty runs after midnight (00:40) for the day before: tomorrow's run anchors today's events.
  const today = jstDate(new Date());
  const period = addDays(today, 1);
  const delivery = { duty: 'audit-anchor', instant: `${period}T00:40:00+09:00` };
  const s3 = () => createS3Client({ region: 'ap-northeast-1', endpoint: stack.s3.endpoint });
  const anchorKey = (planId: string) => `anchors/entities/plan/${planId}/${today}.json`;
  /** Every anchor object: its bytes and when it was last written. */
  async function objects(): Promise<Map<string, { body: string; written: string }>> {
    const out = new Map<string, { body: string; written: string }>();
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: stack.s3.bucket, Prefix: 'anchors/' }));
    for (const o of listed.Contents ?? []) {
      const body = await s3().send(new GetObjectCommand({ Bucket: stack.s3.bucket, Key: o.Key }));
      out.set(String(o.Key), { body: (await body.Body?.transformToString()) ?? '', written: String(o.LastModified?.toISOString()) });
    }
    return out;
  }
  const bodies = (m: Map<string, { body: string }>) => new Map([...m].map(([k, v]) => [k, v.body]));
  /** The period's run record back to `running`: the next delivery takes it for one that died and resumes it. */
  const unfinished = () =>
    doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.dutyRun('audit-anchor', period),
        UpdateExpression: 'SET #s = :r',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': 'running' },
      }),
    );
  let rt: JobRuntime;
  let anchored: string;
  let later: string;
  let first: Awaited<ReturnType<typeof objects>>;

  beforeAll(async () => {
    rt = jobRuntime(stack);
    anchored = await planWithTrail();
    later = await planWithTrail();
    const summary = await runDuty(rt, delivery);
    expect(summary).toMatchObject({ outcome: 'completed', period, published: 0 });
    expect(summary.created).toBeGreaterThanOrEqual(2);
    first = await objects();
  });

  it("writes the day's manifest with a Merkle root and one object per chain that changed", () => {
    const manifest = JSON.parse(first.get(`anchors/${today}.json`)?.body ?? '{}') as {
      entries: { entityId: string; version: number }[];
      root: string;
    };
    expect(manifest.root).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.entries.find((e) => e.entityId === anchored)).toMatchObject({ version: 5 });
    expect(first.size).toBe(manifest.entries.length + 1);
    expect(JSON.parse(first.get(anchorKey(anchored))?.body ?? '{}')).toMatchObject({
      entityId: anchored,
      version: 5,
      manifest: `anchors/${today}.json`,
      root: manifest.root,
    });
  });

  // Before any other test changes today's events: a day being anchored is over in real runs.
  it('the duty is idempotent: a duplicate delivery writes nothing; one resumed before its claim writes the same objects', async () => {
    // A duplicate of the delivery: the run record says done.
    expect(await runDuty(rt, delivery)).toMatchObject({ outcome: 'alreadyDone', created: 0 });
    // One that finds the period unfinished (a concurrent delivery, or one after a crash past the claim): the claim says done.
    await unfinished();
    expect(await runDuty(rt, delivery)).toMatchObject({ outcome: 'completed', created: 0, alreadyDone: 1 });
    expect(await objects()).toEqual(first);
    // A run that died after writing the objects and before its claim: the next delivery writes the same bytes
    // (in AWS, S3 refuses the existing keys and keeps the first ones; the emulator writes them again).
    await doc.send(new DeleteCommand({ TableName: stack.tableName, Key: keys.claim('audit-anchor', period, `anchors/${today}.json`) }));
    await unfinished();
    expect(await runDuty(rt, delivery)).toMatchObject({ outcome: 'completed', created: first.size - 1, alreadyDone: 0 });
    expect(bodies(await objects())).toEqual(bodies(first));
  });

  it('an unchanged chain verifies valid against its anchor, and so does one that grew after it', async () => {
    const r = await verify(anchored);
    expect(r.body).toMatchObject({
      valid: true,
      problems: [],
      anchor: { key: anchorKey(anchored), date: today, version: 5, matches: true },
    });
    await stack.call('POST', `/plans/${later}/approve`, { as: chief, body: { comment: '承認します。' } });
    expect((await verify(later)).body).toMatchObject({ valid: true, events: 6, anchor: { version: 5, matches: true } });
  });

  it("refuses an anchor the duty did not write: dated in the future, or not a leaf of its day's manifest", async () => {
    // Someone who can put objects under anchors/ (never overwrite: If-None-Match) writes an anchor of a fresh chain.
    const forged = await planWithTrail();
    const [last] = (await events(forged)).map((i) => stripKeys<AuditEvent>(i)).sort((a, b) => b.version - a.version) as [AuditEvent];
    const put = (date: string, manifest = `anchors/${date}.json`, root = 'f'.repeat(64)) =>
      s3().send(
        new PutObjectCommand({
          Bucket: stack.s3.bucket,
          Key: `anchors/entities/plan/${forged}/${date}.json`,
          ContentType: 'application/json',
          Body: JSON.stringify({
            kind: 'kansa.auditTrailAnchor.entity',
            date,
            entityType: 'plan',
            entityId: forged,
            eventId: last.eventId,
            version: last.version,
            head: last.hash,
            manifest,
            root,
          }),
        }),
      );
    await put(addDays(today, -3));
    const unlisted = await verify(forged);
    expect(unlisted.body).toMatchObject({ valid: false, anchor: { date: addDays(today, -3), matches: false } });
    expect(unlisted.body.problems).toEqual([
      {
        eventId: null,
        problem: `外部に保管したアンカー（${addDays(today, -3)}）がその日の一覧（anchors/${addDays(today, -3)}.json）に載っていません（改ざんの可能性）。`,
      },
    ]);
    await put(addDays(today, 2));
    const future = await verify(forged);
    expect(future.body).toMatchObject({ valid: false, anchor: { date: addDays(today, 2), matches: false } });
    expect(future.body.problems[0].problem).toContain('より後です');
  });

  it('catches a chain rewritten consistently in DynamoDB after the anchor: entity, events and head', async () => {
    const stored = (await events(anchored)).map((i) => stripKeys<AuditEvent>(i));
    const ordered = [...stored].sort((a, b) => a.version - b.version);
    // The edit of the scope (version 4) is rewritten in the plan and in its event; the events
    // after it are relinked with recomputed hashes and the plan's head moved to the new last
    // hash: entity, events and head agree again, so the chain alone looks intact.
    const [created, , returned, updated, ...rest] = ordered as [AuditEvent, AuditEvent, AuditEvent, AuditEvent, ...AuditEvent[]];
    const forgedScope = '第2章のみ';
    const rewritten = relink([{ ...updated, after: { ...updated.after, scope: forgedScope } }, ...rest], returned.hash);
    for (const e of rewritten) await putEvent(anchored, e);
    const head = rewritten.at(-1)?.hash;
    await doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.plan(anchored),
        UpdateExpression: 'SET trailHash = :h, #scope = :s',
        ExpressionAttributeNames: { '#scope': 'scope' },
        ExpressionAttributeValues: { ':h': head, ':s': forgedScope },
      }),
    );
    expect((await stack.call('GET', `/plans/${anchored}`, { as: chief })).body.scope).toBe(forgedScope);

    const r = await verify(anchored);
    const chainOnly = r.body.problems.filter((p: { problem: string }) => !p.problem.includes('アンカー'));
    console.log(
      `consistent rewrite: ${r.body.events} events, ${rewritten.length} rewritten from version ${updated.version} with the plan's scope (hashes and links recomputed, head moved); ` +
        `chain check alone: ${chainOnly.length} problems; anchor ${r.body.anchor.key} (version ${r.body.anchor.version}): matches=${String(r.body.anchor.matches)}; valid=${String(r.body.valid)}; ` +
        `problem: ${r.body.problems.map((p: { problem: string }) => p.problem).join(' / ')}`,
    );
    expect(created.version).toBe(1);
    expect(chainOnly).toEqual([]);
    expect(r.body.valid).toBe(false);
    expect(r.body.anchor).toMatchObject({ key: anchorKey(anchored), matches: false });
    expect(r.body.problems).toEqual([{ eventId: null, problem: `外部に保管したアンカー（${today}）と一致しません（改ざんの可能性）。` }]);
  });
});
