import { describe, expect, it } from 'vitest';
import { isClosedDay, isHoliday, nextOpenDay } from '#lib/domain/closed-days.js';
import { learnedOn, noFlags } from '#lib/domain/incident.js';
import { assess, assessIncident } from '#lib/domain/incident-assessment.js';
import { type IncidentFacts, addDays, daysLeft } from '#lib/domain/ppc.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { lawClock, lawCriteria } from '#lib/profiles/law.js';
import { nara } from '#lib/profiles/nara.js';

/**
 * The PPC assessment against the real profiles: every 事態 of 施行規則第43条 and of the
 * 特定個人情報漏えい等規則第2条, the encryption parenthesis, the 100-person boundary, the
 * 30/60-day 確報 counted from the day learned in Japan, moved off the 行政機関の休日, and
 * 002's own rule (第9の3) on top of the law's.
 */

const facts = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  category: 'leak',
  subjects: 1,
  ...noFlags,
  ...over,
});

/** 001 (the default) carries the law's criteria alone. */
const law = koriyama.incidents;
const assessLaw = (f: IncidentFacts, on = '2026-06-01') => assess(f, on, law.criteria, law.clock);

describe('every profile reports under the law', () => {
  it.each([koriyama, nara, koka, kuki].map((p) => [p.id, p] as const))('%s holds every law criterion and the law clock', (_id, p) => {
    expect(p.incidents.criteria.slice(0, lawCriteria.length)).toEqual(lawCriteria);
    expect(p.incidents.clock).toBe(lawClock);
  });
});

describe('施行規則第43条 (漏えい等 of 保有個人情報)', () => {
  it('第1号・第5号: 要配慮個人情報 → report, notify, 確報 in 30 days', () => {
    const a = assessLaw(facts({ sensitive: true }));
    expect(a).toMatchObject({ reportToPPC: true, notifySubjects: true, atOnce: false, criteria: ['appi-sensitive'] });
    expect(a.reasons).toEqual([`${lawCriteria[0]!.reason}（施行規則第43条第1号・第5号）`]);
    expect(a.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-06-30' });
  });

  it('第2号: 財産的被害のおそれ → report, 30 days', () => {
    const a = assessLaw(facts({ category: 'loss', financialHarm: true }));
    expect(a).toMatchObject({ reportToPPC: true, notifySubjects: true, criteria: ['appi-financial'] });
    expect(a.reasons[0]).toContain('施行規則第43条第2号');
    expect(a.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-06-30' });
  });

  it('第3号: 不正の目的のおそれ → report, 確報 in 60 days (第44条第2項)', () => {
    const a = assessLaw(facts({ category: 'damage', wrongfulPurpose: true }));
    expect(a).toMatchObject({ reportToPPC: true, notifySubjects: true, criteria: ['appi-wrongful'] });
    expect(a.reasons[0]).toContain('施行規則第43条第3号、第44条第2項');
    // Day 1 is 2026-06-01; day 60 is 2026-07-30 (a Thursday).
    expect(a.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-07-30' });
  });

  it('第4号: more than 100 people → report, 30 days', () => {
    const a = assessLaw(facts({ subjects: 101 }));
    expect(a).toMatchObject({ reportToPPC: true, notifySubjects: true, criteria: ['appi-over100'] });
    expect(a.reasons[0]).toContain('施行規則第43条第4号');
  });

  it('nothing of 第1号–第5号 → no report, no deadline', () => {
    expect(assessLaw(facts({ subjects: 100 }))).toEqual({
      reportToPPC: false,
      notifySubjects: false,
      atOnce: false,
      reasons: [],
      criteria: [],
      deadlines: { preliminary: null, final: null },
    });
  });

  it('a 60-day 事態 together with a 30-day one gives 60 days', () => {
    const a = assessLaw(facts({ sensitive: true, wrongfulPurpose: true, subjects: 500 }));
    expect(a.criteria).toEqual(['appi-sensitive', 'appi-wrongful', 'appi-over100']);
    expect(a.deadlines.final).toBe('2026-07-30');
    expect(a.reasons).toHaveLength(3);
  });

  it.each(['misuse', 'ruleViolation'] as const)('%s is not 漏えい等: no 事態 of 第43条 whatever the facts', (category) => {
    const a = assessLaw(facts({ category, sensitive: true, financialHarm: true, wrongfulPurpose: true, subjects: 10_000 }));
    expect(a.reportToPPC).toBe(false);
    expect(a.deadlines).toEqual({ preliminary: null, final: null });
  });
});

describe('特定個人情報漏えい等規則第2条 (番号法第29条の4)', () => {
  it('第1号: 特定個人情報 in the 情報提供ネットワークシステム or a 個人番号利用事務等 system', () => {
    const a = assessLaw(facts({ myNumber: true, inSystem: true }));
    expect(a).toMatchObject({ reportToPPC: true, notifySubjects: true, criteria: ['mynumber-system'] });
    expect(a.reasons[0]).toContain('特定個人情報漏えい等規則第2条第1号');
    expect(a.deadlines.final).toBe('2026-06-30');
  });

  it('第1号 asks for 特定個人情報: a system without it is no 事態', () => {
    expect(assessLaw(facts({ inSystem: true })).reportToPPC).toBe(false);
  });

  it('第1号 is about 漏えい等 only: a misuse in the system alone is no 事態', () => {
    expect(assessLaw(facts({ category: 'misuse', myNumber: true, inSystem: true })).reportToPPC).toBe(false);
  });

  it('第2号: 不正の目的 → report, 確報 in 60 days (第3条第2項)', () => {
    const a = assessLaw(facts({ myNumber: true, wrongfulPurpose: true }));
    expect(a.criteria).toEqual(['appi-wrongful', 'mynumber-wrongful']);
    expect(a.reasons[1]).toContain('特定個人情報漏えい等規則第2条第2号、第3条第2項');
    expect(a.deadlines.final).toBe('2026-07-30');
  });

  it('第2号 covers a wrongful 利用又は提供 (misuse), still 60 days', () => {
    const a = assessLaw(facts({ category: 'misuse', myNumber: true, wrongfulPurpose: true }));
    expect(a).toMatchObject({ reportToPPC: true, notifySubjects: true, criteria: ['mynumber-wrongful'] });
    expect(a.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-07-30' });
  });

  it('第3号: viewable by an unspecified number of people over a network', () => {
    const a = assessLaw(facts({ myNumber: true, publiclyViewable: true }));
    expect(a.criteria).toEqual(['mynumber-public']);
    expect(a.reasons[0]).toContain('特定個人情報漏えい等規則第2条第3号');
    expect(a.deadlines.final).toBe('2026-06-30');
  });

  it('第3号 covers misuse too', () => {
    expect(assessLaw(facts({ category: 'misuse', myNumber: true, publiclyViewable: true })).criteria).toEqual(['mynumber-public']);
  });

  it('第4号: more than 100 people (with 第43条第4号 for the leak)', () => {
    const a = assessLaw(facts({ myNumber: true, subjects: 101 }));
    expect(a.criteria).toEqual(['appi-over100', 'mynumber-over100']);
    expect(a.reasons[1]).toContain('特定個人情報漏えい等規則第2条第4号');
  });

  it('第4号 covers a 第9条/第19条 violation (misuse) of more than 100 people; 第43条 does not', () => {
    const a = assessLaw(facts({ category: 'misuse', myNumber: true, subjects: 101 }));
    expect(a.criteria).toEqual(['mynumber-over100']);
    expect(a.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-06-30' });
  });

  it('a 規程違反 is none of 第2条 (not 漏えい等, nor 利用・提供)', () => {
    const a = assessLaw(facts({ category: 'ruleViolation', myNumber: true, wrongfulPurpose: true, publiclyViewable: true, subjects: 500 }));
    expect(a.reportToPPC).toBe(false);
  });
});

describe('高度な暗号化 takes the information out of every 事態 (施行規則第43条第1号 括弧書)', () => {
  const cases: [string, Partial<IncidentFacts>][] = [
    ['appi-sensitive', { sensitive: true }],
    ['appi-financial', { financialHarm: true }],
    ['appi-wrongful', { wrongfulPurpose: true }],
    ['appi-over100', { subjects: 101 }],
    ['mynumber-system', { myNumber: true, inSystem: true }],
    ['mynumber-wrongful', { category: 'misuse', myNumber: true, wrongfulPurpose: true }],
    ['mynumber-public', { myNumber: true, publiclyViewable: true }],
    ['mynumber-over100', { category: 'misuse', myNumber: true, subjects: 101 }],
  ];

  it('the table covers every law criterion', () => {
    expect(cases.map(([id]) => id).sort()).toEqual(lawCriteria.map((c) => c.id).sort());
  });

  it.each(cases)('%s: met in clear, not when strongly encrypted', (id, over) => {
    expect(assessLaw(facts(over)).criteria).toContain(id);
    const a = assessLaw(facts({ ...over, encrypted: true }));
    expect(a.reportToPPC).toBe(false);
    expect(a.deadlines).toEqual({ preliminary: null, final: null });
  });
});

describe('本人の数が百人を超える: the boundary', () => {
  it.each([
    ['施行規則第43条第4号', {}, 'appi-over100'],
    ['特定個人情報漏えい等規則第2条第4号', { category: 'misuse', myNumber: true }, 'mynumber-over100'],
  ] as const)('%s: 100 → no, 101 → yes, unknown (null) → yes until counted (発生したおそれ)', (_rule, over, id) => {
    expect(assessLaw(facts({ ...over, subjects: 100 })).reportToPPC).toBe(false);
    expect(assessLaw(facts({ ...over, subjects: 101 })).criteria).toEqual([id]);
    const unknown = assessLaw(facts({ ...over, subjects: null }));
    expect(unknown.criteria).toEqual([id]);
    expect(unknown.reasons[0]).toContain('（本人の数が不明のため、100人を超えるおそれがあるものとして扱う）');
    expect(unknown.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-06-30' });
  });
});

describe('day 1 is the date in Japan the 課 learned of it', () => {
  it('2026-06-01T23:30+09:00 and 2026-05-31T15:30Z are both day 1 = 2026-06-01', () => {
    expect(learnedOn('2026-06-01T23:30:00+09:00')).toBe('2026-06-01');
    expect(learnedOn('2026-05-31T15:30:00Z')).toBe('2026-06-01');
    const records = {
      items: ['氏名'],
      subjects: 101,
      ...noFlags,
    };
    const late = assessIncident({ category: 'leak', records, discoveredAt: '2026-06-01T23:30:00+09:00' }, law);
    const utc = assessIncident({ category: 'leak', records, discoveredAt: '2026-05-31T15:30:00Z' }, law);
    expect(late.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-06-30' });
    expect(utc.deadlines).toEqual(late.deadlines);
  });

  it('2026-05-31T14:59Z is still 2026-05-31 in Japan', () => {
    expect(learnedOn('2026-05-31T14:59:00Z')).toBe('2026-05-31');
  });

  it('the API.md example: discovered 2026-06-01T10:00+09:00 → 速報 2026-06-05, 確報 2026-06-30', () => {
    const records = {
      items: ['氏名', '住所'],
      subjects: 101,
      ...noFlags,
    };
    const a = assessIncident({ category: 'leak', records, discoveredAt: '2026-06-01T10:00:00+09:00' }, law);
    expect(a.deadlines).toEqual({ preliminary: '2026-06-05', final: '2026-06-30' });
    expect(a.reasons).toEqual(['本人の数が100人を超える保有個人情報の漏えい等（施行規則第43条第4号）']);
  });
});

describe('a 確報 deadline on a 行政機関の休日 moves to the next open day', () => {
  const finalOf = (dayOne: string) => assessLaw(facts({ sensitive: true }), dayOne).deadlines.final;

  it('day 30 on a Saturday (2026-07-04) → Monday 2026-07-06', () => {
    expect(addDays('2026-06-05', 29)).toBe('2026-07-04');
    expect(finalOf('2026-06-05')).toBe('2026-07-06');
  });

  it('day 30 on a Sunday (2026-07-05) → Monday 2026-07-06', () => {
    expect(finalOf('2026-06-06')).toBe('2026-07-06');
  });

  it('day 30 on 海の日 (Monday 2026-07-20) → Tuesday 2026-07-21', () => {
    expect(isHoliday('2026-07-20')).toBe(true); // 海の日
    expect(finalOf('2026-06-21')).toBe('2026-07-21');
  });

  it('day 30 on 文化の日 (Tuesday 2026-11-03) → Wednesday 2026-11-04', () => {
    expect(isHoliday('2026-11-03')).toBe(true); // 文化の日
    expect(finalOf('2026-10-05')).toBe('2026-11-04');
  });

  it('day 30 on a 振替休日 (Wednesday 2026-05-06) → Thursday 2026-05-07', () => {
    expect(isHoliday('2026-05-06')).toBe(true); // 振替休日 (憲法記念日 on a Sunday)
    expect(finalOf('2026-04-07')).toBe('2026-05-07');
  });

  it('day 30 in the year-end closure (Tuesday 2026-12-29) → Monday 2027-01-04', () => {
    expect(addDays('2026-11-30', 29)).toBe('2026-12-29');
    expect(finalOf('2026-11-30')).toBe('2027-01-04');
  });

  it('day 30 in the closure (2025-12-30) with 1/4 a Sunday → Monday 2026-01-05', () => {
    expect(isClosedDay('2026-01-04')).toBe(true);
    expect(finalOf('2025-12-01')).toBe('2026-01-05');
  });

  it('a 60-day deadline moves too: day 60 on Saturday 2026-08-01 → Monday 2026-08-03', () => {
    expect(assessLaw(facts({ wrongfulPurpose: true }), '2026-06-03').deadlines.final).toBe('2026-08-03');
  });

  it('the 速報 目安 is not moved (「速やかに」 is no period): day 5 on a Saturday stays', () => {
    expect(assessLaw(facts({ sensitive: true }), '2026-06-02').deadlines.preliminary).toBe('2026-06-06');
  });

  it('isClosedDay and nextOpenDay', () => {
    expect(isClosedDay('2026-06-30')).toBe(false);
    expect(isClosedDay('2026-12-28')).toBe(false);
    expect(isClosedDay('2026-12-29')).toBe(true);
    expect(isClosedDay('2027-01-03')).toBe(true);
    expect(nextOpenDay('2026-06-30')).toBe('2026-06-30');
    expect(nextOpenDay('2026-09-19')).toBe('2026-09-24'); // Sat, Sun, 敬老の日, 国民の休日, 秋分の日
  });

  it('daysLeft counts calendar days, 0 on the day, negative after', () => {
    expect(daysLeft('2026-06-29', '2026-06-30')).toBe(1);
    expect(daysLeft('2026-06-30', '2026-06-30')).toBe(0);
    expect(daysLeft('2026-07-01', '2026-06-30')).toBe(-1);
  });
});

describe('002 第9の3: the regulation’s own rule on top of the law', () => {
  const assessNara = (f: IncidentFacts, on = '2026-06-01') => assess(f, on, nara.incidents.criteria, nara.incidents.clock);

  it('every 漏えい等 is reported, with no legal deadline and no legal notice when no law criterion is met', () => {
    const a = assessNara(facts({ myNumber: true }));
    expect(a).toEqual({
      reportToPPC: true,
      notifySubjects: false,
      atOnce: false,
      reasons: ['特定個人情報等の漏えい等の事案は、調査して個人情報保護委員会に報告する（第9の3）'],
      criteria: ['nara-every-leak'],
      deadlines: { preliminary: null, final: null },
    });
  });

  it('strong encryption does not take a leak out of 第9の3', () => {
    expect(assessNara(facts({ myNumber: true, encrypted: true })).criteria).toEqual(['nara-every-leak']);
  });

  it('a misuse that is not 特に重大 is not reported under 第9の3', () => {
    expect(assessNara(facts({ category: 'misuse', myNumber: true })).reportToPPC).toBe(false);
  });

  it('特に重大 with a law 事態 (system): at once, 速報 on day 1, 確報 in 30 days', () => {
    const a = assessNara(facts({ myNumber: true, inSystem: true }));
    expect(a).toMatchObject({ reportToPPC: true, notifySubjects: true, atOnce: true });
    expect(a.criteria).toEqual(['mynumber-system', 'nara-every-leak', 'nara-grave-system']);
    expect(a.deadlines).toEqual({ preliminary: '2026-06-01', final: '2026-06-30' });
  });

  it('特に重大 (4) wrongful use: at once, 確報 in 60 days', () => {
    const a = assessNara(facts({ category: 'misuse', myNumber: true, wrongfulPurpose: true }));
    expect(a.criteria).toEqual(['mynumber-wrongful', 'nara-grave-wrongful']);
    expect(a.deadlines).toEqual({ preliminary: '2026-06-01', final: '2026-07-30' });
  });

  it('特に重大 without a law 事態 (strongly encrypted, over 100): at once, no legal 確報', () => {
    const a = assessNara(facts({ myNumber: true, encrypted: true, subjects: 101 }));
    expect(a).toMatchObject({ reportToPPC: true, notifySubjects: false, atOnce: true });
    expect(a.criteria).toEqual(['nara-every-leak', 'nara-grave-over100']);
    expect(a.deadlines).toEqual({ preliminary: '2026-06-01', final: null });
  });

  it('第9の3(3) is 特に重大 only once the exposed 特定個人情報等 was in fact viewed', () => {
    const exposed = assessNara(facts({ myNumber: true, publiclyViewable: true }));
    expect(exposed.criteria).toEqual(['mynumber-public', 'nara-every-leak']);
    expect(exposed.atOnce).toBe(false);
    expect(exposed.deadlines.preliminary).toBe('2026-06-05');
    const viewed = assessNara(facts({ myNumber: true, publiclyViewable: true, viewed: true }));
    expect(viewed.criteria).toEqual(['mynumber-public', 'nara-every-leak', 'nara-grave-public']);
    expect(viewed.deadlines.preliminary).toBe('2026-06-01');
  });

  it('the same facts under 001 are not at once (no such rule there)', () => {
    const a = assessLaw(facts({ myNumber: true, inSystem: true }));
    expect(a.atOnce).toBe(false);
    expect(a.deadlines.preliminary).toBe('2026-06-05');
  });
});
