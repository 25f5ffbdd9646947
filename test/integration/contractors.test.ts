import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditData, auditData, lead } from '#test/support/audit-data.js';
import { type DutyData, contractorBody, dutyData, thisFiscalYear, today } from '#test/support/duty-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 委託先 (第22条) over HTTP: the contracting 課's 保護管理者 keeps the registry and
 * records each year's check (第22条第4項: 原則として実地検査); others read what they may.
 */

let stack: TestStack;
let duties: DutyData;
let data: AuditData;
beforeAll(async () => {
  stack = await startTestStack();
  data = auditData(stack);
  duties = dutyData(stack);
});
afterAll(async () => {
  await stack?.close();
});

const japanese = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

describe('委託先 registry (第22条)', () => {
  it('the 課の保護管理者 registers and edits with If-Match; the audit trail has both', async () => {
    const created = await stack.call('POST', '/contractors', { as: 'citizens-manager', body: contractorBody('citizens') });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/contractors/${created.body.contractorId}`);
    const id = created.body.contractorId as string;
    expect((await stack.call('PATCH', `/contractors/${id}`, { as: 'citizens-manager', headers: { 'if-match': '"5"' }, body: { name: '変更' } })).status).toBe(412);
    const edited = await stack.call('PATCH', `/contractors/${id}`, { as: 'citizens-manager', headers: { 'if-match': '"1"' }, body: { name: '株式会社△△', contact: null } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: '株式会社△△', version: 2, lastEditedBy: 'citizens-manager' });
    expect(edited.body.contact).toBeUndefined();
    const backwards = await stack.call('PATCH', `/contractors/${id}`, { as: 'citizens-manager', body: { contractTo: '2000-01-01' } });
    expect(backwards.status).toBe(400);
    const trail = await stack.call('GET', `/audit-log?entityType=contractor&entityId=${id}`, { as: lead });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(['contractor.registered', 'contractor.updated']);
  });

  it('only the contracting 課の保護管理者 writes; a contract ending before it starts is a 400', async () => {
    for (const [as, department] of [
      ['tax-manager', 'citizens'],
      ['citizens-staff', 'citizens'],
      [lead, 'citizens'],
    ] as const) {
      const r = await stack.call('POST', '/contractors', { as, body: contractorBody(department) });
      expect(r.status, as).toBe(403);
      expect(r.body.detail).toMatch(japanese);
    }
    const reversed = await stack.call('POST', '/contractors', { as: 'citizens-manager', body: contractorBody('citizens', { contractFrom: '2027-04-01', contractTo: '2027-03-31' }) });
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors.map((e: { path: string }) => e.path)).toContain('contractTo');
  });

  it('section roles list their own 課; auditors list all; another 課 gets 404', async () => {
    const citizens = await duties.contractorIn('citizens');
    const tax = await duties.contractorIn('resident-tax');
    const own = await stack.call('GET', '/contractors', { as: 'tax-staff' });
    expect(own.body.items.map((c: { contractorId: string }) => c.contractorId)).toContain(tax);
    expect(own.body.items.every((c: { department: string }) => c.department === 'resident-tax')).toBe(true);
    const all = await stack.call('GET', '/contractors?limit=100', { as: 'vice-mayor' });
    expect(all.body.items.map((c: { contractorId: string }) => c.contractorId)).toEqual(expect.arrayContaining([citizens, tax]));
    expect((await stack.call('GET', `/contractors/${citizens}`, { as: 'tax-manager' })).status).toBe(404);
    expect((await stack.call('GET', `/contractors/${citizens}`, { as: 'citizen-director' })).status).toBe(200);
  });
});

describe('委託先の検査 (第22条第4項)', () => {
  it('remote needs a reason; the 保護管理者 completes it and the task closes', async () => {
    const { checkId, taskId } = await duties.checkIn('citizens');
    const listed = await stack.call('GET', `/contractor-checks?fiscalYear=${thisFiscalYear}`, { as: 'citizens-staff' });
    expect(listed.body.items.map((c: { checkId: string }) => c.checkId)).toContain(checkId);

    const remote = { method: 'remote', checkedOn: today, result: 'compliant' };
    const noReason = await stack.call('POST', `/contractor-checks/${checkId}/complete`, { as: 'citizens-manager', body: remote });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: { path: string }) => e.path)).toContain('remoteReason');
    const byStaff = await stack.call('POST', `/contractor-checks/${checkId}/complete`, { as: 'citizens-staff', body: { ...remote, remoteReason: '遠隔地のため' } });
    expect(byStaff.status).toBe(403);
    const byOther = await stack.call('POST', `/contractor-checks/${checkId}/complete`, { as: 'tax-manager', body: { ...remote, remoteReason: '遠隔地のため' } });
    expect(byOther.status).toBe(404);

    const done = await stack.call('POST', `/contractor-checks/${checkId}/complete`, {
      as: 'citizens-manager',
      headers: { 'if-match': '"1"' },
      body: { ...remote, remoteReason: '委託先が県外にあり、映像による確認とした', notes: '管理体制を映像で確認した' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', method: 'remote', result: 'compliant', completedBy: 'citizens-manager' });
    expect((await stack.call('GET', `/tasks/${taskId}`, { as: 'citizens-manager' })).body.status).toBe('done');
    const twice = await stack.call('POST', `/contractor-checks/${checkId}/complete`, { as: 'citizens-manager', body: { method: 'onSite', checkedOn: today, result: 'compliant' } });
    expect(twice.status).toBe(409);
  });
  it('evidence must be registered for this very check: unknown or another 課の ids are a Japanese 400; the check and its task stay open', async () => {
    const { checkId, taskId } = await duties.checkIn('citizens');
    const other = await duties.checkIn('resident-tax');
    const foreign = await data.evidenceIn('verified', 'tax-manager', { type: 'contractorCheck', id: other.checkId });
    const own = await data.evidenceIn('verified', 'citizens-manager', { type: 'contractorCheck', id: checkId });
    const onSite = { method: 'onSite', checkedOn: today, result: 'compliant' };
    for (const ids of [['01JZZZZZZZZZZZZZZZZZZZZZZZ'], [own, foreign]]) {
      const r = await stack.call('POST', `/contractor-checks/${checkId}/complete`, { as: 'citizens-manager', body: { ...onSite, evidenceIds: ids } });
      expect(r.status, ids.join()).toBe(400);
      expect(r.body.detail).toMatch(japanese);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([`evidenceIds.${ids.length - 1}`]);
    }
    expect((await stack.call('GET', `/contractor-checks/${checkId}`, { as: 'citizens-manager' })).body).toMatchObject({ status: 'open', version: 1, evidenceIds: [] });
    expect((await stack.call('GET', `/tasks/${taskId}`, { as: 'citizens-manager' })).body.status).toBe('open');
    const done = await stack.call('POST', `/contractor-checks/${checkId}/complete`, { as: 'citizens-manager', body: { ...onSite, evidenceIds: [own] } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', evidenceIds: [own] });
  });
});
