// Profile 004: 久喜市の保有する個人情報の適切な管理のための措置に関する規程. One profile per file: handlers read PROFILE_ID once per process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deps } from '#lib/runtime/ports.js';
import { seedTraining } from '#test/support/register-data.js';
import { type TestStack, startTestStack } from '#test/support/stack.js';

/** 004 designates no 事務取扱担当者: their lists answer 409 with the reason; the training plan prints without a form number. */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ profileId: '004' });
  await seedTraining(deps(), {
    fiscalYear: 2026,
    name: '個人情報保護研修',
    timing: { from: '2026-06-01', to: '2026-06-30' },
    audience: ['allStaff', 'managers'],
    method: 'elearning',
  });
});
afterAll(async () => {
  await stack.close();
});

describe('registers’ documents under 004', () => {
  it.each(['/staff/form1', '/staff/form2?format=xlsx'])('%s is a 409 saying the regulation designates no such staff', async (path) => {
    const r = await stack.call('GET', path, { as: 'vice-mayor' });
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.type).toBe('urn:kansa:problem:handler-not-in-regulation');
    expect(r.body.detail).toBe(
      '久喜市の保有する個人情報の適切な管理のための措置に関する規程には、事務ごとに取り扱う職員を指定する定めがないため、担当者の一覧は出力できません。',
    );
  });

  it('the training plan is printed as the municipality’s practice, in 004’s role titles', async () => {
    const r = await stack.call('GET', '/trainings/form3?fiscalYear=2026', { as: 'clerk' });
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('様式第');
    expect(r.text).toContain('<h1>令和8年度\u3000研修計画</h1>');
    expect(r.text).toContain('根拠\u3000運用上のルール');
    expect(r.text).toContain('職員（派遣労働者を含む）、保護管理者及び保護担当者');
  });
});
