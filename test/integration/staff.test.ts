import { readFileSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { lead, japanese } from '#test/support/audit-data.js';
import { type Item, invariantViolations, scanTable } from '#test/support/invariants.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';
import { postCsv, staffBody, staffCsvHeader, staffIn } from '#test/support/staff-data.js';

/**
 * The staff register (001 第8条) over HTTP against DynamoDB Local: the 課's 保護管理者 keeps it,
 * one by one or from the HR department's CSV (Shift_JIS too), all or nothing; the register of a
 * past date still says what held then; another 課 gets a 404 for it.
 */

let stack: TestStack;
let scanner: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startTestStack();
  scanner = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
});
afterAll(async () => {
  scanner?.destroy();
  await stack?.close();
});

const stored = async (where: (i: Item) => boolean) => (await scanTable(scanner, stack.tableName)).filter(where);
const list = async (as: string, query: string) => stack.call('GET', `/staff?${query}`, { as });
const numbers = (r: { body: { items: { employeeNumber: string | null }[] } }) => r.body.items.map((s) => s.employeeNumber).sort();

describe('the register, person by person', () => {
  it('adds, lists as of a past date after a change from a later date, ends; the period is an item beside the person', async () => {
    const created = await stack.call('POST', '/staff', {
      as: 'general-manager',
      body: staffBody('general-affairs', { employeeNumber: 'G001', handler: false, handlerDuties: null }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/staff/${created.body.staffId}`);
    const id = created.body.staffId as string;
    const changed = await stack.call('PATCH', `/staff/${id}`, {
      as: 'general-manager',
      headers: { 'if-match': '"1"' },
      body: { handler: true, handlerDuties: '文書管理事務', effectiveFrom: '2026-10-01' },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
    const before = await list('general-manager', 'asOf=2026-09-30');
    expect(before.body.items).toEqual([expect.objectContaining({ staffId: id, handler: false, handlerDuties: null })]);
    const after = await list('general-manager', 'department=general-affairs&asOf=2026-10-01');
    expect(after.body.items).toEqual([expect.objectContaining({ staffId: id, handler: true, handlerDuties: '文書管理事務' })]);
    const periods = await stored((i) => i.type === 'period' && i.staffId === id);
    expect(periods).toEqual([expect.objectContaining({ validFrom: '2026-04-01', validTo: '2026-09-30', gsi1pk: expect.any(String) })]);

    const ended = await stack.call('PATCH', `/staff/${id}`, {
      as: 'general-manager',
      headers: { 'if-match': '"2"' },
      body: { to: '2027-03-31' },
    });
    expect(ended.body).toMatchObject({ to: '2027-03-31', version: 3 });
    expect((await list('general-manager', 'asOf=2027-04-01')).body.items).toEqual([]);
    expect((await list('general-manager', 'asOf=2027-03-31')).body.items).toHaveLength(1);
    const trail = await stack.call('GET', `/audit-log?entityType=staff&entityId=${id}`, { as: lead });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(['staff.registered', 'staff.updated', 'staff.updated']);
    // The period's key sorts between the events and the person's item, which the verification reads with them in one Query.
    const verified = await stack.call('GET', `/audit-log/verify?entityType=staff&entityId=${id}`, { as: lead });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ events: 3, valid: true, problems: [] });
    expect(invariantViolations(await scanTable(scanner, stack.tableName))).toEqual([]);
  });

  it('PATCH: a stale If-Match is a 412; a change dated before what holds a 409; a 職員番号 already on the register a 409', async () => {
    const id = await staffIn(stack, 'resident-tax', { employeeNumber: 'T001' });
    const stale = await stack.call('PATCH', `/staff/${id}`, { as: 'tax-manager', headers: { 'if-match': '"4"' }, body: { title: '主任' } });
    expect(stale.status).toBe(412);
    const early = await stack.call('PATCH', `/staff/${id}`, { as: 'tax-manager', body: { title: '主任', effectiveFrom: '2026-03-01' } });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(japanese);
    const twin = await stack.call('POST', '/staff', { as: 'tax-manager', body: staffBody('resident-tax', { employeeNumber: 'T001' }) });
    expect(twin.status).toBe(409);
    expect(twin.body.detail).toContain('T001');
  });

  it('another 課 gets a 404 for the register and its people; the 課’s 保護担当者 reads but may not change (403)', async () => {
    const id = await staffIn(stack, 'citizens');
    for (const r of [
      await stack.call('GET', `/staff/${id}`, { as: 'tax-manager' }),
      await stack.call('PATCH', `/staff/${id}`, { as: 'tax-manager', body: { title: '主任' } }),
      await list('tax-manager', 'department=citizens'),
      await stack.call('POST', '/staff', { as: 'tax-manager', body: staffBody('citizens') }),
      await postCsv(stack, 'tax-manager', 'department=citizens&dryRun=true', `${staffCsvHeader}\nX1,a,b,職員,,,,,,`),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.detail).toMatch(japanese);
    }
    expect((await stack.call('GET', `/staff/${id}`, { as: 'citizens-staff' })).status).toBe(200);
    expect((await stack.call('PATCH', `/staff/${id}`, { as: 'citizens-staff', body: { title: '主任' } })).status).toBe(403);
  });

  it('an Idempotency-Key replays the person first created', async () => {
    const body = staffBody('dx-strategy', { employeeNumber: 'D001' });
    const headers = { 'idempotency-key': 'staff-create-1' };
    const first = await stack.call('POST', '/staff', { as: 'dx-manager', body, headers });
    const again = await stack.call('POST', '/staff', { as: 'dx-manager', body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.staffId).toBe(first.body.staffId);
    expect(await stored((i) => i.type === 'staff' && i.employeeNumber === 'D001')).toHaveLength(1);
  });
});

describe('the CSV import', () => {
  const csv = (...rows: string[]) => [staffCsvHeader, ...rows].join('\r\n');

  it('a dry run previews and writes nothing; applying writes every change in one transaction with reason CSV取込', async () => {
    const id = await staffIn(stack, 'public-relations', { employeeNumber: 'P001', handler: false, handlerDuties: null });
    const file = csv('P001,安積 一郎,主査,職員,○,広報事務,,,,', 'P002,郡山 花子,主事,会計年度任用,,,,保護担当者,,');
    const items = (await scanTable(scanner, stack.tableName)).length;
    const preview = await postCsv(stack, 'pr-manager', 'department=public-relations&dryRun=true&effectiveFrom=2026-08-01', file);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ encoding: 'UTF-8', counts: { add: 1, update: 1 }, errors: [] });
    expect((await scanTable(scanner, stack.tableName)).length).toBe(items);

    const applied = await postCsv(stack, 'pr-manager', 'department=public-relations&effectiveFrom=2026-08-01', file);
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ applied: true, counts: { add: 1, update: 1 } });
    expect(numbers(await list('pr-manager', 'asOf=2026-08-01'))).toEqual(['P001', 'P002']);
    const july = await list('pr-manager', 'asOf=2026-07-31');
    expect(july.body.items).toEqual([expect.objectContaining({ staffId: id, title: '主事', handler: false })]);
    const events = await stored((i) => i.type === 'auditEvent' && i.reason === 'CSV取込');
    expect(events.map((e) => e.action).sort()).toEqual(['staff.registered', 'staff.updated']);
    expect(invariantViolations(await scanTable(scanner, stack.tableName))).toEqual([]);
  });

  it('a Shift_JIS file through the HTTP route keeps its Japanese; an Idempotency-Key replays it without writing again', async () => {
    const bytes = readFileSync(new URL('../fixtures/staff-register-sjis.csv', import.meta.url));
    const headers = { 'idempotency-key': 'staff-import-sjis' };
    const first = await postCsv(stack, 'citizens-manager', 'department=citizens', bytes, headers);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ encoding: 'Shift_JIS', counts: { add: 3 } });
    const again = await postCsv(stack, 'citizens-manager', 'department=citizens', bytes, headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const register = await list('citizens-manager', 'asOf=2026-05-01');
    expect(register.body.items.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['安積 一郎', '郡山 花子', '熱海 "次郎"']),
    );
    expect(await stored((i) => i.type === 'staff' && i.employeeNumber === 'A002')).toHaveLength(1);
  });

  it('one bad row: a 400 naming each bad row, and nothing written', async () => {
    const before = await stored((i) => i.type === 'staff' && i.department === 'resident-tax');
    const r = await postCsv(
      stack,
      'tax-manager',
      'department=resident-tax',
      csv('T100,白河 三郎,主事,職員,,,,,,', 'T101,,主事,派遣,,,,,,'),
    );
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain('何も登録していません');
    expect(r.body.errors).toEqual([{ row: 3, path: '氏名', message: expect.stringMatching(japanese) }]);
    expect(await stored((i) => i.type === 'staff' && i.department === 'resident-tax')).toHaveLength(before.length);
  });

  it('bytes in no known encoding are a 415; JSON is a 415; an unknown header a 400; over 1 MB a 413', async () => {
    expect((await postCsv(stack, 'tax-manager', 'department=resident-tax', new Uint8Array([0x82, 0xff, 0xff]))).status).toBe(415);
    expect((await postCsv(stack, 'tax-manager', 'department=resident-tax', '{}', { 'content-type': 'application/json' })).status).toBe(415);
    const unknown = await postCsv(stack, 'tax-manager', 'department=resident-tax', '職員番号,氏名,役職,区分,内線\nT1,a,b,職員,123');
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('「内線」');
    const huge = await postCsv(stack, 'tax-manager', 'department=resident-tax', `${staffCsvHeader}\n${'x'.repeat(1024 * 1024)}`);
    expect(huge.status).toBe(413);
  });

  it('the OpenAPI document describes the import’s body as a CSV file, text/csv or bytes', async () => {
    const doc = await stack.call('GET', '/openapi.json', { as: lead });
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths['/staff/import'].post.requestBody.content)).toEqual(['text/csv', 'application/octet-stream']);
  });
});
