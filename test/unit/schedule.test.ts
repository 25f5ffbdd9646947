import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { dutyPeriod } from '#lib/domain/calendar.js';
import { dutyIds } from '#lib/jobs/runner.js';
import { cronExpressions, dutySchedules, dutyTimes, scheduleTimeZone } from '#lib/jobs/schedule.js';
import { sourceOf } from '#lib/domain/provisions.js';
import { getProfile, profiles } from '#lib/profiles/index.js';
import { systemDuties } from '#lib/profiles/system-duties.js';

const koriyama = getProfile('001');
const koka = getProfile('003');

describe('the schedule table', () => {
  it('has the EventBridge and croner forms of each duty of 001', () => {
    expect(dutySchedules(koriyama).map((s) => [s.duty, s.eventBridge, s.croner, s.timeZone, s.source])).toEqual([
      ['annual-plan', 'cron(5 0 1 4 ? *)', '5 0 1 4 *', 'Asia/Tokyo', '第26条第2項'],
      ['section-inspection', 'cron(10 0 1 1,4,7,10 ? *)', '10 0 1 1,4,7,10 *', 'Asia/Tokyo', '第27条'],
      ['contractor-check', 'cron(15 0 1 4 ? *)', '15 0 1 4 *', 'Asia/Tokyo', '第22条第4項'],
      ['overdue-actions', 'cron(20 0 * * ? *)', '20 0 * * *', 'Asia/Tokyo', '運用上のルール'],
      ['incident-deadlines', 'cron(25 0 * * ? *)', '25 0 * * *', 'Asia/Tokyo', '第24条'],
      ['training-followup', 'cron(35 0 * * ? *)', '35 0 * * *', 'Asia/Tokyo', '第11条第5項'],
      ['evidence-pending', 'cron(30 0 * * ? *)', '30 0 * * *', 'Asia/Tokyo', '運用上のルール'],
      ['audit-anchor', 'cron(40 0 * * ? *)', '40 0 * * *', 'Asia/Tokyo', '運用上のルール'],
    ]);
  });

  it('follows the profile: 003 inspects yearly, has no 監査 (no annual plan, no overdue actions) and no contractor-check schedule', () => {
    const rows = dutySchedules(koka);
    expect(rows.map((s) => s.duty)).toEqual([
      'section-inspection',
      'incident-deadlines',
      'training-followup',
      'evidence-pending',
      'audit-anchor',
    ]);
    expect(rows.find((s) => s.duty === 'section-inspection')).toMatchObject({
      frequency: 'yearly',
      eventBridge: 'cron(10 0 1 4 ? *)',
      source: '第30条',
    });
  });

  it.each(profiles.map((p) => [p.id, p] as const))(
    'profile %s: one row per enabled duty, none for a disabled one, the reports’ deadlines, the training’s 再受講, then every system duty',
    (_id, p) => {
      expect(dutySchedules(p).map((s) => s.duty)).toEqual([
        ...p.duties.filter((d) => d.enabled).map((d) => d.duty),
        'incident-deadlines',
        'training-followup',
        ...systemDuties.map((d) => d.duty),
      ]);
    },
  );

  it.each(profiles.map((p) => [p.id, p] as const))(
    'profile %s: the reports’ deadlines are checked daily under the provision of the report to the PPC',
    (_id, p) => {
      expect(dutySchedules(p).find((s) => s.duty === 'incident-deadlines')).toMatchObject({
        frequency: 'daily',
        source: sourceOf(p.provisions, 'ppcReport'),
        description: `事案の個人情報保護委員会への報告期限の確認（${sourceOf(p.provisions, 'ppcReport')}）: 毎日 00:25 日本時間`,
      });
    },
  );

  /** What each text owes those who missed a session: 001 第11条第5項 再受講; 002 第3の4, 004 第8条第4項 参加の機会; 003 practice. */
  const followUp: Record<string, string> = {
    '001': '再受講の機会の付与',
    '002': '研修への参加の機会の付与',
    '003': '再受講の機会の付与',
    '004': '研修への参加の機会の付与',
  };
  it.each(profiles.map((p) => [p.id, p] as const))(
    'profile %s: the 再受講 is checked daily under the provision of the training’s follow-up (003: its practice)',
    (_id, p) => {
      expect(dutySchedules(p).find((s) => s.duty === 'training-followup')).toMatchObject({
        frequency: 'daily',
        source: sourceOf(p.provisions, 'trainingFollowUp'),
        description: `研修の未受講者への${followUp[p.id]}（${sourceOf(p.provisions, 'trainingFollowUp')}）: 毎日 00:35 日本時間`,
      });
    },
  );

  it('describes each row in Japanese with its article, a system duty with 運用 (no article)', () => {
    expect(dutySchedules(koriyama)[1]?.description).toBe(
      '課ごとの点検（第27条）: 四半期ごと（4・7・10・1月の1日、運用上のルール） 00:10 日本時間',
    );
    // 003 第30条 fixes the interval itself (少なくとも毎年1回): nothing to mark as practice.
    expect(dutySchedules(koka).find((s) => s.duty === 'section-inspection')?.description).toBe(
      '課ごとの点検（第30条）: 毎年4月1日 00:10 日本時間',
    );
    expect(dutySchedules(koriyama).find((s) => s.duty === 'evidence-pending')?.description).toBe(
      '未検証の証跡の再確認（運用上のルール）: 毎日 00:30 日本時間',
    );
    expect(dutySchedules(koriyama).find((s) => s.duty === 'audit-anchor')?.description).toBe(
      '監査証跡のアンカーの外部保管（運用上のルール）: 毎日 00:40 日本時間',
    );
  });

  it("a delivery may name every duty of the table (the regulation's and the system duties)", () => {
    expect([...dutyIds].sort()).toEqual(Object.keys(dutyTimes).sort());
  });

  it('gives every duty its own time of day, so no two runs of the jobs function start together', () => {
    const times = Object.values(dutyTimes).map((t) => t.hour * 60 + t.minute);
    expect(new Set(times).size).toBe(times.length);
  });
});

/**
 * The Japan instants an EventBridge `cron(min hour dom month ? *)` fires at in a range,
 * read from the expression by hand (numbers, lists and `*` only: all the table uses).
 */
function eventBridgeFirings(expression: string, from: Date, to: Date): string[] {
  const m = /^cron\((\S+) (\S+) (\S+) (\S+) \? \*\)$/.exec(expression);
  if (!m) throw new Error(`not a supported EventBridge cron: ${expression}`);
  const [minute, hour, dom, month] = m.slice(1) as [string, string, string, string];
  const matches = (field: string, value: number) => field === '*' || field.split(',').map(Number).includes(value);
  const out: string[] = [];
  // Every day of the range, in Japan (UTC+9, no DST): the firing at hour:minute that day.
  for (
    let day = new Date(from.getTime() + 9 * 3600_000);
    day < new Date(to.getTime() + 9 * 3600_000);
    day = new Date(day.getTime() + 86_400_000)
  ) {
    const ymd = day.toISOString().slice(0, 10);
    const firing = new Date(`${ymd}T${hour.padStart(2, '0')}:${minute.padStart(2, '0')}:00+09:00`);
    if (firing >= from && firing < to && matches(dom, day.getUTCDate()) && matches(month, day.getUTCMonth() + 1))
      out.push(firing.toISOString());
  }
  return out;
}

describe('croner fires at the same Japan instants as EventBridge', () => {
  const from = new Date('2027-03-01T00:00:00+09:00');
  const to = new Date('2028-04-02T00:00:00+09:00');

  it.each(['daily', 'quarterly', 'yearly'] as const)('%s, over thirteen months', (frequency) => {
    for (const duty of ['annual-plan', 'section-inspection', 'contractor-check', 'overdue-actions', 'evidence-pending'] as const) {
      const { eventBridge, croner } = cronExpressions(duty, frequency);
      const expected = eventBridgeFirings(eventBridge, from, to);
      const job = new Cron(croner, { timezone: scheduleTimeZone, paused: true });
      const fired = job
        .nextRuns(expected.length + 1, new Date(from.getTime() - 1000))
        .map((d) => d.toISOString())
        .filter((t) => t < to.toISOString());
      expect(fired).toEqual(expected);
      expect(expected.length).toBe({ daily: 398, quarterly: 5, yearly: 2 }[frequency]);
    }
  });

  it('the quarterly 点検 fires at the start of each fiscal quarter, each firing in a new period', () => {
    const { croner } = cronExpressions('section-inspection', 'quarterly');
    const runs = new Cron(croner, { timezone: scheduleTimeZone, paused: true }).nextRuns(4, new Date('2027-03-31T15:00:00Z'));
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2027-03-31T15:10:00.000Z',
      '2027-06-30T15:10:00.000Z',
      '2027-09-30T15:10:00.000Z',
      '2027-12-31T15:10:00.000Z',
    ]);
    expect(runs.map((d) => dutyPeriod(d, 'quarterly').period)).toEqual(['FY2027-Q1', 'FY2027-Q2', 'FY2027-Q3', 'FY2027-Q4']);
  });

  it('the yearly plan fires on 1 April in Japan, which is 31 March in UTC', () => {
    const { croner } = cronExpressions('annual-plan', 'yearly');
    const [next] = new Cron(croner, { timezone: scheduleTimeZone, paused: true }).nextRuns(1, new Date('2027-01-01T00:00:00Z'));
    expect(next?.toISOString()).toBe('2027-03-31T15:05:00.000Z');
    expect(dutyPeriod(next as Date, 'yearly').period).toBe('FY2027');
  });
});
