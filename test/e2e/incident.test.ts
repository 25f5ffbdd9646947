import { describe, expect, it } from 'vitest';
import { jpeg } from '#test/fixtures/files.js';
import { desktop, expectAccessible, phone, settled, useE2e } from './harness.js';

/**
 * 事案 (第23条・第24条) in the browser: a 会計年度任用職員 with no audit role reports, on a
 * phone, a letter mis-sent about 101 people and sees at once that it must go to the PPC with
 * both deadlines; the 市民課長 (保護管理者) opens the task from the inbox, corrects the
 * number of people down and up again (the assessment follows, and the trail shows it), records
 * the 被害拡大防止 and the 調査; the 総括保護副管理者 records the 速報; the timeline shows each step.
 */
const running = useE2e();

describe('事案 from a phone report to the 速報', () => {
  it('the clerk reports, the 保護管理者 contains and investigates, the 副管理者 records the 速報', async () => {
    const e2e = running();

    // A person with no role reports from the menu on a phone; the 課 is their own, 発覚日時 now.
    const clerk = await e2e.newPage(phone);
    await e2e.signIn(clerk, 'clerk');
    const menu = clerk.getByRole('navigation', { name: 'メインメニュー' });
    expect(await menu.getByRole('link', { name: '事案', exact: true }).count()).toBe(1);
    await menu.getByRole('link', { name: '事案の報告' }).tap();
    await clerk.getByRole('heading', { level: 1, name: '事案の報告' }).waitFor();
    expect(await clerk.getByLabel('課（情報を管理する課）').inputValue()).toBe('citizens');
    await expectAccessible(clerk, 'the incident report form');
    expect(await clerk.getByLabel('発覚日時（日本時間）').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await clerk.getByLabel('概要').fill('転居通知を101人分、別の宛先に誤送付した');
    await clerk.getByLabel('区分').selectOption({ label: '漏えい' });
    await clerk.getByLabel('漏えい等した項目').fill('氏名、住所');
    // Sending without the number is refused at its field, before anything reaches the server.
    await clerk.getByRole('button', { name: '報告する' }).tap();
    await clerk.getByRole('group', { name: '本人の数' }).locator('.field-error').waitFor();
    await expectAccessible(clerk, 'the incident report form with an error');
    await clerk.getByLabel('人数').fill('101');
    await clerk.getByRole('button', { name: '報告する' }).tap();
    await clerk.waitForURL((url) => /^\/incidents\/[0-9A-Z]{26}$/.test(url.pathname));
    const incidentId = new URL(clerk.url()).pathname.split('/')[2] as string;
    await clerk.getByRole('heading', { level: 1, name: '事案: 転居通知を101人分、別の宛先に誤送付した' }).waitFor();
    const verdict = clerk.getByRole('region', { name: '個人情報保護委員会への報告' });
    await verdict.getByText('要報告', { exact: true }).waitFor();
    await verdict.getByText(/本人の数が100人を超える/).waitFor();
    for (const stage of ['速報', '確報'])
      await verdict
        .locator('.deadline', { hasText: stage })
        .getByText(/^あと\d+日$|^当日$/)
        .waitFor();
    // The clerk may take no step of the chain, but attaches a photo of the letter.
    await settled(clerk);
    expect(await clerk.getByRole('region', { name: '対応の記録' }).count()).toBe(0);
    const chooser = clerk.waitForEvent('filechooser');
    await clerk.getByLabel('写真を撮影・ファイルを選択').tap();
    await (await chooser).setFiles({ name: '誤送付した封書.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await clerk.locator('.uploader').getByText('検証済み').waitFor();
    await settled(clerk);
    expect(await clerk.getByRole('alert').count()).toBe(0);
    await e2e.screenshot(clerk, 'incident-reported-phone');
    await expectAccessible(clerk, 'the reported incident on a phone');
    const stored = await e2e.stack.call('GET', `/incidents/${incidentId}`, { as: 'clerk' });
    expect(stored.body).toMatchObject({
      department: 'citizens',
      createdBy: 'clerk',
      records: { items: ['氏名', '住所'], subjects: 101 },
      assessment: { reportToPPC: true, deadlines: { preliminary: expect.any(String), final: expect.any(String) } },
    });

    // The 保護管理者 of 市民課 has the task, and records the 被害拡大防止 and the 調査.
    const manager = await e2e.newPage(desktop);
    await e2e.signIn(manager, 'citizens-manager', '/tasks');
    await manager.getByRole('link', { name: /^事案への対応（被害拡大防止・調査）: 転居通知を101人分/ }).waitFor();
    await settled(manager);
    await expectAccessible(manager, 'the tasks');
    await manager.getByRole('link', { name: /^事案への対応（被害拡大防止・調査）: 転居通知を101人分/ }).click();
    await manager.waitForURL((url) => url.pathname === `/incidents/${incidentId}`);
    // Correcting the number (PATCH with If-Match) recomputes the assessment, both ways.
    const verdictOf = manager.getByRole('region', { name: '個人情報保護委員会への報告' });
    const correct = async (subjects: string) => {
      await manager.getByRole('button', { name: '事実関係を修正' }).click();
      await manager.getByLabel('人数').fill(subjects);
      if (subjects === '100') await expectAccessible(manager, 'the incident facts form');
      await manager.getByRole('button', { name: '修正を保存' }).click();
      await manager.getByRole('status').filter({ hasText: '報告の要否と期限を計算し直しました' }).waitFor();
    };
    await correct('100');
    await verdictOf.getByText('報告不要', { exact: true }).waitFor();
    expect(await verdictOf.locator('.deadline').count()).toBe(0);
    await correct('101');
    await verdictOf.getByText('要報告', { exact: true }).waitFor();
    const steps = manager.getByRole('region', { name: '対応の記録' });
    await steps.getByLabel('講じた措置').fill('誤送付先に連絡し、封書を回収した');
    await steps.getByRole('button', { name: '措置を記録' }).click();
    await manager.getByText('被害拡大防止済み', { exact: true }).waitFor();
    await steps.getByLabel('経緯・被害状況').fill('宛名の差し込みで行がずれ、101通が隣の宛先に届いた');
    await steps.getByLabel('原因').fill('差し込み後の照合をしていなかった');
    await steps.getByRole('button', { name: '調査の結果を報告' }).click();
    await manager.getByText('調査報告済み', { exact: true }).waitFor();
    // The 年度's 事案一覧 is for the readers of every 課 (incident:review), not a 課's 保護管理者.
    await settled(manager);
    expect(await manager.getByRole('button', { name: /の事案一覧/ }).count()).toBe(0);
    await expectAccessible(manager, 'the investigated incident');

    // The 総括保護副管理者 records the 速報; the deadline shows it filed.
    const deputy = await e2e.newPage(desktop);
    await e2e.signIn(deputy, 'policy-director', `/incidents/${incidentId}`);
    const ppc = deputy.getByRole('form', { name: /^個人情報保護委員会への報告/ });
    await deputy.getByRole('button', { name: /の事案一覧（印刷用）$/ }).waitFor();
    expect(await ppc.getByLabel('報告の種類').inputValue()).toBe('preliminary');
    await settled(deputy);
    await expectAccessible(deputy, 'the incident with the PPC report form');
    await ppc.getByLabel('受付番号').fill('PPC-2026-0001');
    await ppc.getByRole('button', { name: '報告を記録' }).click();
    await deputy
      .locator('.deadline', { hasText: '速報' })
      .getByText(/^提出済み/)
      .waitFor();

    // The timeline shows each step, with who and when.
    const timeline = deputy.getByRole('region', { name: '対応の経過' }).locator('ol.timeline > li');
    const entryOf = (label: string) => timeline.filter({ has: deputy.locator('.timeline-label').getByText(label, { exact: true }) });
    const done = async (label: string, who: string) => {
      const entry = entryOf(label);
      await entry.locator('.badge', { hasText: '済' }).waitFor();
      expect(await entry.locator('.meta').innerText()).toContain(who);
    };
    await done('報告', 'clerk');
    await done('被害拡大防止・復旧の措置', 'citizens-manager');
    await done('調査の結果の報告', 'citizens-manager');
    await done('速報（個人情報保護委員会）', 'policy-director');
    expect(await entryOf('確報（個人情報保護委員会）').locator('.badge', { hasText: '未' }).count()).toBe(1);
    await e2e.screenshot(deputy, 'incident-timeline');
    await expectAccessible(deputy, 'the incident timeline');

    const after = await e2e.stack.call('GET', `/incidents/${incidentId}`, { as: 'policy-director' });
    expect(after.body).toMatchObject({
      status: 'investigated',
      containment: { by: 'citizens-manager' },
      investigation: { by: 'citizens-manager' },
      ppcReports: { preliminary: { by: 'policy-director', reference: 'PPC-2026-0001' } },
    });
    const trail = await e2e.stack.call('GET', `/audit-log?entityType=incident&entityId=${incidentId}`, { as: 'policy-director' });
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual([
      'incident.reported',
      'incident.updated',
      'incident.updated',
      'incident.contained',
      'incident.investigated',
      'incident.ppcReported',
    ]);
  });
});
