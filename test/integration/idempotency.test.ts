import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyClaim, idempotencyKeyHours } from '#lib/app/idempotency.js';
import { routeList } from '#lib/http/routes.js';
import { isCreate } from '#lib/http/routes.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { keys } from '#lib/store/keys.js';
import { type AuditData, auditData, chief, disposalBody, dueDate, evidenceBody, findingBody, lead } from '#test/support/audit-data.js';
import { contractorBody } from '#test/support/duty-data.js';
import { clerk, incidentBody } from '#test/support/incident-data.js';
import { staffBody, staffCsvHeader } from '#test/support/staff-data.js';
import { type Item, invariantViolations, scanTable } from '#test/support/invariants.js';
import { trainingBody } from '#test/support/training-data.js';
import { type Reply, type TestStack, planBody, startTestStack } from '#test/support/stack.js';

/**
 * Idempotent creates: every POST that makes a resource takes an `Idempotency-Key`; the
 * same key with the same request answers the first result again and writes nothing;
 * with another request it is a 422. Checked on every create route against DynamoDB Local.
 */

let stack: TestStack;
let doc: DynamoDBDocumentClient;
let data: AuditData;
beforeAll(async () => {
  stack = await startTestStack();
  doc = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
  data = auditData(stack);
});
afterAll(async () => {
  doc?.destroy();
  await stack?.close();
});

interface Create {
  route: string;
  as: string;
  path: () => Promise<string>;
  /** A JSON body, or a file's text (text/csv). */
  body: () => Promise<Body>;
  /** The id field of the answer (or where the answer names it), and the entity type it names. */
  id: string | ((answer: Record<string, unknown>) => unknown);
  entityType: string;
  /** Another request on the same route under the same key (the 422 case): another body, or another path. */
  other: (path: string, body: Record<string, unknown>) => Promise<{ path: string; body: Body }>;
}
type Body = Record<string, unknown> | string;
/** A create's call: a JSON body, or a file's text as text/csv. */
const post = (as: string, path: string, body: Body, key: string) =>
  stack.call('POST', path, {
    as,
    headers: { 'idempotency-key': key, ...(typeof body === 'string' ? { 'content-type': 'text/csv' } : {}) },
    ...(typeof body === 'string' ? { rawBody: body } : { body }),
  });

const creates: Create[] = [
  {
    route: 'createPlan',
    as: lead,
    path: async () => '/plans',
    body: async () => planBody(),
    id: 'planId',
    entityType: 'plan',
    other: async (p, b) => ({ path: p, body: { ...b, purpose: '別の監査目的' } }),
  },
  {
    route: 'createPlanRevision',
    as: lead,
    path: async () => `/plans/${await data.planIn('approved')}/revisions`,
    body: async () => ({}),
    id: 'planId',
    entityType: 'plan',
    other: async () => ({ path: `/plans/${await data.planIn('approved')}/revisions`, body: {} }),
  },
  {
    route: 'createFinding',
    as: lead,
    path: async () => `/plans/${await data.hostPlan()}/findings`,
    body: async () => findingBody(lead, 'citizens'),
    id: 'findingId',
    entityType: 'finding',
    other: async (p, b) => ({ path: p, body: { ...b, title: '別の所見' } }),
  },
  {
    route: 'createAction',
    as: lead,
    path: async () => `/findings/${await data.findingBy(lead, 'citizens')}/actions`,
    body: async () => ({ description: '手順書を改訂する', dueDate }),
    id: 'actionId',
    entityType: 'action',
    other: async (p, b) => ({ path: p, body: { ...b, description: '別の改善措置' } }),
  },
  {
    route: 'createEvidence',
    as: 'citizens-staff',
    path: async () => '/evidence',
    body: async () => evidenceBody({ type: 'disposal', id: await data.disposalIn('citizens') }),
    id: 'evidenceId',
    entityType: 'evidence',
    other: async (p, b) => ({ path: p, body: { ...b, fileName: '別の写真.jpg' } }),
  },
  {
    route: 'createDisposal',
    as: 'citizens-staff',
    path: async () => '/disposals',
    body: async () => disposalBody('citizens'),
    id: 'disposalId',
    entityType: 'disposal',
    other: async (p, b) => ({ path: p, body: { ...b, certificateNumber: 'R8-9999' } }),
  },
  {
    route: 'createContractor',
    as: 'citizens-manager',
    path: async () => '/contractors',
    body: async () => contractorBody('citizens'),
    id: 'contractorId',
    entityType: 'contractor',
    other: async (p, b) => ({ path: p, body: { ...b, name: '株式会社別会社' } }),
  },
  {
    route: 'createIncident',
    as: clerk,
    path: async () => '/incidents',
    body: async () => incidentBody('citizens'),
    id: 'incidentId',
    entityType: 'incident',
    other: async (p, b) => ({ path: p, body: { ...b, summary: '別の事案' } }),
  },
  {
    route: 'createTraining',
    as: chief,
    path: async () => '/trainings',
    body: async () => trainingBody(),
    id: 'trainingId',
    entityType: 'training',
    other: async (p, b) => ({ path: p, body: { ...b, name: '別の研修' } }),
  },
  {
    route: 'createStaff',
    as: 'citizens-manager',
    path: async () => '/staff',
    body: async () => staffBody('citizens'),
    id: 'staffId',
    entityType: 'staff',
    other: async (p, b) => ({ path: p, body: { ...b, name: '別の職員' } }),
  },
  {
    route: 'importStaff',
    as: 'tax-manager',
    path: async () => '/staff/import?department=resident-tax',
    body: async () => `${staffCsvHeader}\nI${Date.now()},安積 一郎,主事,職員,,,,,,`,
    id: (answer) => (answer.changes as { staffId: string }[])[0]?.staffId,
    entityType: 'staff',
    other: async (p, b) => ({ path: p, body: `${String(b)}\nI${Date.now()}x,郡山 花子,主事,職員,,,,,,` }),
  },
];

const countOf = (items: readonly Item[], type: string) => items.filter((i) => i.type === type).length;
const eventsOf = (items: readonly Item[], type: string, id: string) =>
  items.filter((i) => i.type === 'auditEvent' && i.entityType === type && i.entityId === id).length;
/** The answer without what is fresh on every presigned POST (its signature and expiry). */
const stable = (r: Reply) => {
  const { upload: _upload, ...rest } = r.body as Record<string, unknown>;
  return rest;
};

describe('Idempotency-Key on every create', () => {
  it('covers every route that answers 201', () => {
    expect(creates.map((c) => c.route).sort()).toEqual(
      routeList
        .filter(isCreate)
        .map((r) => r.id)
        .sort(),
    );
  });

  for (const c of creates) {
    it(`${c.route}: the same key and body answers the first result again and writes nothing; another body is a 422`, async () => {
      const path = await c.path();
      const body = await c.body();
      const key = randomUUID();
      const before = await scanTable(doc, stack.tableName);

      const first = await post(c.as, path, body, key);
      expect(first.status, first.text).toBe(201);
      const afterFirst = await scanTable(doc, stack.tableName);

      const again = await post(c.as, path, body, key);
      expect(again.status, again.text).toBe(201);
      expect(stable(again)).toEqual(stable(first));
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      if (c.route === 'createEvidence')
        expect((again.body.upload as { fields: { key: string } }).fields.key).toBe(
          (first.body.upload as { fields: { key: string } }).fields.key,
        );
      // The repeat wrote nothing at all.
      expect((await scanTable(doc, stack.tableName)).length).toBe(afterFirst.length);

      const elsewhere = await c.other(path, body as Record<string, unknown>);
      const beforeOther = await scanTable(doc, stack.tableName);
      const other = await post(c.as, elsewhere.path, elsewhere.body, key);
      expect(other.status, other.text).toBe(422);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      expect(other.body).toMatchObject({
        status: 422,
        type: 'urn:kansa:problem:idempotency-key-reused',
        title: '同じキーで別の内容が送信されました',
      });
      expect(other.body.detail).toContain('Idempotency-Key');
      expect((await scanTable(doc, stack.tableName)).length).toBe(beforeOther.length);

      const after = await scanTable(doc, stack.tableName);
      expect(countOf(afterFirst, c.entityType) - countOf(before, c.entityType)).toBe(1);
      expect(eventsOf(after, c.entityType, (typeof c.id === 'string' ? first.body[c.id] : c.id(first.body)) as string)).toBe(1);
      expect(invariantViolations(after)).toEqual([]);
    });
  }

  it('answers one entity to concurrent requests with one key (a double tap)', async () => {
    const key = randomUUID();
    const body = disposalBody('citizens', { certificateNumber: 'R8-DOUBLE' });
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        stack.call('POST', '/disposals', { as: 'citizens-staff', body, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(new Set(replies.map((r) => r.body.disposalId)).size).toBe(1);
    const items = await scanTable(doc, stack.tableName);
    expect(items.filter((i) => i.type === 'disposal' && i.certificateNumber === 'R8-DOUBLE')).toHaveLength(1);
  });

  it('keeps keys of different people apart, and answers 422 for a key reused on another route', async () => {
    const key = randomUUID();
    const mine = await stack.call('POST', '/disposals', {
      as: 'citizens-staff',
      body: disposalBody('citizens'),
      headers: { 'idempotency-key': key },
    });
    const theirs = await stack.call('POST', '/disposals', {
      as: 'citizens-manager',
      body: disposalBody('citizens'),
      headers: { 'idempotency-key': key },
    });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.disposalId).not.toBe(mine.body.disposalId);
    const elsewhere = await stack.call('POST', '/evidence', {
      as: 'citizens-staff',
      body: evidenceBody({ type: 'disposal', id: mine.body.disposalId as string }),
      headers: { 'idempotency-key': key },
    });
    expect(elsewhere.status).toBe(422);
  });

  it('refuses a malformed key with a Japanese 400, and creates without one as before', async () => {
    for (const bad of ['', ' ', 'a'.repeat(256), 'with space', 'tab\there']) {
      const r = await stack.call('POST', '/disposals', {
        as: 'citizens-staff',
        body: disposalBody('citizens'),
        headers: { 'idempotency-key': bad },
      });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body).toMatchObject({ type: 'urn:kansa:problem:invalid-idempotency-key' });
    }
    const a = await stack.call('POST', '/disposals', { as: 'citizens-staff', body: disposalBody('citizens') });
    const b = await stack.call('POST', '/disposals', { as: 'citizens-staff', body: disposalBody('citizens') });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.disposalId).not.toBe(b.body.disposalId);
  });

  it('remembers a key for at least 24 hours, and forgets an expired one (TTL)', async () => {
    const key = randomUUID();
    const body = disposalBody('citizens', { certificateNumber: 'R8-TTL' });
    const first = await stack.call('POST', '/disposals', { as: 'citizens-staff', body, headers: { 'idempotency-key': key } });
    const scope = idempotencyClaim({ sub: 'citizens-staff', key, route: 'createDisposal', params: {}, body, now: new Date() }).scope;
    const record = (await doc.send(new GetCommand({ TableName: stack.tableName, Key: keys.idempotency(scope) }))).Item;
    expect(record).toMatchObject({ type: 'idempotency', route: 'createDisposal', entityType: 'disposal', entityId: first.body.disposalId });
    const hours = ((record?.expiresAt as number) - Date.now() / 1000) / 3600;
    expect(hours).toBeGreaterThanOrEqual(24);
    expect(hours).toBeLessThanOrEqual(idempotencyKeyHours);

    // Past its time but not yet removed by DynamoDB's TTL: the key counts as new.
    await doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.idempotency(scope),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    const later = await stack.call('POST', '/disposals', { as: 'citizens-staff', body, headers: { 'idempotency-key': key } });
    expect(later.status).toBe(201);
    expect(later.body.disposalId).not.toBe(first.body.disposalId);
  });

  it('answers a replay even after the entity changed: the create as it was', async () => {
    const key = randomUUID();
    const path = `/plans/${await data.hostPlan()}/findings`;
    const body = findingBody(lead, 'citizens');
    const first = await stack.call('POST', path, { as: lead, body, headers: { 'idempotency-key': key } });
    const edited = await stack.call('PATCH', `/findings/${first.body.findingId}`, { as: lead, body: { title: '編集後の題名' } });
    expect(edited.status).toBe(200);
    const again = await stack.call('POST', path, { as: lead, body, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await stack.call('GET', `/findings/${first.body.findingId}`, { as: chief })).body.title).toBe('編集後の題名');
  });
});
