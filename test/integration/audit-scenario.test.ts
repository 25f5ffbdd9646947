import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, planBody, startTestStack } from '#test/support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

const lead = 'policy-director';
const chief = 'vice-mayor';
const dx = 'dx-manager';
const koho = 'pr-manager';

async function startedPlan(): Promise<string> {
  const planId = (await stack.call('POST', '/plans', { as: lead, body: planBody() })).body.planId as string;
  await stack.call('POST', `/plans/${planId}/submit`, { as: lead });
  await stack.call('POST', `/plans/${planId}/approve`, { as: chief });
  expect((await stack.call('POST', `/plans/${planId}/start`, { as: lead })).status).toBe(200);
  return planId;
}

function finding(article: unknown, rating = 'minor', department = 'citizens') {
  return {
    department,
    article,
    rating,
    title: `${String(JSON.stringify(article))} の所見`,
    observation: '確認した事実',
    recommendation: '改善の提言',
  };
}

describe('a whole 郡山市 audit over HTTP: plan → findings by scope → actions → verification → report → close', () => {
  it('routes findings by 第7条の2第3項 and refuses what is out of scope with the scope named', async () => {
    const planId = await startedPlan();
    const post = (as: string, article: unknown, rating?: string) =>
      stack.call('POST', `/plans/${planId}/findings`, { as, body: finding(article, rating) });

    const dx172 = await post(dx, '第17条の2');
    expect(dx172.status).toBe(201);
    expect(dx172.body).toMatchObject({ scope: 'dx', articleLabel: '第17条の2', articleTitle: '誤送付等の防止' });
    expect((await post(dx, '第１１条 第 ５ 項')).body).toMatchObject({ scope: 'dx', articleLabel: '第11条第5項' });
    const dx23 = await post(dx, '第23条');
    expect(dx23.status).toBe(403);
    expect(dx23.body.detail).toContain('広報広聴課長');
    expect(dx23.body.detail).toContain('第16条から第18条まで');
    expect((await post(dx, '第11条第2項')).status).toBe(403);

    expect((await post(koho, { article: 23 })).body.scope).toBe('koho');
    expect((await post(koho, '第11条第2項')).body.scope).toBe('koho');
    expect((await post(koho, '第4条の2')).body.scope).toBe('koho');
    expect((await post(koho, '第17条の2')).status).toBe(403);
    expect((await post(koho, '第26条')).status).toBe(403);

    expect((await post(lead, '第26条')).body.scope).toBe('lead');
    expect((await post(lead, '第17条の2')).body.scope).toBe('dx');

    const noParagraph = await post(lead, '第11条');
    expect(noParagraph.status).toBe(400);
    expect(noParagraph.body.detail).toContain('項を指定');
    const unknown = await post(lead, '第40条');
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('ありません');
    expect((await post(lead, '第18条の3')).status).toBe(400);
    expect((await post(lead, '第11条第7項')).status).toBe(400);
    const notAudited = await stack.call('POST', `/plans/${planId}/findings`, { as: lead, body: finding('第13条', 'minor', 'dx-strategy') });
    expect(notAudited.status).toBe(400);

    const byScope = await stack.call('GET', `/plans/${planId}/findings?scope=dx`, { as: chief });
    expect(byScope.body.items.map((f: { articleLabel: string }) => f.articleLabel).sort()).toEqual([
      '第11条第5項',
      '第17条の2',
      '第17条の2',
    ]);
  });

  it('carries actions from open to verified, refuses the submitter as verifier, gates report and close', async () => {
    const planId = await startedPlan();
    const f1 = (await stack.call('POST', `/plans/${planId}/findings`, { as: dx, body: finding('第17条の2', 'major') })).body;
    const f2 = (await stack.call('POST', `/plans/${planId}/findings`, { as: koho, body: finding('第19条', 'minor', 'resident-tax') })).body;
    await stack.call('POST', `/plans/${planId}/findings`, { as: lead, body: finding('第27条', 'conforming') });

    const early = await stack.call('POST', `/plans/${planId}/report`, { as: lead });
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('第17条の2');
    expect(early.body.detail).toContain('第19条');

    const a1 = (
      await stack.call('POST', `/findings/${f1.findingId}/actions`, {
        as: dx,
        body: { description: '誤送付防止のダブルチェック手順を定める', dueDate: '2099-03-31' },
      })
    ).body;
    expect(a1).toMatchObject({ status: 'open', department: 'citizens', overdue: false });
    const a2 = (
      await stack.call('POST', `/findings/${f2.findingId}/actions`, {
        as: koho,
        body: { description: '取扱状況の記録簿を整備する', dueDate: '2099-03-31' },
      })
    ).body;
    expect(
      (await stack.call('POST', `/findings/${f1.findingId}/actions`, { as: koho, body: { description: 'x', dueDate: '2099-03-31' } }))
        .status,
    ).toBe(403);

    expect((await stack.call('POST', `/plans/${planId}/report`, { as: lead })).body.status).toBe('reported');

    // The audited 課 sees and works on its own actions only.
    const mine = await stack.call('GET', '/actions', { as: 'citizens-staff' });
    expect(mine.body.items.map((a: { actionId: string }) => a.actionId)).toContain(a1.actionId);
    expect(mine.body.items.map((a: { actionId: string }) => a.actionId)).not.toContain(a2.actionId);
    expect((await stack.call('GET', `/actions/${a2.actionId}`, { as: 'citizens-staff' })).status).toBe(404);
    expect((await stack.call('GET', '/actions?department=resident-tax', { as: 'citizens-staff' })).status).toBe(403);
    // Another 課's action is not there for them, to work on either (404, never 403).
    expect((await stack.call('POST', `/actions/${a2.actionId}/progress`, { as: 'citizens-staff', body: { note: '着手' } })).status).toBe(
      404,
    );

    expect(
      (await stack.call('POST', `/actions/${a1.actionId}/progress`, { as: 'citizens-staff', body: { note: '手順案を作成中' } })).body
        .status,
    ).toBe('inProgress');
    expect(
      (await stack.call('POST', `/actions/${a1.actionId}/submit`, { as: 'citizens-manager', body: { note: '手順を施行しました' } })).body
        .status,
    ).toBe('submitted');
    const reopened = await stack.call('POST', `/actions/${a1.actionId}/reopen`, { as: dx, body: { reason: '施行の記録がありません' } });
    expect(reopened.body.status).toBe('reopened');
    await stack.call('POST', `/actions/${a1.actionId}/submit`, { as: 'citizens-manager', body: { note: '施行記録を添付しました' } });

    const notClosable = await stack.call('POST', `/plans/${planId}/close`, { as: chief });
    expect(notClosable.status).toBe(409);
    expect(notClosable.body.detail).toContain('2件');

    expect((await stack.call('POST', `/actions/${a1.actionId}/verify`, { as: dx, body: { comment: '確認しました' } })).body.status).toBe(
      'verified',
    );
    expect((await stack.call('POST', `/actions/${a2.actionId}/accept-risk`, { as: lead, body: { reason: 'x' } })).status).toBe(403);
    expect(
      (
        await stack.call('POST', `/actions/${a2.actionId}/accept-risk`, {
          as: chief,
          body: { reason: '次年度のシステム更改で対応するため受容する' },
        })
      ).body.status,
    ).toBe('riskAccepted');

    const closed = await stack.call('POST', `/plans/${planId}/close`, { as: chief });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');

    const trail = await stack.call('GET', `/audit-log?entityType=action&entityId=${a1.actionId}`, { as: chief });
    expect(trail.body.items.map((e: { action: string; actor: { sub: string } }) => `${e.action}:${e.actor.sub}`)).toEqual([
      'action.created:dx-manager',
      'action.progressed:citizens-staff',
      'action.submitted:citizens-manager',
      'action.reopened:dx-manager',
      'action.submitted:citizens-manager',
      'action.verified:dx-manager',
    ]);
  });

  it('lets nobody verify an action they submitted, whatever their roles', async () => {
    const planId = await startedPlan();
    const both = {
      id: 'dx-and-section',
      name: '兼務 者',
      roles: ['auditorDx' as const, 'sectionManager' as const],
      department: 'citizens',
    };
    const f = (await stack.call('POST', `/plans/${planId}/findings`, { as: both, body: finding('第13条') })).body;
    const a = (
      await stack.call('POST', `/findings/${f.findingId}/actions`, {
        as: both,
        body: { description: 'アクセス権限を見直す', dueDate: '2099-01-31' },
      })
    ).body;
    expect((await stack.call('POST', `/actions/${a.actionId}/submit`, { as: both, body: { note: '見直しました' } })).status).toBe(200);
    const self = await stack.call('POST', `/actions/${a.actionId}/verify`, { as: both });
    expect(self.status).toBe(403);
    expect(self.body.detail).toContain('職務の分離');
    expect((await stack.call('POST', `/actions/${a.actionId}/verify`, { as: lead })).status).toBe(200);
  });
});
