import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deps } from '#lib/runtime/ports.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { chief, japanese, unknownId } from '#test/support/audit-data.js';
import { contractorBody } from '#test/support/duty-data.js';
import { type IncidentData, clerk, deputy, incidentBody, incidentData } from '#test/support/incident-data.js';
import { invariantViolations, scanTable } from '#test/support/invariants.js';
import { type Reply, type TestStack, startTestStack } from '#test/support/stack.js';

/**
 * 事案 under 001 (郡山市 第23条–第25条) over HTTP against DynamoDB Local: a 職員 with no role
 * reports a letter mis-sent about 101 people; the law calls for a report to the PPC (施行規則
 * 第43条第4号), the 保護管理者 and the 総括保護副管理者 get their tasks at once; the facts are
 * corrected both ways with the trail showing each; the 事案 closes only once prevention and
 * the 確報 are recorded; every step answers 403, 404, 409 and 412 as the contract says.
 */

let stack: TestStack;
let incidents: IncidentData;
let scanner: DynamoDBDocumentClient;
beforeAll(async () => {
  stack = await startTestStack();
  incidents = incidentData(stack);
  scanner = createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint });
});
afterAll(async () => {
  scanner?.destroy();
  await stack?.close();
});

const manager = 'citizens-manager';
const now = () => new Date().toISOString();
const ifMatch = (v: number) => ({ 'if-match': `"${v}"` });

function problem(r: Reply, status: number) {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  expect(r.body.detail).toMatch(japanese);
}

async function openTasks(as: string, incidentId: string): Promise<{ kind: string; title: string; taskId: string }[]> {
  const r = await stack.call('GET', '/tasks?mine=true&limit=100', { as });
  expect(r.status, r.text).toBe(200);
  return (r.body.items as { kind: string; title: string; taskId: string; subject: { type: string; id: string } }[]).filter(
    (t) => t.subject.type === 'incident' && t.subject.id === incidentId,
  );
}

describe('a mis-sent letter about 101 people, reported by a 職員 with no role (001)', () => {
  it('is assessed, followed through the chain, corrected both ways and closed only when prevention and the 確報 are recorded', async () => {
    // The 会計年度任用職員 has no role: signs in, has an empty inbox, reports.
    const me = await stack.call('GET', '/me', { as: clerk });
    expect(me.status).toBe(200);
    expect(me.body.roles).toEqual([]);
    expect((await stack.call('GET', '/tasks?mine=true', { as: clerk })).status).toBe(200);

    const created = await stack.call('POST', '/incidents', {
      as: clerk,
      body: incidentBody('citizens', { records: { subjects: 101 } }),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.incidentId as string;
    expect(created.headers.get('location')).toBe(`/api/incidents/${id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body.status).toBe('reported');
    expect(created.body.createdBy).toBe(clerk);
    const assessment = created.body.assessment as { reportToPPC: boolean; reasons: string[]; deadlines: Record<string, string | null> };
    expect(assessment.reportToPPC).toBe(true);
    expect(assessment.reasons.join()).toContain('施行規則第43条第4号');
    expect(assessment.deadlines.preliminary).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(assessment.deadlines.final).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The 課's 保護管理者 has a task at once, citing 第23条第1項; the 総括保護副管理者 the PPC report.
    const response = await openTasks(manager, id);
    expect(response.map((t) => t.kind)).toEqual(['incidentResponse']);
    expect(response[0]?.title).toContain('（第23条第1項）');
    expect((await openTasks(deputy, id)).map((t) => t.kind)).toEqual(['incidentReport']);

    // The reporter reads and lists what they reported; another 課 does not see it.
    expect((await stack.call('GET', `/incidents/${id}`, { as: clerk })).status).toBe(200);
    const mine = await stack.call('GET', '/incidents', { as: clerk });
    expect((mine.body.items as { incidentId: string }[]).map((i) => i.incidentId)).toContain(id);
    problem(await stack.call('GET', `/incidents/${id}`, { as: 'tax-manager' }), 404);

    // PATCH: 100 people → no report, the PPC task closes; 101 again → required, a new task.
    const down = await stack.call('PATCH', `/incidents/${id}`, { as: deputy, headers: ifMatch(1), body: { records: { subjects: 100 } } });
    expect(down.status, down.text).toBe(200);
    expect(down.body.assessment.reportToPPC).toBe(false);
    expect(down.body.assessment.deadlines).toEqual({ preliminary: null, final: null });
    expect(await openTasks(deputy, id)).toEqual([]);
    const up = await stack.call('PATCH', `/incidents/${id}`, { as: manager, headers: ifMatch(2), body: { records: { subjects: 101 } } });
    expect(up.status, up.text).toBe(200);
    expect(up.body.assessment.reportToPPC).toBe(true);
    expect((await openTasks(deputy, id)).map((t) => t.kind)).toEqual(['incidentReport']);
    problem(await stack.call('PATCH', `/incidents/${id}`, { as: manager, headers: ifMatch(2), body: { summary: '古い版' } }), 412);
    problem(await stack.call('PATCH', `/incidents/${id}`, { as: clerk, body: { summary: '報告者は直せない' } }), 403);

    const trail = await stack.call('GET', `/audit-log?entityType=incident&entityId=${id}`, { as: deputy });
    expect(trail.status, trail.text).toBe(200);
    const updates = (
      trail.body.items as { action: string; before: { records: { subjects: number } }; after: { records: { subjects: number } } }[]
    )
      .filter((e) => e.action === 'incident.updated')
      .map((e) => [e.before.records.subjects, e.after.records.subjects]);
    expect(updates).toEqual([
      [101, 100],
      [100, 101],
    ]);

    // Closing is refused until prevention (and the 確報) are recorded.
    const early = await stack.call('POST', `/incidents/${id}/close`, { as: chief, body: {} });
    problem(early, 409);
    expect(early.body.detail).toContain('再発防止策');
    expect(early.body.detail).toContain('確報');

    // 409: investigation before containment; 403: a 課's staff outside the chain; 404: another 課, an unknown id.
    problem(await stack.call('POST', `/incidents/${id}/investigate`, { as: manager, body: { findings: '先に調査' } }), 409);
    problem(await stack.call('POST', `/incidents/${id}/contain`, { as: 'citizens-staff', body: { measures: '回収' } }), 403);
    problem(await stack.call('POST', `/incidents/${id}/contain`, { as: 'tax-manager', body: { measures: '回収' } }), 404);
    problem(await stack.call('POST', `/incidents/${unknownId}/contain`, { as: manager, body: { measures: '回収' } }), 404);
    problem(await stack.call('POST', `/incidents/${id}/contain`, { as: manager, headers: ifMatch(1), body: { measures: '回収' } }), 412);

    expect(
      (
        await stack.call('POST', `/incidents/${id}/contain`, {
          as: manager,
          headers: ifMatch(3),
          body: { measures: '誤送付先から回収した' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await stack.call('POST', `/incidents/${id}/investigate`, { as: manager, body: { findings: '封入の確認が一人で行われていた' } }))
        .status,
    ).toBe(200);
    // the 課's response task closed with the investigation; the 総括保護副管理者 confirms it
    expect(await openTasks(manager, id)).toEqual([]);
    expect((await openTasks(deputy, id)).map((t) => t.kind).sort()).toEqual(['incidentInvestigation', 'incidentReport']);
    problem(await stack.call('POST', `/incidents/${id}/escalate`, { as: manager, body: { reason: '重大' } }), 403);
    expect((await stack.call('POST', `/incidents/${id}/escalate`, { as: deputy, body: { reason: '100人を超える' } })).status).toBe(200);
    problem(await stack.call('POST', `/incidents/${id}/escalate`, { as: deputy, body: { reason: 'もう一度' } }), 409);
    expect((await openTasks(chief, id)).map((t) => t.kind)).toEqual(['incidentEscalation']);

    problem(
      await stack.call('POST', `/incidents/${id}/prevention`, { as: manager, body: { measures: '二人で確認', shareWith: ['no-such'] } }),
      400,
    );
    // Each 課 shared with is a task and its audit event in the one transaction: 41 would outgrow it before any check of the 課.
    const many = Array.from({ length: 41 }, (_, n) => `section-${n}`);
    const tooMany = await stack.call('POST', `/incidents/${id}/prevention`, {
      as: manager,
      body: { measures: '二人で確認', shareWith: many },
    });
    problem(tooMany, 400);
    expect(tooMany.text).toContain('一度に共有できる課は40までです');
    const prevention = await stack.call('POST', `/incidents/${id}/prevention`, {
      as: manager,
      body: { measures: '封入を二人で確認する', shareWith: ['resident-tax'] },
    });
    expect(prevention.status, prevention.text).toBe(200);
    expect((await openTasks('tax-manager', id)).map((t) => t.kind)).toEqual(['incidentShare']);
    problem(await stack.call('POST', `/incidents/${id}/acknowledge`, { as: manager }), 403);
    expect((await stack.call('POST', `/incidents/${id}/acknowledge`, { as: 'tax-manager' })).status).toBe(200);
    problem(await stack.call('POST', `/incidents/${id}/acknowledge`, { as: 'tax-manager' }), 409);
    expect(await openTasks('tax-manager', id)).toEqual([]);

    // still no 確報
    const noFinal = await stack.call('POST', `/incidents/${id}/close`, { as: chief, body: {} });
    problem(noFinal, 409);
    expect(noFinal.body.detail).toContain('確報');
    expect(noFinal.body.detail).not.toContain('再発防止策');

    problem(await stack.call('POST', `/incidents/${id}/ppc-reports`, { as: manager, body: { stage: 'final', submittedAt: now() } }), 403);
    expect(
      (await stack.call('POST', `/incidents/${id}/ppc-reports`, { as: deputy, body: { stage: 'preliminary', submittedAt: now() } })).status,
    ).toBe(200);
    expect(
      (await stack.call('POST', `/incidents/${id}/ppc-reports`, { as: deputy, body: { stage: 'final', submittedAt: now() } })).status,
    ).toBe(200);
    problem(await stack.call('POST', `/incidents/${id}/ppc-reports`, { as: deputy, body: { stage: 'final', submittedAt: now() } }), 409);
    expect((await openTasks(deputy, id)).map((t) => t.kind)).toEqual(['incidentInvestigation']);

    // notices: the kind decides who (本人通知: the 総括保護副管理者; 公表: the 総括保護管理者)
    problem(await stack.call('POST', `/incidents/${id}/notices`, { as: deputy, body: { kind: 'publication', at: now() } }), 403);
    expect((await stack.call('POST', `/incidents/${id}/notices`, { as: deputy, body: { kind: 'subjects', at: now() } })).status).toBe(200);

    problem(await stack.call('POST', `/incidents/${id}/close`, { as: deputy, body: {} }), 403);
    const closed = await stack.call('POST', `/incidents/${id}/close`, { as: chief, body: { comment: '対応を終えた' } });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(await openTasks(deputy, id)).toEqual([]);
    expect(await openTasks(chief, id)).toEqual([]);
    problem(await stack.call('POST', `/incidents/${id}/notices`, { as: chief, body: { kind: 'mayor', at: now() } }), 409);

    // closed: out of the open list the daily duty reads
    const open = await deps().incidents.listOpen({ limit: 100 });
    expect(open.items.map((i) => i.incidentId)).not.toContain(id);

    expect(invariantViolations(await scanTable(scanner, stack.tableName))).toEqual([]);
  });
});

describe('reporting and listing', () => {
  it('answers a repeated create from the first, and a 422 for the same key with another body', async () => {
    const key = randomUUID();
    const body = incidentBody('citizens');
    const first = await stack.call('POST', '/incidents', { as: clerk, body, headers: { 'idempotency-key': key } });
    const again = await stack.call('POST', '/incidents', { as: clerk, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.incidentId).toBe(first.body.incidentId);
    problem(
      await stack.call('POST', '/incidents', { as: clerk, body: { ...body, summary: '別の内容' }, headers: { 'idempotency-key': key } }),
      422,
    );
  });

  it('refuses a 部, an unknown 課 and a contractor of another 課 (400/404); lists by 課 and status', async () => {
    problem(await stack.call('POST', '/incidents', { as: clerk, body: incidentBody('citizen-affairs') }), 400);
    problem(await stack.call('POST', '/incidents', { as: clerk, body: incidentBody('no-such') }), 400);
    problem(await stack.call('POST', '/incidents', { as: clerk, body: incidentBody('citizens', { contractorId: unknownId }) }), 404);
    const contractor = await stack.call('POST', '/contractors', {
      as: 'tax-manager',
      body: contractorBody('resident-tax'),
    });
    expect(contractor.status, contractor.text).toBe(201);
    problem(
      await stack.call('POST', '/incidents', { as: clerk, body: incidentBody('citizens', { contractorId: contractor.body.contractorId }) }),
      400,
    );

    const contained = await incidents.incidentIn('contained', 'citizens');
    const list = await stack.call('GET', '/incidents?status=contained&limit=100', { as: manager });
    expect(list.status).toBe(200);
    const items = list.body.items as { incidentId: string; status: string; department: string }[];
    expect(items.map((i) => i.incidentId)).toContain(contained);
    expect(items.every((i) => i.status === 'contained' && i.department === 'citizens')).toBe(true);
    const open = await deps().incidents.listOpen({ limit: 100 });
    expect(open.items.map((i) => i.incidentId)).toContain(contained);
    problem(await stack.call('GET', '/incidents?department=citizens', { as: 'tax-manager' }), 403);
  });
});
