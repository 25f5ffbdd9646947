import { fiscalYearOf, jstDate, jstDateTime, warekiDate, warekiFiscalYear } from '#lib/domain/calendar.js';

/** Display of years and dates: 和暦 beside the Western year, in Japan time. */

/** 2026 → 令和8年度（2026年度） */
export function fiscalYearText(fiscalYear: number): string {
  return `${warekiFiscalYear(fiscalYear)}（${fiscalYear}年度）`;
}

/** The 年度 choices of a select; the `chosen` one too when it is not among `years` (e.g. from the address). */
export function fiscalYearOptions(years: readonly number[], chosen?: string): (readonly [string, string])[] {
  const options = years.map((y) => [String(y), fiscalYearText(y)] as const);
  return chosen === undefined || options.some(([y]) => y === chosen)
    ? options
    : [...options, [chosen, fiscalYearText(Number(chosen))] as const];
}

/** 2026-11-20 → 令和8年11月20日（2026-11-20） */
export function dateText(date: string | undefined | null): string {
  if (!date) return '—';
  const d = date.slice(0, 10);
  return `${warekiDate(d)}（${d}）`;
}

/** An instant in Japan time: 令和8年11月24日 03:08 */
export function dateTimeText(instant: string | undefined | null): string {
  if (!instant) return '—';
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return instant;
  return `${warekiDate(jstDate(at))} ${jstDateTime(at).slice(11)}`;
}

/** Today in Japan, `YYYY-MM-DD`. */
export function todayInJapan(): string {
  return jstDate(new Date());
}

/** The 年度 now, in Japan time. */
export function currentFiscalYear(): number {
  return fiscalYearOf(new Date());
}

export function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
