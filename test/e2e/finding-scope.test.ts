import { describe, expect, it } from 'vitest';
import { expectAccessible, seedStartedPlan, settled, useE2e } from './harness.js';

/**
 * A finding refused outside the auditor's scope: the DX auditor (監査補助者・DX戦略課長)
 * tries a finding on 第23条, which 第7条の2第3項 gives to the 広報広聴課長, and sees the
 * server's Japanese 403 as written; nothing is recorded.
 */
let planId: string;
const running = useE2e(async ({ stack }) => {
  planId = await seedStartedPlan(stack);
});

describe('a finding outside the scope', () => {
  it("shows the server's 403 detail to the DX auditor and records nothing", async () => {
    const finding = {
      department: 'citizens',
      article: '第23条',
      rating: 'minor',
      title: '広報誌の個人情報掲載',
      observation: '掲載同意の記録がない',
    };
    const e2e = running();
    const refused = await e2e.stack.call('POST', `/plans/${planId}/findings`, { as: 'dx-manager', body: finding });
    expect(refused.status).toBe(403);
    const detail = refused.body.detail as string;
    expect(detail).toMatch(/広報広聴/);

    const page = await e2e.newPage();
    await e2e.signIn(page, 'dx-manager', `/plans/${planId}/findings`);
    await page.getByRole('button', { name: '所見を記録' }).waitFor();
    await settled(page);
    await expectAccessible(page, 'the findings');
    await page.getByRole('button', { name: '所見を記録' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: '所見を記録' }) });
    await form.getByLabel('被監査部門（課）').selectOption('citizens');
    await form.getByLabel(/^条項/).fill(finding.article);
    await form.getByLabel('評価').selectOption(finding.rating);
    await form.getByLabel('件名').fill(finding.title);
    await form.getByLabel('監査で確認した事実').fill(finding.observation);
    await form.getByRole('button', { name: '所見を保存' }).click();

    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(detail);
    await e2e.screenshot(page, 'finding-refused-outside-scope');
    await expectAccessible(page, 'the refused finding');

    const findings = await e2e.stack.call('GET', `/plans/${planId}/findings`, { as: 'policy-director' });
    expect(findings.body.items).toEqual([]);
  });
});
