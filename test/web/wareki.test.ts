import { describe, expect, it } from 'vitest';
import { dateText, dateTimeText, fiscalYearOptions, fiscalYearText } from '../../web/src/format.js';

describe('和暦 beside Western years, Japan time', () => {
  it.each([
    [2026, '令和8年度（2026年度）'],
    [2019, '平成31年度（2019年度）'],
    [2020, '令和2年度（2020年度）'],
  ])('年度 %i → %s', (fy, text) => {
    expect(fiscalYearText(fy)).toBe(text);
  });

  it('offers 年度 choices, and the chosen one too when it is not among them', () => {
    expect(fiscalYearOptions([2026, 2025])).toEqual([
      ['2026', '令和8年度（2026年度）'],
      ['2025', '令和7年度（2025年度）'],
    ]);
    expect(fiscalYearOptions([2026], '2026')).toEqual([['2026', '令和8年度（2026年度）']]);
    expect(fiscalYearOptions([2026], '2019')).toEqual([
      ['2026', '令和8年度（2026年度）'],
      ['2019', '平成31年度（2019年度）'],
    ]);
  });

  it('names a plain date in 和暦 with the ISO date beside it', () => {
    expect(dateText('2026-11-20')).toBe('令和8年11月20日（2026-11-20）');
    expect(dateText('2019-05-01')).toBe('令和元年5月1日（2019-05-01）');
    expect(dateText(undefined)).toBe('—');
  });

  it('shows an instant on its Japanese calendar day', () => {
    // 18:08 UTC on the 23rd is already 03:08 on the 24th in Japan.
    expect(dateTimeText('2026-11-23T18:08:00Z')).toBe('令和8年11月24日 03:08');
    expect(dateTimeText('2027-03-31T15:30:00Z')).toBe('令和9年4月1日 00:30');
  });
});
