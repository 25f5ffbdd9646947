import holidayDates from '#lib/domain/holiday-dates.js';
import { addDays } from './ppc.js';

/**
 * 行政機関の休日 (行政機関の休日に関する法律第1条第1項: 日曜日・土曜日, 国民の祝日に関する法律に
 * 規定する休日, 12月29日から翌年の1月3日まで) and 第2条: a period-defined deadline for an act
 * towards a 行政庁 that falls on such a day falls on the next day that is not one. The 祝日 come
 * from @holiday-jp/holiday_jp (the 内閣府's list, including 振替休日 and 国民の休日), read from its
 * table module as dates alone (lib/domain/holiday-dates.ts; deployed, a prebuilt chunk).
 *
 * Only what computes a deadline imports this module: the 祝日 table is most of the bytes of a
 * function that carries it, and neither the profiles, nor the SPA, nor a function that only
 * reads a stored deadline needs it.
 */

const holidays = new Set(holidayDates);

/** A 祝日 under the 国民の祝日に関する法律 (including 振替休日 and 国民の休日). */
export function isHoliday(date: string): boolean {
  return holidays.has(date);
}

/** A 行政機関の休日 (行政機関の休日に関する法律第1条第1項): Saturday, Sunday, a 祝日, or 12/29–1/3. */
export function isClosedDay(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return true;
  const md = date.slice(5);
  if (md >= '12-29' || md <= '01-03') return true;
  return isHoliday(date);
}

/** The first day on or after `date` that is not a 行政機関の休日 (同法第2条). */
export function nextOpenDay(date: string): string {
  let d = date;
  while (isClosedDay(d)) d = addDays(d, 1);
  return d;
}
