import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fiscalYearLabel,
  fiscalYearOf,
  fiscalYearOfDate,
  fiscalYearRange,
  isCalendarDate,
  jstDate,
  warekiDate,
  warekiFiscalYear,
} from '#lib/domain/calendar.js';

describe('jstDate', () => {
  it.each([
    ['2026-04-01T14:59:59Z', '2026-04-01'],
    ['2026-04-01T15:00:00Z', '2026-04-02'],
    ['2026-03-31T15:00:00Z', '2026-04-01'],
    ['2026-12-31T14:59:59.999Z', '2026-12-31'],
    ['2026-12-31T15:00:00Z', '2027-01-01'],
    ['2024-02-28T15:00:00Z', '2024-02-29'],
    ['2026-11-20T10:00:00+09:00', '2026-11-20'],
    ['2026-11-20T00:00:00+09:00', '2026-11-20'],
  ])('%s is %s in Japan', (instant, date) => {
    expect(jstDate(new Date(instant))).toBe(date);
  });
});

describe('fiscalYearOf (年度 judged in Japan time)', () => {
  it.each([
    ['2027-03-31T14:59:59Z', 2026],
    ['2027-03-31T14:59:59.999Z', 2026],
    ['2027-03-31T15:00:00Z', 2027],
    ['2027-03-31T23:59:59+09:00', 2026],
    ['2027-04-01T00:00:00+09:00', 2027],
    ['2026-04-01T00:00:00+09:00', 2026],
    ['2026-03-31T23:59:59+09:00', 2025],
    ['2026-06-01T00:00:00Z', 2026],
    ['2027-01-01T00:00:00+09:00', 2026],
    ['2026-12-31T15:00:00Z', 2026],
  ])('%s is in %i年度', (instant, fy) => {
    expect(fiscalYearOf(new Date(instant))).toBe(fy);
  });

  it('puts the Japan date of every instant inside its 年度', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const { from, to } = fiscalYearRange(fiscalYearOf(d));
        const day = jstDate(d);
        return from <= day && day <= to;
      }),
    );
  });
});

describe('fiscalYearOfDate', () => {
  it.each([
    ['2026-04-01', 2026],
    ['2026-03-31', 2025],
    ['2027-03-31', 2026],
    ['2026-12-31', 2026],
    ['2027-01-01', 2026],
    ['2020-02-29', 2019],
  ])('%s is in %i年度', (date, fy) => {
    expect(fiscalYearOfDate(date)).toBe(fy);
  });
});

describe('fiscalYearRange', () => {
  it.each([
    [2026, { from: '2026-04-01', to: '2027-03-31' }],
    [2019, { from: '2019-04-01', to: '2020-03-31' }],
    [1999, { from: '1999-04-01', to: '2000-03-31' }],
  ])('%i年度 runs 1 April to 31 March', (fy, range) => {
    expect(fiscalYearRange(fy)).toEqual(range);
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2026-02-28', true],
    ['2026-04-01', true],
    ['2026-12-31', true],
    ['2026-02-29', false],
    ['1900-02-29', false],
    ['2100-02-29', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-01-32', false],
    ['2026-1-01', false],
    ['2026-01-1', false],
    ['26-01-01', false],
    ['2026/04/01', false],
    ['2026-04-01T00:00:00Z', false],
    [' 2026-04-01', false],
    ['2026-04-01 ', false],
    ['２０２６-０４-０１', false],
    ['', false],
    ['not a date', false],
    ['abcd-ef-gh', false],
  ])('%j → %s', (value, valid) => {
    expect(isCalendarDate(value)).toBe(valid);
  });
});

describe('warekiDate', () => {
  it.each([
    ['2026-11-20', '令和8年11月20日'],
    ['2026-04-01', '令和8年4月1日'],
    ['2020-01-01', '令和2年1月1日'],
    ['2019-05-01', '令和元年5月1日'],
    ['2019-04-30', '平成31年4月30日'],
    ['1989-01-08', '平成元年1月8日'],
    ['1989-01-07', '昭和64年1月7日'],
    ['1926-12-25', '昭和元年12月25日'],
    ['1926-12-24', '大正15年12月24日'],
  ])('%s → %s', (date, wareki) => {
    expect(warekiDate(date)).toBe(wareki);
  });
});

describe('warekiFiscalYear (named by the era of 1 April)', () => {
  it.each([
    [2026, '令和8年度'],
    [2020, '令和2年度'],
    // 1 April 2019 was still 平成 (令和 began 1 May 2019).
    [2019, '平成31年度'],
    [2018, '平成30年度'],
    [1989, '平成元年度'],
    [1988, '昭和63年度'],
  ])('%i → %s', (fy, wareki) => {
    expect(warekiFiscalYear(fy)).toBe(wareki);
  });

  it('agrees with the 和暦 year of the 年度 first day', () => {
    for (let fy = 1990; fy <= 2100; fy += 1) {
      expect(warekiDate(`${fy}-04-01`)).toMatch(new RegExp(`^${warekiFiscalYear(fy).slice(0, -1)}4月1日$`));
    }
  });
});

describe('fiscalYearLabel', () => {
  it.each([
    [2026, '2026年度（令和8年度）'],
    [2019, '2019年度（平成31年度）'],
    [2020, '2020年度（令和2年度）'],
  ])('%i → %s', (fy, label) => {
    expect(fiscalYearLabel(fy)).toBe(label);
  });
});
