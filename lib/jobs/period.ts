import { fiscalYearOf, jstDate } from '#lib/domain/calendar.js';
import type { DutyDefinition } from '#lib/profiles/types.js';

/** How often a duty recurs, as its profile says. */
export type DutyFrequency = DutyDefinition['frequency'];

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
