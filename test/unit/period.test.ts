import { describe, expect, it } from 'vitest';
import { dutyPeriod, fiscalQuarterOfMonth } from '#lib/domain/calendar.js';

describe('dutyPeriod', () => {
  it.each([
    // The last minute of 2026年度 in Japan is still FY2026-Q4, though it is 14:59 UTC.
    ['2027-03-31T23:59:00+09:00', 'quarterly', 'FY2026-Q4', '2027-03-31'],
    // Midnight of 1 April in Japan is 15:00 UTC on 31 March: already FY2027-Q1.
    ['2027-04-01T00:00:00+09:00', 'quarterly', 'FY2027-Q1', '2027-04-01'],
    ['2027-03-31T15:00:00Z', 'quarterly', 'FY2027-Q1', '2027-04-01'],
    ['2027-03-31T14:59:59Z', 'yearly', 'FY2026', '2027-03-31'],
    ['2027-03-31T15:00:00Z', 'yearly', 'FY2027', '2027-04-01'],
    ['2027-06-30T23:59:59+09:00', 'quarterly', 'FY2027-Q1', '2027-06-30'],
    ['2027-07-01T00:10:00+09:00', 'quarterly', 'FY2027-Q2', '2027-07-01'],
    ['2027-10-01T00:10:00+09:00', 'quarterly', 'FY2027-Q3', '2027-10-01'],
    ['2027-12-31T23:59:00+09:00', 'quarterly', 'FY2027-Q3', '2027-12-31'],
    ['2028-01-01T00:10:00+09:00', 'quarterly', 'FY2027-Q4', '2028-01-01'],
    ['2027-04-01T15:20:00Z', 'daily', '2027-04-02', '2027-04-02'],
    ['2027-04-01T14:59:59Z', 'daily', '2027-04-01', '2027-04-01'],
    ['2028-02-29T00:20:00+09:00', 'daily', '2028-02-29', '2028-02-29'],
    // The last second of the 年度 and the first of the next, for each frequency (003's 点検 is yearly).
    ['2027-03-31T23:59:59+09:00', 'yearly', 'FY2026', '2027-03-31'],
    ['2027-04-01T00:00:00+09:00', 'yearly', 'FY2027', '2027-04-01'],
    ['2027-03-31T23:59:59.999+09:00', 'quarterly', 'FY2026-Q4', '2027-03-31'],
    ['2027-03-31T23:59:59+09:00', 'daily', '2027-03-31', '2027-03-31'],
    ['2027-04-01T00:00:00+09:00', 'daily', '2027-04-01', '2027-04-01'],
    // Quarter boundaries in Japan time, given in UTC.
    ['2027-06-30T15:00:00Z', 'quarterly', 'FY2027-Q2', '2027-07-01'],
    ['2027-09-30T14:59:59Z', 'quarterly', 'FY2027-Q2', '2027-09-30'],
    ['2027-12-31T15:00:00Z', 'quarterly', 'FY2027-Q4', '2028-01-01'],
    ['2028-01-01T00:00:00+09:00', 'yearly', 'FY2027', '2028-01-01'],
  ] as const)('%s %s → %s (today %s)', (instant, frequency, period, today) => {
    const p = dutyPeriod(new Date(instant), frequency);
    expect(p.period).toBe(period);
    expect(p.today).toBe(today);
  });

  it('gives the fiscal year with the period', () => {
    expect(dutyPeriod(new Date('2028-01-01T00:10:00+09:00'), 'quarterly').fiscalYear).toBe(2027);
    expect(dutyPeriod(new Date('2027-04-01T00:00:00+09:00'), 'daily').fiscalYear).toBe(2027);
  });
});

describe('fiscalQuarterOfMonth', () => {
  it('maps April–June to Q1 … January–March to Q4', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(fiscalQuarterOfMonth)).toEqual([4, 4, 4, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });
});
