/**
 * Calendar rules: 年度 (fiscal year, 1 April – 31 March), Japan time (UTC+9, no DST),
 * the periods periodic duties run in, and 和暦 for display.
 */

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The calendar date in Japan of an instant, as `YYYY-MM-DD`. */
export function jstDate(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Date and time of an instant in Japan: `2026-11-24 03:08`. */
export function jstDateTime(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** 年度 of an instant, judged in Japan time: 2027-03-31T23:59+09:00 is still 2026年度. */
export function fiscalYearOf(instant: Date): number {
  return fiscalYearOfDate(jstDate(instant));
}

/** 年度 of a plain date `YYYY-MM-DD`. */
export function fiscalYearOfDate(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

/** First and last day of a 年度. */
export function fiscalYearRange(fiscalYear: number): { from: string; to: string } {
  return { from: `${fiscalYear}-04-01`, to: `${fiscalYear + 1}-03-31` };
}

/** True when `YYYY-MM-DD` names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

interface Era {
  name: string;
  /** First day of the era (Gregorian, Japan). */
  start: string;
}

const eras: readonly Era[] = [
  { name: '令和', start: '2019-05-01' },
  { name: '平成', start: '1989-01-08' },
  { name: '昭和', start: '1926-12-25' },
  { name: '大正', start: '1912-07-30' },
  { name: '明治', start: '1868-01-25' },
];

function eraYear(name: string, n: number): string {
  return `${name}${n === 1 ? '元' : n}年`;
}

/** 和暦 of a plain date: 2026-11-20 → 令和8年11月20日. */
export function warekiDate(date: string): string {
  const era = eras.find((e) => date >= e.start);
  if (!era) return date;
  const year = Number(date.slice(0, 4));
  const n = year - Number(era.start.slice(0, 4)) + 1;
  return `${eraYear(era.name, n)}${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/**
 * 和暦 of a 年度, named by the era in force on its first day, as public bodies do
 * (2026年度 = 令和8年度; 2019年度 began in 平成 and is 平成31年度).
 */
export function warekiFiscalYear(fiscalYear: number): string {
  const first = `${fiscalYear}-04-01`;
  const era = eras.find((e) => first >= e.start);
  if (!era) return `${fiscalYear}年度`;
  const n = fiscalYear - Number(era.start.slice(0, 4)) + 1;
  return `${eraYear(era.name, n).slice(0, -1)}年度`;
}

/** 2026 → "2026年度（令和8年度）" for display beside each other. */
export function fiscalYearLabel(fiscalYear: number): string {
  return `${fiscalYear}年度（${warekiFiscalYear(fiscalYear)}）`;
}

/** How often a periodic duty recurs. */
export type DutyFrequency = 'daily' | 'quarterly' | 'yearly';

/** The period a run of a duty belongs to, judged in Japan time from its logical instant. */
export interface DutyPeriod {
  /** `FY2027` (yearly), `FY2027-Q1` (quarterly: Q1 = April–June), `2027-04-02` (daily, the Japan date). */
  period: string;
  /** The Japan date of the instant, `YYYY-MM-DD`. */
  today: string;
  /** 年度 of the instant (1 April – 31 March, Japan time). */
  fiscalYear: number;
}

/** Fiscal quarter of a Japan month (1–12): April–June is Q1, January–March Q4. */
export function fiscalQuarterOfMonth(month: number): 1 | 2 | 3 | 4 {
  return (Math.floor(((month + 8) % 12) / 3) + 1) as 1 | 2 | 3 | 4;
}

/**
 * The period of a run at `instant` (the time the schedule meant, not the time it ran):
 * 2027-03-31T23:59+09:00 is FY2026-Q4 and 2027-04-01T00:00+09:00 (= 2027-03-31T15:00Z)
 * is FY2027-Q1, whatever the machine's time zone.
 */
export function dutyPeriod(instant: Date, frequency: DutyFrequency): DutyPeriod {
  const today = jstDate(instant);
  const fiscalYear = fiscalYearOf(instant);
  switch (frequency) {
    case 'daily':
      return { period: today, today, fiscalYear };
    case 'quarterly':
      return { period: `FY${fiscalYear}-Q${fiscalQuarterOfMonth(Number(today.slice(5, 7)))}`, today, fiscalYear };
    case 'yearly':
      return { period: `FY${fiscalYear}`, today, fiscalYear };
  }
}
