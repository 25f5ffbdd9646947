import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractor, updateContractor } from '#lib/app/contractors.js';
import { dutyWork } from '#lib/app/duty-work.js';
import type { Deps } from '#lib/app/ports.js';
import type { Contractor } from '#lib/domain/contractor.js';
import type { Actor } from '#lib/domain/roles.js';
import { demoUser } from '#lib/local/demo-users.js';
import { getProfile } from '#lib/profiles/index.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { MemoryPublisher } from '#lib/jobs/events.js';
import { deps } from '#lib/runtime/ports.js';
import { type AuditData, auditData, lead, japanese, unknownId } from '#test/support/audit-data.js';
import { type DutyData, contractorBody, dutyData, dutyRun, thisFiscalYear, today } from '#test/support/duty-data.js';
import { type Item, invariantViolations, scanTable } from '#test/support/invariants.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 委託先 (第22条) over HTTP: the contracting 課's 保護管理者 keeps the registry and
 * records each year's check (第22条第4項: 原則として実地検査); others read what they may.
 */

let stack: TestStack;
let duties: DutyData;
let data: AuditData;
let scanner: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startTestStack();
  data = auditData(stack);
  duties = dutyData(stack);
  scanner = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
});
afterAll(async () => {
  scanner?.destroy();
  await stack?.close();
});

/** The table's items of `type` that satisfy `where`. */
async function stored(type: string, where: (i: Item) => boolean): Promise<Item[]> {
  return (await scanTable(scanner, stack.tableName)).filter((i) => i.type === type && where(i));
}
const checksOf = (contractorId: string, fiscalYear: number) =>
  stored('contractorCheck', (c) => c.contractorId === contractorId && c.fiscalYear === fiscalYear);

describe('委託先 registry (第22条)', () => {
  it('the 課の保護管理者 registers and edits with If-Match; the audit trail has both', async () => {
    const created = await stack.call('POST', '/contractors', { as: 'citizens-manager', body: contractorBody('citizens') });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/contractors/${created.body.contractorId}`);
    const id = created.body.contractorId as string;
    expect(
      (await stack.call('PATCH', `/contractors/${id}`, { as: 'citizens-manager', headers: { 'if-match': '"5"' }, body: { name: '変更' } }))
        .status,
    ).toBe(412);
    const edited = await stack.call('PATCH', `/contractors/${id}`, {
      as: 'citizens-manager',
      headers: { 'if-match': '"1"' },
      body: { name: '株式会社△△', contact: null },
    });
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
    const reversed = await stack.call('POST', '/contractors', {
      as: 'citizens-manager',
      body: contractorBody('citizens', { contractFrom: '2027-04-01', contractTo: '2027-03-31' }),
    });
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors.map((e: { path: string }) => e.path)).toContain('contractTo');
    expect(await stored('contractor', (c) => c.department === 'citizens' && c.createdBy !== 'citizens-manager')).toEqual([]);
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
    expect(noReason.body.errors.map((e: { path: string }) => e.path)).toEqual(['remoteReason']);
    expect(noReason.body.detail).toContain('（第22条第4項: 原則として実地検査）');
    const byStaff = await stack.call('POST', `/contractor-checks/${checkId}/complete`, {
      as: 'citizens-staff',
      body: { ...remote, remoteReason: '遠隔地のため' },
    });
    expect(byStaff.status).toBe(403);
    const byOther = await stack.call('POST', `/contractor-checks/${checkId}/complete`, {
      as: 'tax-manager',
      body: { ...remote, remoteReason: '遠隔地のため' },
    });
    expect(byOther.status).toBe(404);

    const done = await stack.call('POST', `/contractor-checks/${checkId}/complete`, {
      as: 'citizens-manager',
      headers: { 'if-match': '"1"' },
      body: { ...remote, remoteReason: '委託先が県外にあり、映像による確認とした', notes: '管理体制を映像で確認した' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', method: 'remote', result: 'compliant', completedBy: 'citizens-manager' });
    expect((await stack.call('GET', `/tasks/${taskId}`, { as: 'citizens-manager' })).body.status).toBe('done');
    const twice = await stack.call('POST', `/contractor-checks/${checkId}/complete`, {
      as: 'citizens-manager',
      body: { method: 'onSite', checkedOn: today, result: 'compliant' },
    });
    expect(twice.status).toBe(409);
  });
  it('evidence must be registered for this very check: unknown or another 課の ids are a Japanese 400; the check and its task stay open', async () => {
    const { checkId, taskId } = await duties.checkIn('citizens');
    const other = await duties.checkIn('resident-tax');
    const foreign = await data.evidenceIn('verified', 'tax-manager', { type: 'contractorCheck', id: other.checkId });
    const own = await data.evidenceIn('verified', 'citizens-manager', { type: 'contractorCheck', id: checkId });
    const onSite = { method: 'onSite', checkedOn: today, result: 'compliant' };
    for (const ids of [[unknownId], [own, foreign]]) {
      const r = await stack.call('POST', `/contractor-checks/${checkId}/complete`, {
        as: 'citizens-manager',
        body: { ...onSite, evidenceIds: ids },
      });
      expect(r.status, ids.join()).toBe(400);
      expect(r.body.detail).toMatch(japanese);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([`evidenceIds.${ids.length - 1}`]);
    }
    expect((await stack.call('GET', `/contractor-checks/${checkId}`, { as: 'citizens-manager' })).body).toMatchObject({
      status: 'open',
      version: 1,
      evidenceIds: [],
    });
    expect((await stack.call('GET', `/tasks/${taskId}`, { as: 'citizens-manager' })).body.status).toBe('open');
    const done = await stack.call('POST', `/contractor-checks/${checkId}/complete`, {
      as: 'citizens-manager',
      body: { ...onSite, evidenceIds: [own] },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', evidenceIds: [own] });
  });
});

describe('再委託先 (第22条第5項) and the yearly check of each', () => {
  const permitted = { grantedOn: today, grantedBy: '市民課長' };

  it('registered with the contractor, edited as a whole list with If-Match (the trail has it), bounded', async () => {
    const created = await stack.call('POST', '/contractors', {
      as: 'citizens-manager',
      body: contractorBody('citizens', { subcontractors: [{ name: '株式会社△△', handles: 'データ入力', permission: permitted }] }),
    });
    expect(created.status).toBe(201);
    const id = created.body.contractorId as string;
    const [first] = created.body.subcontractors as { subcontractorId: string }[];
    expect(created.body.subcontractors).toEqual([
      {
        subcontractorId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
        name: '株式会社△△',
        handles: 'データ入力',
        permission: permitted,
      },
    ]);
    const list = [
      { subcontractorId: first?.subcontractorId, name: '株式会社△△', handles: 'データ入力・照合' },
      { name: '株式会社□□', handles: '帳票の印刷' },
    ];
    const stale = await stack.call('PATCH', `/contractors/${id}`, {
      as: 'citizens-manager',
      headers: { 'if-match': '"9"' },
      body: { subcontractors: list },
    });
    expect(stale.status).toBe(412);
    const edited = await stack.call('PATCH', `/contractors/${id}`, {
      as: 'citizens-manager',
      headers: { 'if-match': '"1"' },
      body: { subcontractors: list },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(
      edited.body.subcontractors.map((s: { subcontractorId: string; name: string }) => [
        s.subcontractorId === first?.subcontractorId,
        s.name,
      ]),
    ).toEqual([
      [true, '株式会社△△'],
      [false, '株式会社□□'],
    ]);
    const stranger = await stack.call('PATCH', `/contractors/${id}`, {
      as: 'citizens-manager',
      body: { subcontractors: [{ subcontractorId: unknownId, name: '不明', handles: '不明' }] },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors.map((e: { path: string }) => e.path)).toEqual(['subcontractors.0.subcontractorId']);
    const tooMany = await stack.call('PATCH', `/contractors/${id}`, {
      as: 'citizens-manager',
      body: { subcontractors: Array.from({ length: 21 }, (_, i) => ({ name: `再委託先${i}`, handles: '入力' })) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.map((e: { path: string; message: string }) => [e.path, e.message])).toEqual([
      ['subcontractors', expect.stringMatching(japanese)],
    ]);
    const trail = await stack.call('GET', `/audit-log?entityType=contractor&entityId=${id}`, { as: lead });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(['contractor.registered', 'contractor.updated']);
    expect(trail.body.items[1].after.subcontractors).toHaveLength(2);
  });

  it('completing the check needs, for each 再委託先, whether it was checked through the 委託先 or directly, and its result', async () => {
    const created = await stack.call('POST', '/contractors', {
      as: 'citizens-manager',
      body: contractorBody('citizens', {
        subcontractors: [
          { name: '株式会社△△', handles: 'データ入力' },
          { name: '株式会社□□', handles: '帳票の印刷', permission: permitted },
        ],
      }),
    });
    const contractorId = created.body.contractorId as string;
    const [a, b] = (created.body.subcontractors as { subcontractorId: string }[]).map((s) => s.subcontractorId);
    const [check] = await checksOf(contractorId, thisFiscalYear);
    const url = `/contractor-checks/${String(check?.checkId)}/complete`;
    const onSite = { method: 'onSite', checkedOn: today, result: 'compliant' };

    const none = await stack.call('POST', url, { as: 'citizens-manager', body: onSite });
    expect(none.status).toBe(400);
    expect(none.body.errors.map((e: { path: string }) => e.path)).toEqual(['subcontractors', 'subcontractors']);
    expect(none.body.detail).toMatch(/株式会社△△.*委託先を通じて又は委託元自ら.*（第22条第5項）/);
    const one = await stack.call('POST', url, {
      as: 'citizens-manager',
      body: { ...onSite, subcontractors: [{ subcontractorId: a, via: 'throughContractor', result: 'compliant' }] },
    });
    expect(one.status).toBe(400);
    expect(one.body.detail).toContain('株式会社□□');
    const badVia = await stack.call('POST', url, {
      as: 'citizens-manager',
      body: { ...onSite, subcontractors: [{ subcontractorId: a, via: 'phone', result: 'compliant' }] },
    });
    expect(badVia.status).toBe(400);
    expect(badVia.body.errors.map((e: { path: string }) => e.path)).toEqual(['subcontractors.0.via']);
    expect((await stack.call('GET', `/contractor-checks/${String(check?.checkId)}`, { as: 'citizens-manager' })).body.status).toBe('open');

    const done = await stack.call('POST', url, {
      as: 'citizens-manager',
      headers: { 'if-match': '"1"' },
      body: {
        ...onSite,
        subcontractors: [
          { subcontractorId: a, via: 'throughContractor', result: 'compliant' },
          { subcontractorId: b, via: 'direct', result: 'issues', notes: '保管庫の施錠記録がない' },
        ],
      },
    });
    expect(done.status).toBe(200);
    expect(done.body.subcontractors).toEqual([
      { subcontractorId: a, name: '株式会社△△', via: 'throughContractor', result: 'compliant' },
      { subcontractorId: b, name: '株式会社□□', via: 'direct', result: 'issues', notes: '保管庫の施錠記録がない' },
    ]);
    expect(invariantViolations(await scanTable(scanner, stack.tableName))).toEqual([]);
  });
});

/** The 保護管理者 of 市民課 as the use cases see them. */
const citizensManager: Actor = (() => {
  const u = demoUser('citizens-manager');
  if (!u) throw new Error('no demo user citizens-manager');
  return { sub: u.id, name: u.name, roles: u.roles, department: u.department };
})();
/** The handlers' deps with the clock at a Japan date and time (`2044-10-15T10:00`). */
const at = (jst: string, d: Deps = deps()): Deps => ({ ...d, clock: { ...d.clock, now: () => new Date(`${jst}:00+09:00`) } });
const input = (contractFrom: string, contractTo: string) => ({
  ...(contractorBody('citizens', { contractFrom, contractTo }) as unknown as Parameters<typeof createContractor>[2]),
});

describe("registration opens the 年度's check (第22条第4項: 少なくとも年1回以上)", () => {
  it("over HTTP: one check and its task in the same transaction, under the duty's claim, announced on the bus; the duty run for the 年度 then opens no second", async () => {
    // In tests the function's publisher is a recorder (LOCAL_EVENTS=memory; the bus in AWS, JSON lines under `npm start`).
    const bus = deps().events;
    if (!(bus instanceof MemoryPublisher)) throw new Error('expected the handlers to record their events (LOCAL_EVENTS=memory)');
    const before = bus.published.length;
    const created = await stack.call('POST', '/contractors', { as: 'citizens-manager', body: contractorBody('citizens') });
    expect(created.status).toBe(201);
    const contractorId = created.body.contractorId as string;
    const checks = await checksOf(contractorId, thisFiscalYear);
    expect(checks).toHaveLength(1);
    const check = checks[0] as Item;
    expect(check).toMatchObject({ department: 'citizens', status: 'open', source: '第22条第4項', dueDate: `${thisFiscalYear + 1}-03-31` });
    const task = await stack.call('GET', `/tasks/${String(check.taskId)}`, { as: 'citizens-manager' });
    expect(task.body).toMatchObject({
      kind: 'contractorCheck',
      status: 'open',
      duty: 'contractor-check',
      period: `FY${thisFiscalYear}`,
      assignee: { role: 'sectionManager', department: 'citizens' },
      subject: { type: 'contractorCheck', id: check.checkId },
      dueDate: check.dueDate,
    });
    const claims = await stored('claim', (c) => c.pk === `CLAIM#contractor-check#FY${thisFiscalYear}` && c.sk === contractorId);
    expect(claims).toHaveLength(1);
    expect(claims[0]?.entities).toEqual([
      `contractor#${contractorId}`,
      `contractorCheck#${String(check.checkId)}`,
      `task#${String(check.taskId)}`,
    ]);
    // As the bus gets it: detail-type kansa.TaskCreated (the entry's shape is test/unit/events.test.ts's).
    expect(bus.published.slice(before)).toEqual([
      {
        type: 'TaskCreated',
        detail: expect.objectContaining({ taskId: check.taskId, kind: 'contractorCheck', period: `FY${thisFiscalYear}` }),
      },
    ]);
    // The claim keeps the event too (the outbox a resumed duty run republishes from).
    expect(claims[0]?.events).toEqual([{ type: 'TaskCreated', detail: expect.objectContaining({ taskId: check.taskId }) }]);
    const trail = await stack.call('GET', `/audit-log?entityType=contractorCheck&entityId=${String(check.checkId)}`, { as: lead });
    expect(trail.body.items.map((e: { action: string; actor: { sub: string } }) => [e.action, e.actor.sub])).toEqual([
      ['contractorCheck.opened', 'citizens-manager'],
    ]);

    const run = await dutyWork['contractor-check'](deps(), dutyRun('contractor-check', `FY${thisFiscalYear}`));
    expect(run.alreadyDone).toBeGreaterThanOrEqual(1);
    expect(await checksOf(contractorId, thisFiscalYear)).toHaveLength(1);
    expect(await stored('task', (t) => (t.subject as { id: string }).id === check.checkId)).toHaveLength(1);
    expect(invariantViolations(await scanTable(scanner, stack.tableName))).toEqual([]);
  });

  it("in October: a contract starting in January is checked this 年度 (due at its end); one starting next 年度 waits for that 年度's duty", async () => {
    const october = at('2044-10-15T10:00');
    const january = await createContractor(october, citizensManager, input('2045-01-01', '2045-12-31'));
    const nextYear = await createContractor(october, citizensManager, input('2045-04-01', '2046-03-31'));
    const short = await createContractor(october, citizensManager, input('2044-11-01', '2045-02-28'));
    expect(await checksOf(january.contractorId, 2044)).toEqual([expect.objectContaining({ status: 'open', dueDate: '2045-03-31' })]);
    expect(await checksOf(short.contractorId, 2044)).toEqual([expect.objectContaining({ dueDate: '2045-02-28' })]);
    expect(await stored('contractorCheck', (c) => c.contractorId === nextYear.contractorId)).toEqual([]);

    const run = await dutyWork['contractor-check'](october, dutyRun('contractor-check', 'FY2044', '2044-04-01'));
    expect(run.alreadyDone).toBeGreaterThanOrEqual(2);
    expect(await checksOf(january.contractorId, 2044)).toHaveLength(1);
    expect(await checksOf(short.contractorId, 2044)).toHaveLength(1);
    expect(await stored('contractorCheck', (c) => c.contractorId === nextYear.contractorId)).toEqual([]);
  });

  it("a contract extended after the duty opened the 年度's check: the edit succeeds, in one transaction, and no second check opens", async () => {
    const registered = await createContractor(at('2046-03-20T09:00'), citizensManager, input('2046-04-01', '2046-09-30'));
    expect(await stored('contractorCheck', (c) => c.contractorId === registered.contractorId)).toEqual([]);
    const run = await dutyWork['contractor-check'](at('2046-04-01T00:15'), dutyRun('contractor-check', 'FY2046', '2046-04-01'));
    expect(run.created).toBeGreaterThanOrEqual(1);
    const [opened] = await checksOf(registered.contractorId, 2046);
    expect(opened).toMatchObject({ dueDate: '2046-09-30' });

    const extended = await updateContractor(
      at('2046-08-01T14:00'),
      citizensManager,
      registered.contractorId,
      { contractTo: '2047-09-30' },
      { ifMatch: 1 },
    );
    expect(extended).toMatchObject({ version: 2, contractTo: '2047-09-30' });
    const again = await updateContractor(
      at('2046-08-02T14:00'),
      citizensManager,
      registered.contractorId,
      { contractFrom: '2046-05-01' },
      { ifMatch: 2 },
    );
    expect(again.version).toBe(3);
    expect(await checksOf(registered.contractorId, 2046)).toEqual([opened]);
    const trail = await stack.call('GET', `/audit-log?entityType=contractor&entityId=${registered.contractorId}`, { as: lead });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual([
      'contractor.registered',
      'contractor.updated',
      'contractor.updated',
    ]);
    expect(invariantViolations(await scanTable(scanner, stack.tableName))).toEqual([]);
  });

  it('a contract moved into this 年度 by an edit opens its check with the edit', async () => {
    const registered = await createContractor(at('2048-03-20T09:00'), citizensManager, input('2048-04-01', '2049-03-31'));
    expect(await stored('contractorCheck', (c) => c.contractorId === registered.contractorId)).toEqual([]);
    const renamed = await updateContractor(at('2048-03-21T09:00'), citizensManager, registered.contractorId, { name: '株式会社△△' }, {});
    expect(await stored('contractorCheck', (c) => c.contractorId === registered.contractorId)).toEqual([]);
    await updateContractor(
      at('2048-03-22T09:00'),
      citizensManager,
      registered.contractorId,
      { contractFrom: '2048-03-25' },
      { ifMatch: renamed.version },
    );
    expect(await checksOf(registered.contractorId, 2047)).toEqual([expect.objectContaining({ name: '株式会社△△', dueDate: '2048-03-31' })]);
    const run = await dutyWork['contractor-check'](deps(), dutyRun('contractor-check', 'FY2047', '2047-04-01'));
    expect(run.alreadyDone).toBeGreaterThanOrEqual(1);
    expect(await checksOf(registered.contractorId, 2047)).toHaveLength(1);
  });

  it('profile 003 sets no periodic contractor check (第26条): registering mid-year opens nothing', async () => {
    const koka = at('2050-10-15T10:00', { ...deps(), profile: getProfile('003') });
    const registered: Contractor = await createContractor(koka, citizensManager, input('2050-04-01', '2051-03-31'));
    const extended = await updateContractor(koka, citizensManager, registered.contractorId, { contractTo: '2052-03-31' }, { ifMatch: 1 });
    expect(extended.version).toBe(2);
    expect(await stored('contractorCheck', (c) => c.contractorId === registered.contractorId)).toEqual([]);
    expect(await stored('claim', (c) => c.sk === registered.contractorId)).toEqual([]);
  });
});
