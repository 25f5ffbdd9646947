import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#lib/store/keys.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { auditData, lead } from '#test/support/audit-data.js';
import { invariantViolations, readPartitions } from '#test/support/invariants.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * Bounded items (STYLE.md 11): what a user adds again and again lives in items of its
 * own. 300 progress notes of 2,000 characters on one action — about 1.8 MB of text in
 * UTF-8, where DynamoDB's item limit is 400 KB — and the action can still be submitted
 * and verified, and every note read back in order.
 */

let stack: TestStack;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startTestStack();
  doc = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
});
afterAll(async () => {
  doc?.destroy();
  await stack?.close();
});

/** DynamoDB's item size, near enough: the JSON of its attributes in UTF-8. */
const bytes = (item: unknown) => Buffer.byteLength(JSON.stringify(item), 'utf8');

describe('an action with 300 notes of 2,000 characters', () => {
  it('stays small, and is submitted, verified and read back note by note', { timeout: 240_000 }, async () => {
    const data = auditData(stack);
    const actionId = await data.actionIn('open', lead, 'citizens');
    const staff = 'citizens-staff';
    const note = (i: number) => `${String(i).padStart(3, '0')} ` + '進'.repeat(1995);
    for (let i = 1; i <= 300; i++) {
      const r = await stack.call('POST', `/actions/${actionId}/progress`, { as: staff, body: { note: note(i) } });
      if (r.status !== 200) throw new Error(`note ${i}: ${r.status} ${r.text}`);
    }
    const submitted = await stack.call('POST', `/actions/${actionId}/submit`, { as: 'citizens-manager', body: { note: '完了しました。' } });
    expect(submitted.status, submitted.text).toBe(200);
    const verified = await stack.call('POST', `/actions/${actionId}/verify`, { as: lead, body: { comment: '確認しました。' } });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified', version: 303 });
    expect(verified.body).not.toHaveProperty('history');

    // Every note, in order, page by page.
    const read: { note: string; version: number; kind: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await stack.call('GET', `/actions/${actionId}/notes?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
        as: staff,
      });
      expect(page.status).toBe(200);
      read.push(...(page.body.items as typeof read));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(read).toHaveLength(302);
    expect(read.slice(0, 300).map((n) => n.note)).toEqual(Array.from({ length: 300 }, (_, i) => note(i + 1)));
    expect(read.map((n) => n.version)).toEqual(Array.from({ length: 302 }, (_, i) => i + 2));
    expect(read.at(-1)).toMatchObject({ kind: 'verify', note: '確認しました。', by: lead });

    // The action and each event stay small: the notes are items of their own.
    const action = (await doc.send(new GetCommand({ TableName: stack.tableName, Key: keys.entity('action', actionId) }))).Item;
    const partition = keys.entityPartition('action', actionId);
    const items = await readPartitions(doc, stack.tableName, [partition]);
    const largest = Math.max(...items.map(bytes));
    console.log(
      `300 notes × 2,000 characters: action item ${bytes(action)} bytes; largest item of its partition ${largest} bytes ` +
        `(${items.filter((i) => i.type === 'note').length} notes, ${items.filter((i) => i.type === 'auditEvent').length} events); DynamoDB's limit 409,600`,
    );
    expect(bytes(action)).toBeLessThan(8_000);
    expect(largest).toBeLessThan(16_000);
    expect(invariantViolations(items, new Set([partition]))).toEqual([]);
    const copy = await doc.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: {
          ':pk': keys.planChild(String(action?.planId), 'action', actionId).pk,
          ':sk': keys.planChild(String(action?.planId), 'action', actionId).sk,
        },
      }),
    );
    expect(bytes(copy.Items?.[0])).toBeLessThan(8_000);
  });

  it('hides the notes of another 課 (404)', async () => {
    const data = auditData(stack);
    const actionId = await data.actionIn('inProgress', lead, 'citizens');
    const r = await stack.call('GET', `/actions/${actionId}/notes`, { as: 'tax-staff' });
    expect(r.status).toBe(404);
  });
});
