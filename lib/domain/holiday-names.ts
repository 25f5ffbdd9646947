import holidays from '@holiday-jp/holiday_jp/lib/holidays.js';

/**
 * 祝日 under the 国民の祝日に関する法律 (including 振替休日 and 国民の休日) by plain date,
 * from @holiday-jp/holiday_jp (the 内閣府's list), names only. The incidents function
 * imports the file its build wrote with this module's value (functionSpecs.incidents.chunks,
 * about 20 KB of JSON) instead of the package (173 KB of JavaScript with weekdays and
 * English names); run from source, this module is evaluated.
 */
const names: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(holidays as Record<string, { name: string }>).map(([date, { name }]) => [date, name]),
);
export default names;
