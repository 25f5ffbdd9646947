import { describe, expect, it } from 'vitest';
import { expectAccessible, settled, useE2e } from './harness.js';

/**
 * The whole plan approval by two people in the browser: the 監査責任者 drafts the
 * 様式第4号 plan and submits it, signs out; the 総括保護管理者 signs in and approves.
 */
const running = useE2e();

describe('plan approval in the browser', () => {
  it('the 監査責任者 drafts and submits a plan, the 総括保護管理者 approves it', async () => {
    const e2e = running();
    const page = await e2e.newPage();
    await e2e.signIn(page, 'policy-director', '/plans');
    await page.getByRole('button', { name: '新しい監査計画を起案' }).waitFor();
    await settled(page);
    await expectAccessible(page, 'the plans');
    await page.getByRole('button', { name: '新しい監査計画を起案' }).click();

    const form = page.locator('form', { has: page.getByRole('heading', { name: /監査計画を起案/ }) });
    await form.getByLabel('年度').fill('2026');
    await form.getByLabel('監査目的').fill('保有個人情報等の適切な管理を検証する');
    await form.getByLabel('監査範囲').fill('第2章から第7章までに規定する措置の実施状況');
    const audited = form.getByRole('group', { name: /被監査部門/ });
    await audited.getByLabel('市民税課', { exact: true }).check();
    await audited.getByLabel('市民課', { exact: true }).check();
    await form.getByLabel('書面監査').check();
    await form.getByLabel('実地監査').check();
    await form.getByLabel('開始日').fill('2026-10-01');
    await form.getByLabel('終了日').fill('2026-11-30');
    await form.getByLabel('監査責任者', { exact: true }).fill('policy-director');
    await form.getByLabel('監査補助者（DX戦略課長）').fill('dx-manager');
    await form.getByLabel('監査補助者（広報広聴課長）').fill('pr-manager');
    await expectAccessible(page, 'the plan form');
    await form.getByRole('button', { name: '保存' }).click();

    await page.waitForURL((url) => /^\/plans\/[0-9A-HJKMNP-TV-Z]{26}$/.test(url.pathname));
    const planId = new URL(page.url()).pathname.split('/')[2] as string;
    await page.getByText('起案中').first().waitFor();
    await page.getByRole('button', { name: '提出', exact: true }).click();
    await page.getByText('承認待ち').first().waitFor();
    await settled(page);
    await expectAccessible(page, 'the submitted plan');
    const submitted = await e2e.stack.call('GET', `/plans/${planId}`, { as: 'vice-mayor' });
    expect(submitted.body).toMatchObject({ status: 'submitted', fiscalYear: 2026, auditedDepartments: ['citizens', 'resident-tax'] });

    await e2e.signOut(page);
    await e2e.signIn(page, 'vice-mayor', `/plans/${planId}`);
    expect(new URL(page.url()).pathname).toBe(`/plans/${planId}`);
    await page.getByRole('button', { name: '承認', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('コメント').fill('承認します。');
    await expectAccessible(page, 'the approval dialog');
    await dialog.getByRole('button', { name: '承認する' }).click();
    await page.getByText('承認済み').first().waitFor();
    await settled(page);
    await e2e.screenshot(page, 'plan-approval');
    await expectAccessible(page, 'the approved plan');

    const approved = await e2e.stack.call('GET', `/plans/${planId}`, { as: 'vice-mayor' });
    expect(approved.body).toMatchObject({ status: 'approved' });
    const trail = await e2e.stack.call('GET', `/audit-log?entityType=plan&entityId=${planId}`, { as: 'vice-mayor' });
    const events = (trail.body.items as { action: string; actor: { sub: string } }[]).map((e) => `${e.action} ${e.actor.sub}`);
    expect(events).toEqual(['plan.created policy-director', 'plan.submitted policy-director', 'plan.approved vice-mayor']);
  });
});
