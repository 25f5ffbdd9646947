import { describe, expect, it } from 'vitest';
import { jpeg } from '#test/fixtures/files.js';
import { expectAccessible, phone, seedStartedPlan, settled, useE2e } from './harness.js';

/**
 * Evidence from a phone: on a 390×844 touch screen, the 市民課 staff member attaches a
 * real JPEG to a follow-up action through the file chooser (the camera input); it goes
 * to the S3 emulator by presigned POST, the verifier checks it, and the page shows 検証済み.
 */
let actionId: string;
const running = useE2e(async ({ stack }) => {
  const planId = await seedStartedPlan(stack);
  const finding = await stack.call('POST', `/plans/${planId}/findings`, {
    as: 'dx-manager',
    body: {
      department: 'citizens',
      article: '第17条の2',
      rating: 'minor',
      title: '誤送付防止の確認手順がない',
      observation: '郵送時のダブルチェック記録がない',
    },
  });
  expect(finding.status).toBe(201);
  const action = await stack.call('POST', `/findings/${finding.body.findingId as string}/actions`, {
    as: 'dx-manager',
    body: { description: '宛先確認の手順を定め、確認の記録を残す', dueDate: '2027-03-31' },
  });
  expect(action.status).toBe(201);
  actionId = action.body.actionId as string;
});

describe('evidence from a phone', () => {
  it('attaches a photo to a follow-up action through the file chooser and sees it verified', async () => {
    const e2e = running();
    const page = await e2e.newPage(phone);
    await e2e.signIn(page, 'citizens-staff', `/actions/${actionId}`);
    const input = page.getByLabel('写真を撮影・ファイルを選択');
    expect(await input.getAttribute('capture')).toBe('environment');
    expect(await input.getAttribute('accept')).toContain('image/');

    const chooser = page.waitForEvent('filechooser');
    await input.tap();
    await (await chooser).setFiles({ name: '宛先確認記録.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.locator('.uploader').getByText('検証済み').waitFor();
    await e2e.screenshot(page, 'phone-evidence-verified');
    await settled(page);
    await expectAccessible(page, 'the action with its evidence');

    const listed = await e2e.stack.call('GET', `/evidence?targetType=action&targetId=${actionId}`, { as: 'citizens-staff' });
    expect(listed.body.items).toEqual([expect.objectContaining({ fileName: '宛先確認記録.jpg', status: 'verified', size: jpeg.length })]);
  });
});
