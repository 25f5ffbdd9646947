import holidays from '@holiday-jp/holiday_jp/lib/holidays.js';

/**
 * The dates (`YYYY-MM-DD`) of every 祝日 under the 国民の祝日に関する法律, 振替休日 and
 * 国民の休日 included, from @holiday-jp/holiday_jp (the 内閣府's list), ascending. The
 * incidents function imports the file its build wrote with this module's value
 * (functionSpecs.incidents.chunks, about 20 KB of JSON) instead of the package (173 KB
 * of JavaScript with names, weekdays and English); run from source, this module is evaluated.
 */
const dates: readonly string[] = Object.keys(holidays).sort();
export default dates;
