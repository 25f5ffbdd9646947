import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { lead } from '#test/support/audit-data.js';
import { contractorBody, today } from '#test/support/duty-data.js';
import { scanTable } from '#test/support/invariants.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 委託先 under 003 (甲賀広域行政組合, one profile per file): 第26条第2項 — 再委託には組合の許諾を
 * 得る, and the 組合 supervises the 委託先's supervision of the 再委託先. There is no yearly
 * check: the 許諾 is the record of that supervision, so no 再委託先 is recorded without it.
 */

let stack: TestStack;
let scanner: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startTestStack({ profileId: '003' });
  scanner = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
});
afterAll(async () => {
  scanner?.destroy();
  await stack?.close();
});

describe('再委託先 under 003 (第26条第2項)', () => {
  it('a 再委託先 without its 許諾 is a 400 citing 第26条第2項 (nothing stored); with it, the contractor is registered and no check opens', async () => {
    const subcontractor = { name: '株式会社△△', handles: '住民情報の入力' };
    const refused = await stack.call('POST', '/contractors', {
      as: 'citizens-manager',
      body: contractorBody('citizens', { name: '許諾なし株式会社', subcontractors: [subcontractor] }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['subcontractors.0.permission']);
    expect(refused.body.detail).toContain('（第26条第2項）');
    expect(refused.body.detail).not.toMatch(/第22条|第8の/);
    const items = await scanTable(scanner, stack.tableName);
    expect(items.filter((i) => i.type === 'contractor' && i.name === '許諾なし株式会社')).toEqual([]);

    const permission = { grantedOn: today, grantedBy: '事務局長' };
    const created = await stack.call('POST', '/contractors', {
      as: 'citizens-manager',
      body: contractorBody('citizens', { subcontractors: [{ ...subcontractor, permission }] }),
    });
    expect(created.status).toBe(201);
    expect(created.body.subcontractors).toEqual([expect.objectContaining({ ...subcontractor, permission })]);
    const id = created.body.contractorId as string;
    const unpermitted = await stack.call('PATCH', `/contractors/${id}`, {
      as: 'citizens-manager',
      headers: { 'if-match': '"1"' },
      body: { subcontractors: [...created.body.subcontractors, { name: '株式会社□□', handles: '帳票の印刷' }] },
    });
    expect(unpermitted.status).toBe(400);
    expect(unpermitted.body.errors.map((e: { path: string }) => e.path)).toEqual(['subcontractors.1.permission']);

    const after = await scanTable(scanner, stack.tableName);
    expect(after.filter((i) => i.type === 'contractorCheck' && i.contractorId === id)).toEqual([]);
    const trail = await stack.call('GET', `/audit-log?entityType=contractor&entityId=${id}`, { as: lead });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(['contractor.registered']);
  });
});
