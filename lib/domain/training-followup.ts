import { fiscalYearOfDate, warekiFiscalYear } from './calendar.js';
import { type Provisions, cite } from './provisions.js';
import { addDays } from './task.js';
import type { Training } from './training.js';

/**
 * What the daily `training-followup` duty decides (001 第11条第5項 再受講; 002 第3の4; 004 第8条第4項;
 * 003 practice): which sessions it looks at, and the task it hands a 課's 保護管理者 naming those of
 * the 課's audience who missed one. The duty's claims keep each (session, 課) to one unit whatever
 * the day it runs; this module only decides. No I/O.
 */

/** A person a follow-up task names. */
export interface FollowUpPerson {
  staffId: string;
  name: string;
}

/**
 * The 年度 whose sessions a run on `today` looks at: this one and the one before, so a session
 * that ends in March (or is planned after it ended) is still followed up in April.
 */
export function followUpFiscalYears(today: string): [number, number] {
  const fy = fiscalYearOfDate(today);
  return [fy, fy - 1];
}

/**
 * A month to give them the chance: time for the 課 to find the next session, or to hand them the
 * material or the recording, and to record it; the task closes once they have all attended.
 */
export const followUpDays = 30;

/** The due date of a follow-up task made on `today`. */
export const followUpDue = (today: string): string => addDays(today, followUpDays);

/** How many people a task's title names before 「ほかN名」: the task lists them all (`people`), the title stays short. */
export const namedInTitle = 5;

/** 「安積 一郎、大槻 花子」, or 「…（5名） ほか3名」 past {@link namedInTitle}. */
export function peopleLabel(people: readonly Pick<FollowUpPerson, 'name'>[]): string {
  const shown = people.slice(0, namedInTitle).map((p) => p.name);
  const rest = people.length - shown.length;
  return rest > 0 ? `${shown.join('、')} ほか${rest}名` : shown.join('、');
}

/**
 * 「令和8年度 特定個人情報等の取扱研修 の未受講者（安積 一郎、… ほか2名）への再受講の機会の付与（第11条第5項）」:
 * the session, the people, what the profile's rule owes them (`training.followUpTerm`), and the rule as it cites it.
 */
export function followUpTitle(
  profile: { provisions: Provisions; training: { followUpTerm: string } },
  training: Pick<Training, 'fiscalYear' | 'name'>,
  people: readonly Pick<FollowUpPerson, 'name'>[],
): string {
  return (
    `${warekiFiscalYear(training.fiscalYear)} ${training.name} の未受講者（${peopleLabel(people)}）への${profile.training.followUpTerm}` +
    cite(profile.provisions, 'trainingFollowUp')
  );
}
