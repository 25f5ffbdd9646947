import { describe, expect, it } from 'vitest';
import { fiscalYearOfDate } from '#lib/domain/calendar.js';
import { addDays } from '#lib/domain/task.js';
import { auditDate } from '../../web/src/audit-links.js';
import { today } from '#test/support/duty-data.js';
import { planBody } from '#test/support/stack.js';
import { desktop, expectAccessible, fireDuty, phone, seedStartedPlan, settled, useE2e } from './harness.js';

/**
 * Training (001 第11条) in the browser: the 総括保護管理者 plans a session for the 事務取扱担当者
 * (様式第3号), held last week; the 市民課長 (保護管理者) adds one more handler to the register and,
 * on a phone, ticks who attended; the daily `training-followup` duty then gives the 課長 one task
 * naming the two who missed it (第11条第5項), and recording their 再受講 today closes it.
 */
const from = addDays(today, -14);
const to = addDays(today, -7);
const fiscalYear = fiscalYearOfDate(from);

/** The 市民課's handlers on the register since before the session; one more is added in the browser. */
const seeded = ['安積 一郎', '大槻 花子', '日和田 次郎'];

const running = useE2e(async ({ stack }) => {
  for (const name of seeded) {
    const r = await stack.call('POST', '/staff', {
      as: 'citizens-manager',
      body: {
        department: 'citizens',
        name,
        title: '主事',
        kind: 'regular',
        handler: true,
        handlerDuties: '住民基本台帳事務',
        from: `${fiscalYear}-04-01`,
      },
    });
    if (r.status !== 201) throw new Error(`seeding ${name} failed: ${r.status} ${r.text}`);
  }
  // Not a 事務取扱担当者: not in the session's audience.
  await stack.call('POST', '/staff', {
    as: 'citizens-manager',
    body: { department: 'citizens', name: '富久山 三郎', title: '主事', kind: 'dispatched', handler: false, from: `${fiscalYear}-04-01` },
  });
});

describe('研修 from the plan to the 再受講', () => {
  it('the chief plans, the 保護管理者 ticks on a phone, the duty names who missed it, their 再受講 closes the task', async () => {
    const e2e = running();

    // The 総括保護管理者 plans the session for the 事務取扱担当者.
    const chief = await e2e.newPage(desktop);
    await e2e.signIn(chief, 'vice-mayor', `/trainings?fiscalYear=${fiscalYear}`);
    await chief.getByRole('heading', { level: 1, name: /^研修計画/ }).waitFor();
    await chief.getByRole('button', { name: '様式第3号（Excel）' }).waitFor();
    await settled(chief);
    await expectAccessible(chief, 'the training plan');
    await chief.getByRole('button', { name: '研修を計画' }).click();
    const plan = chief.getByRole('form', { name: '研修を計画' });
    await plan.getByLabel('研修名').fill('特定個人情報等の取扱研修');
    await plan.getByLabel('実施時期（開始日）').fill(from);
    await plan.getByLabel('実施時期（終了日）').fill(to);
    // Every audience the profile provides is offered; sending none is refused at the field.
    await plan.getByLabel('実施方法').selectOption({ label: 'eラーニング' });
    await plan.getByRole('button', { name: '研修を計画' }).click();
    await plan.locator('.field-error').first().waitFor();
    await expectAccessible(chief, 'the training form with an error');
    expect(await plan.getByRole('checkbox').count()).toBe(4);
    await plan.getByLabel('事務取扱担当者', { exact: true }).check();
    await plan.getByRole('button', { name: '研修を計画' }).click();
    await chief.waitForURL((url) => /^\/trainings\/[0-9A-HJKMNP-TV-Z]{26}$/.test(url.pathname));
    const trainingId = new URL(chief.url()).pathname.split('/')[2] as string;
    await chief.getByRole('heading', { level: 1, name: '研修: 特定個人情報等の取扱研修' }).waitFor();
    await settled(chief);
    await expectAccessible(chief, 'the session');

    // The 市民課長 adds a handler who joined before the session, on a phone.
    const manager = await e2e.newPage(phone);
    await e2e.signIn(manager, 'citizens-manager', '/staff');
    await manager.getByRole('heading', { level: 1, name: /^職員名簿/ }).waitFor();
    await settled(manager);
    await expectAccessible(manager, 'the register on a phone');
    await manager.getByRole('button', { name: '職員を追加' }).tap();
    const add = manager.getByRole('form', { name: '職員を追加' });
    await add.getByLabel('氏名').fill('熱海 四郎');
    await add.getByLabel('役職').fill('主査');
    await add.getByLabel('事務取扱担当者に指定する').check();
    await add.getByLabel('取り扱う事務').fill('印鑑登録事務');
    await add.getByLabel('名簿に載せる日').fill(`${fiscalYear}-04-01`);
    await expectAccessible(manager, 'the staff form');
    await add.getByRole('button', { name: '保存' }).tap();
    const register = manager.getByRole('region', { name: /の名簿/ });
    await register.getByText('熱海 四郎', { exact: true }).waitFor();
    expect(await register.locator('li').count()).toBe(5);
    await e2e.screenshot(manager, 'training-register-phone');

    // On the session's page, the 課's audience (the four handlers) with big checkboxes: two attended on its first day.
    await manager.goto(`${e2e.stack.webUrl}/trainings/${trainingId}`);
    const roll = manager.getByRole('form', { name: '市民課（citizens）の受講の記録' });
    await roll.getByRole('group', { name: /対象者（4人）/ }).waitFor();
    expect(await roll.getByText('富久山 三郎').count()).toBe(0);
    await roll.getByLabel('受講日').fill(from);
    await roll.getByLabel('安積 一郎').tap();
    await roll.getByLabel('熱海 四郎').tap();
    await roll.getByRole('button', { name: '受講を記録' }).tap();
    await roll.getByRole('status').filter({ hasText: '2人の受講を記録しました' }).waitFor();
    await roll.getByRole('heading', { name: /^未受講者（2人）/ }).waitFor();
    await settled(manager);
    expect(await manager.getByRole('alert').count()).toBe(0);
    await e2e.screenshot(manager, 'training-attendance-phone');
    await expectAccessible(manager, 'the attendance on a phone');

    // The day after, the duty gives the 課長 one task naming exactly the two who missed it.
    const run = await fireDuty(e2e.stack, 'training-followup', `${today}T09:00:00+09:00`);
    expect(run).toMatchObject({ created: 1 });
    await manager.goto(`${e2e.stack.webUrl}/tasks`);
    const task = manager.getByRole('link', { name: /特定個人情報等の取扱研修 の未受講者/ });
    await task.waitFor();
    await settled(manager);
    await expectAccessible(manager, 'the tasks');
    const item = manager.locator('li', { has: task });
    expect(await item.locator('.meta', { hasText: '対象者' }).innerText()).toBe('対象者: 大槻 花子、日和田 次郎');
    await task.tap();
    await manager.waitForURL((url) => url.pathname === `/trainings/${trainingId}`);

    // Today is after the session: ticking the two records their 再受講, which settles and closes the task.
    await roll.getByText(/再受講として記録されます/).waitFor();
    expect(await roll.getByLabel('受講日').inputValue()).toBe(today);
    await roll.getByLabel('大槻 花子').tap();
    await roll.getByLabel('日和田 次郎').tap();
    await roll.getByRole('button', { name: '再受講を記録' }).tap();
    await roll.getByRole('status').filter({ hasText: '2人の再受講を記録しました' }).waitFor();
    await roll.getByText('未受講者はいません').waitFor();
    const completion = manager.getByRole('table', { name: '課別の受講状況' });
    await completion.getByRole('row', { name: /市民課.*4\/4人（100%）.*2人/ }).waitFor();
    await e2e.screenshot(manager, 'training-retaken-phone');
    await expectAccessible(manager, 'the session after the 再受講');

    const inbox = await e2e.stack.call('GET', '/tasks?mine=true', { as: 'citizens-manager' });
    expect(inbox.body.items.filter((t: { kind: string; status: string }) => t.kind === 'trainingFollowUp' && t.status === 'open')).toEqual(
      [],
    );
    const trail = await e2e.stack.call('GET', `/audit-log?entityType=attendance&entityId=${trainingId}-citizens`, { as: 'vice-mayor' });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(['attendance.recorded', 'attendance.recorded']);

    // The chief's dashboard shows the session's completion by 課.
    await chief.goto(`${e2e.stack.webUrl}/`);
    const card = chief.getByRole('table', { name: '研修別・課別の受講状況' });
    await card.getByRole('row', { name: /特定個人情報等の取扱研修.*市民課.*4\/4人/ }).waitFor();
    await e2e.screenshot(chief, 'training-dashboard');
    await settled(chief);
    await expectAccessible(chief, 'the dashboard with the completion');
  });

  it("an auditor's finding on the designation cites the 課's register on the audit date, which the finding links to", async () => {
    const e2e = running();
    const planId = await seedStartedPlan(e2e.stack);
    const asOf = auditDate(planBody() as { schedule: { from: string; to: string } }, 'citizens', today);

    // The DX auditor (第8条 is in their scope, and they read the registers) records a finding on 第8条.
    const page = await e2e.newPage(desktop);
    await e2e.signIn(page, 'dx-manager', `/plans/${planId}/findings`);
    await page.getByRole('button', { name: '所見を記録' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: '所見を記録' }) });
    await form.getByLabel('被監査部門（課）').selectOption('citizens');
    await form.getByLabel(/^条項/).fill('第9条');
    expect(await form.getByRole('group', { name: '引用する記録（任意）' }).count()).toBe(0);
    await form.getByLabel(/^条項/).fill('第8条');
    const cite = form.getByRole('group', { name: '引用する記録（任意）' });
    await cite.getByLabel('記録').selectOption({ label: '職員名簿' });
    expect(await cite.getByLabel(/^基準日（監査日）/).inputValue()).toBe(asOf);
    await form.getByLabel('評価').selectOption('minor');
    await form.getByLabel('件名').fill('事務取扱担当者の指定の記録が古い');
    await form.getByLabel('監査で確認した事実').fill('名簿の事務の記載が実態と異なる');
    await settled(page);
    await expectAccessible(page, 'the finding form citing the register');
    await form.getByRole('button', { name: '所見を保存' }).click();
    const link = page.getByRole('link', { name: /^職員名簿（市民課/ });
    await link.waitFor();
    await expectAccessible(page, 'the findings with a cited register');
    const findings = await e2e.stack.call('GET', `/plans/${planId}/findings`, { as: 'policy-director' });
    expect(findings.body.items).toEqual([
      expect.objectContaining({ article: { article: 8 }, record: { type: 'staffRegister', department: 'citizens', asOf } }),
    ]);

    // The link opens the 課's register as it stood on that day.
    await link.click();
    await page.waitForURL((url) => url.pathname === '/staff' && url.searchParams.get('asOf') === asOf);
    const register = page.getByRole('region', { name: /^市民課（citizens）の名簿/ });
    await register.getByRole('heading', { name: new RegExp(`（${asOf}）現在`) }).waitFor();
    expect(await page.getByLabel('基準日').inputValue()).toBe(asOf);
    await settled(page);
    await expectAccessible(page, 'the cited register');

    // A reader of every register prints 様式第1号 for the whole organisation.
    await page.getByLabel('出力する範囲').selectOption({ label: '全課' });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '様式第1号（Excel）' }).click();
    expect((await download).suggestedFilename()).toBe(`様式第1号_全課_${asOf}.xlsx`);

    // The results report offers the training appendix.
    await page.goto(`${e2e.stack.webUrl}/plans/${planId}`);
    await page.getByLabel('研修の受講状況（被監査部門別）を付録に加える').check();
    const report = page.waitForEvent('download');
    await page.getByRole('button', { name: '監査結果報告書（Excel）をダウンロード' }).click();
    expect((await report).suggestedFilename()).toBe('監査結果報告書_2026.xlsx');
    await settled(page);
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectAccessible(page, 'the plan in progress');
  });
});
