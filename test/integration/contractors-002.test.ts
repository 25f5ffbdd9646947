import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { contractorBody, thisFiscalYear, today } from '#test/support/duty-data.js';
import { scanTable } from '#test/support/invariants.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 委託先 under 002 (奈良県, one profile per file): 第8の5 asks for 年1回以上の定期的検査等 with
 * no 実地検査 rule, so a remote check needs no reason; 第8の7 has the 再委託先 checked
 * 委託先を通じて又は委託元自ら; 第8の8's 許諾 is recorded when given.
 */

let stack: TestStack;
let scanner: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startTestStack({ profileId: '002' });
  scanner = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
});
afterAll(async () => {
  scanner?.destroy();
  await stack?.close();
});

async function checkOf(contractorId: string): Promise<{ checkId: string; taskId: string }> {
  const items = (await scanTable(scanner, stack.tableName)).filter((i) => i.type === 'contractorCheck' && i.contractorId === contractorId);
  expect(items).toHaveLength(1);
  return items[0] as unknown as { checkId: string; taskId: string };
}

describe('委託先 under 002 (第8の5, 第8の7, 第8の8)', () => {
  it("the check's task cites 第8の5; a remote check without a reason is accepted; a 再委託先's answer is recorded when given (第8の7: 監督)", async () => {
    const created = await stack.call('POST', '/contractors', {
      as: 'citizens-manager',
      body: contractorBody('citizens', {
        subcontractors: [
          { name: '株式会社△△', handles: 'データ入力', permission: { grantedOn: today, grantedBy: '特定個人情報保護責任者' } },
          { name: '株式会社□□', handles: '帳票の印刷', permission: { grantedOn: today, grantedBy: '特定個人情報保護責任者' } },
        ],
      }),
    });
    expect(created.status).toBe(201);
    expect(created.body.subcontractors.map((s: { permission?: unknown }) => s.permission !== undefined)).toEqual([true, true]);
    const [a, b] = (created.body.subcontractors as { subcontractorId: string }[]).map((s) => s.subcontractorId);
    const { checkId, taskId } = await checkOf(created.body.contractorId as string);
    const task = await stack.call('GET', `/tasks/${taskId}`, { as: 'citizens-manager' });
    expect(task.body.title).toBe(`委託先「株式会社○○情報サービス」の令和${thisFiscalYear - 2018}年度の検査（第8の5）`);

    // 第8の7 extends the 監督 of 第8の6 to the 再委託先, not the 第8の5 check: an answer for a
    // 再委託先 is recorded when one is given, and none is demanded for the other.
    const remote = { method: 'remote', checkedOn: today, result: 'compliant' };
    const stranger = await stack.call('POST', `/contractor-checks/${checkId}/complete`, {
      as: 'citizens-manager',
      body: { ...remote, subcontractors: [{ subcontractorId: created.body.contractorId, via: 'direct', result: 'compliant' }] },
    });
    expect(stranger.status).toBe(400);
    const done = await stack.call('POST', `/contractor-checks/${checkId}/complete`, {
      as: 'citizens-manager',
      body: { ...remote, subcontractors: [{ subcontractorId: b, via: 'direct', result: 'compliant' }] },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', method: 'remote' });
    expect(done.body.subcontractors.map((s: { subcontractorId: string }) => s.subcontractorId)).toEqual([b]);
    expect(a).not.toBe(b);
    expect(done.body.remoteReason).toBeUndefined();
    expect((await stack.call('GET', `/tasks/${taskId}`, { as: 'citizens-manager' })).body.status).toBe('done');
  });
});
