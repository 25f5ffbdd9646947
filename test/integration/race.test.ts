import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deps } from '#lib/runtime/ports.js';
import { jpeg } from '#test/fixtures/files.js';
import { auditData, dueDate, evidenceBody, findingBody } from '#test/support/audit-data.js';
import { type Reply, type TestStack, planBody, startTestStack } from '#test/support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

const lead = 'policy-director';
const chief = 'vice-mayor';
const N = 20;

async function trail(planId: string): Promise<{ action: string; version: number }[]> {
  return (await stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}&limit=100`, { as: chief })).body.items;
}

describe('concurrent changes to one plan', () => {
  it(`${N} concurrent approvals without If-Match: exactly one wins, the rest get 409 (never 412: none named a version), the version rises by one, one audit event`, async () => {
    const planId = (await stack.call('POST', '/plans', { as: lead, body: planBody() })).body.planId as string;
    await stack.call('POST', `/plans/${planId}/submit`, { as: lead });
    const before = (await stack.call('GET', `/plans/${planId}`, { as: chief })).body.version as number;

    const replies = await Promise.all(Array.from({ length: N }, () => stack.call('POST', `/plans/${planId}/approve`, { as: chief })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    for (const r of replies.filter((x) => x.status !== 200)) expect(r.headers.get('content-type')).toContain('application/problem+json');

    const after = (await stack.call('GET', `/plans/${planId}`, { as: chief })).body;
    expect(after.status).toBe('approved');
    expect(after.version).toBe(before + 1);
    expect((await trail(planId)).filter((e) => e.action === 'plan.approved')).toHaveLength(1);
  });

  it(`${N} concurrent PATCHes of one version: exactly one lands, with exactly one event`, async () => {
    const planId = (await stack.call('POST', '/plans', { as: lead, body: planBody() })).body.planId as string;
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        stack.call('PATCH', `/plans/${planId}`, { as: lead, headers: { 'if-match': '"1"' }, body: { purpose: `目的 ${i}` } }),
      ),
    );
    const winners = replies.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(replies.every((r) => [200, 409, 412].includes(r.status))).toBe(true);

    const after = (await stack.call('GET', `/plans/${planId}`, { as: lead })).body;
    expect(after.version).toBe(2);
    expect(after.purpose).toBe(winners[0]?.body.purpose);
    const events = await trail(planId);
    expect(events.map((e) => e.action)).toEqual(['plan.created', 'plan.updated']);
    expect(events[1]?.version).toBe(2);
  });

  /**
   * Someone else's change lands between this request's read and its write: the
   * handlers run in this process, so the writer's first commit is held until another
   * PATCH of the same plan has landed.
   */
  async function loseRace(headers: Record<string, string>): Promise<{ planId: string; reply: Reply }> {
    const planId = (await stack.call('POST', '/plans', { as: lead, body: planBody() })).body.planId as string;
    const writer = deps().writer;
    const commit = writer.commit.bind(writer);
    let held = false;
    const spy = vi.spyOn(writer, 'commit').mockImplementation(async (...args) => {
      if (!held) {
        held = true;
        const first = await stack.call('PATCH', `/plans/${planId}`, { as: lead, body: { purpose: '先に保存された目的' } });
        expect(first.status, first.text).toBe(200);
      }
      return commit(...args);
    });
    try {
      return { planId, reply: await stack.call('PATCH', `/plans/${planId}`, { as: lead, headers, body: { purpose: '後から保存' } }) };
    } finally {
      spy.mockRestore();
    }
  }

  it('a race loser that sent no If-Match named no version: 409 (reload and try again), not 412', async () => {
    const { planId, reply } = await loseRace({});
    expect(reply.status, reply.text).toBe(409);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ type: 'urn:kansa:problem:concurrent-update', detail: expect.stringContaining('読み込み直して') });
    expect(reply.headers.get('etag')).toBeNull();
    expect((await stack.call('GET', `/plans/${planId}`, { as: lead })).body).toMatchObject({ version: 2, purpose: '先に保存された目的' });
  });

  it('a race loser whose If-Match named the version it read: 412 with the current ETag', async () => {
    const { planId, reply } = await loseRace({ 'if-match': '"1"' });
    expect(reply.status, reply.text).toBe(412);
    expect(reply.headers.get('etag')).toBe('"2"');
    expect((await stack.call('GET', `/plans/${planId}`, { as: lead })).body).toMatchObject({ version: 2, purpose: '先に保存された目的' });
  });
});

describe('one create sent many times at once (a double tap, a phone retrying)', () => {
  it(`${N} concurrent POST /plans with one Idempotency-Key: one plan, one event, every answer the same 201`, async () => {
    const key = `race-${Date.now()}`;
    const body = planBody({ purpose: `同時に送られた起案 ${key}` });
    const replies = await Promise.all(
      Array.from({ length: N }, () => stack.call('POST', '/plans', { as: lead, body, headers: { 'idempotency-key': key } })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(N).fill(201));
    const ids = new Set(replies.map((r) => r.body.planId as string));
    expect(ids.size).toBe(1);
    const [planId] = [...ids] as [string];
    for (const r of replies) expect(r.body).toEqual(replies[0]?.body);
    const year = (await stack.call('GET', '/plans?fiscalYear=2026&limit=100', { as: chief })).body.items as { purpose: string }[];
    expect(year.filter((p) => p.purpose === body.purpose)).toHaveLength(1);
    expect(await trail(planId)).toHaveLength(1);
  });
});

describe('the report and close gates against children landing at the same moment', () => {
  const rounds = 5;
  const burst = 8;
  const settled = ['verified', 'riskAccepted'];

  /** Fire every call at once; the gate call goes first, in the middle or last of the burst, by round. */
  async function together(
    round: number,
    gate: () => Promise<Reply>,
    child: () => Promise<Reply>,
  ): Promise<{ gate: Reply; children: Reply[] }> {
    const calls: (() => Promise<Reply>)[] = Array.from({ length: burst }, () => child);
    const at = [0, burst / 2, burst][round % 3] as number;
    calls.splice(at, 0, gate);
    const replies = await Promise.all(calls.map((f) => f()));
    const [g] = replies.splice(at, 1);
    return { gate: g as Reply, children: replies };
  }

  const tally = (rs: Reply[]) =>
    Object.entries(rs.reduce<Record<number, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {}))
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');

  function expectRefusalsAreProblems(rs: Reply[]) {
    for (const r of rs.filter((x) => x.status >= 400)) expect(r.headers.get('content-type'), r.text).toContain('application/problem+json');
  }

  async function all<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Reply = await stack.call(
        'GET',
        `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { as: lead },
      );
      expect(page.status, page.text).toBe(200);
      out.push(...(page.body.items as T[]));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    return out;
  }

  it(
    `report vs ${burst} concurrent minor findings, ${rounds} rounds: a reported plan has no minor finding (none has an action)`,
    { timeout: 60_000 },
    async () => {
      const data = auditData(stack);
      const outcomes: string[] = [];
      for (let round = 0; round < rounds; round++) {
        const planId = await data.planIn('inProgress');
        const { gate, children } = await together(
          round,
          () => stack.call('POST', `/plans/${planId}/report`, { as: lead }),
          () => stack.call('POST', `/plans/${planId}/findings`, { as: lead, body: findingBody(lead, 'citizens') }),
        );
        // No call names a version (no If-Match): a loser is a 409, never a 412.
        expect([200, 409], gate.text).toContain(gate.status);
        for (const r of children) expect([201, 409], r.text).toContain(r.status);
        expectRefusalsAreProblems([gate, ...children]);

        const plan = (await stack.call('GET', `/plans/${planId}`, { as: lead })).body;
        const findings = await all<{ findingId: string; rating: string }>(`/plans/${planId}/findings`);
        const minor = findings.filter((f) => f.rating !== 'conforming');
        outcomes.push(`round ${round + 1}: report ${gate.status}, findings ${tally(children)} → ${plan.status}, ${minor.length} minor`);

        // the invariant (第26条1項): reported ⇒ every minor finding has an action; none has one here
        if (plan.status === 'reported') expect(minor, `round ${round + 1}`).toEqual([]);
        expect(plan.status).toBe(gate.status === 200 ? 'reported' : 'inProgress');
        // exactly the findings that were answered 201 exist
        expect(findings.map((f) => f.findingId).sort()).toEqual(
          children
            .filter((r) => r.status === 201)
            .map((r) => r.body.findingId as string)
            .sort(),
        );
        expect((await trail(planId)).filter((e) => e.action === 'plan.reported')).toHaveLength(gate.status === 200 ? 1 : 0);
      }
      console.log(`race report vs findings:\n  ${outcomes.join('\n  ')}`);
    },
  );

  it(
    `close vs ${burst} concurrent actions, ${rounds} rounds: a closed plan has only verified or risk-accepted actions`,
    { timeout: 60_000 },
    async () => {
      const data = auditData(stack);
      const outcomes: string[] = [];
      for (let round = 0; round < rounds; round++) {
        // a reported plan whose one minor finding has one action, verified (even rounds) or risk-accepted (odd)
        const planId = await data.planIn('inProgress');
        const findingId = (await stack.call('POST', `/plans/${planId}/findings`, { as: lead, body: findingBody(lead, 'citizens') })).body
          .findingId as string;
        const actionId = (
          await stack.call('POST', `/findings/${findingId}/actions`, { as: lead, body: { description: '手順書を改訂する', dueDate } })
        ).body.actionId as string;
        const steps: [string, string, unknown][] =
          round % 2 === 0
            ? [
                ['submit', 'citizens-staff', { note: '対応しました。', evidenceIds: [] }],
                ['verify', lead, { comment: '確認しました。' }],
              ]
            : [['accept-risk', chief, { reason: '代替措置で足りるため受容する。' }]];
        for (const [step, as, body] of steps)
          expect((await stack.call('POST', `/actions/${actionId}/${step}`, { as, body })).status).toBe(200);
        expect((await stack.call('POST', `/plans/${planId}/report`, { as: lead })).status).toBe(200);

        const { gate, children } = await together(
          round,
          () => stack.call('POST', `/plans/${planId}/close`, { as: chief }),
          () => stack.call('POST', `/findings/${findingId}/actions`, { as: lead, body: { description: '追加の改善措置', dueDate } }),
        );
        expect([200, 409], gate.text).toContain(gate.status);
        for (const r of children) expect([201, 409], r.text).toContain(r.status);
        expectRefusalsAreProblems([gate, ...children]);

        const plan = (await stack.call('GET', `/plans/${planId}`, { as: lead })).body;
        const actions = (await all<{ actionId: string; planId: string; status: string }>('/actions?department=citizens')).filter(
          (a) => a.planId === planId,
        );
        const unsettled = actions.filter((a) => !settled.includes(a.status));
        outcomes.push(
          `round ${round + 1}: close ${gate.status}, actions ${tally(children)} → ${plan.status}, ${actions.length} actions, ${unsettled.length} unsettled`,
        );

        // the invariant (第28条): closed ⇒ every action of the plan is verified or risk-accepted
        if (plan.status === 'closed') expect(unsettled, `round ${round + 1}`).toEqual([]);
        expect(plan.status).toBe(gate.status === 200 ? 'closed' : 'reported');
        // exactly the first action and those answered 201 exist
        const created = children.filter((r) => r.status === 201).map((r) => r.body.actionId as string);
        expect(actions.map((a) => a.actionId).sort()).toEqual([actionId, ...created].sort());
        expect((await trail(planId)).filter((e) => e.action === 'plan.closed')).toHaveLength(gate.status === 200 ? 1 : 0);
      }
      console.log(`race close vs actions:\n  ${outcomes.join('\n  ')}`);
    },
  );
});

describe('photos of one disposal record verified at the same moment', () => {
  const photos = 6;

  it(
    `${photos} JPEGs uploaded together to one disposal record all end verified, and the record counts each once`,
    { timeout: 30_000 },
    async () => {
      const disposalId = await auditData(stack).disposalIn('citizens');
      const registered = await Promise.all(
        Array.from({ length: photos }, (_, i) =>
          stack.call('POST', '/evidence', {
            as: 'citizens-staff',
            body: evidenceBody({ type: 'disposal', id: disposalId }, `溶解証明書-${i + 1}.jpg`),
          }),
        ),
      );
      for (const r of registered) expect(r.status, r.text).toBe(201);
      await Promise.all(
        registered.map(async (r) => {
          const form = new FormData();
          for (const [k, v] of Object.entries(r.body.upload.fields as Record<string, string>)) form.append(k, v);
          form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), 'photo.jpg');
          expect((await fetch(r.body.upload.url as string, { method: 'POST', body: form })).status).toBeLessThan(300);
        }),
      );
      await stack.s3.settled();

      const ids = registered.map((r) => r.body.evidenceId as string);
      const statuses = await Promise.all(
        ids.map(async (id) => (await stack.call('GET', `/evidence/${id}`, { as: 'citizens-staff' })).body.status),
      );
      expect(statuses).toEqual(ids.map(() => 'verified'));
      const record = (await stack.call('GET', `/disposals/${disposalId}`, { as: 'citizens-staff' })).body;
      expect([...record.verifiedPhotoIds].sort()).toEqual([...ids].sort());
      expect(record.version).toBe(1 + photos);
    },
  );
});
