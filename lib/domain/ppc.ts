/**
 * Reports to the 個人情報保護委員会 (PPC): which 事案 the law makes a local government report
 * (個人情報保護法第68条; for 特定個人情報 番号法第29条の4), and by when. The rules are data
 * (`IncidentCriterion`, `ReportClock`), kept in each regulation profile with their sources;
 * this module says what they are made of and counts days, lib/domain/incident-assessment.ts
 * evaluates them and lib/domain/closed-days.ts knows the 行政機関の休日. No I/O.
 *
 * The sources, as confirmed for every number and counting rule:
 * - 個人情報保護法第68条第1項・第2項: the 行政機関の長等 reports 事態 the 規則 names to the PPC
 *   and notifies the people concerned.
 * - 個人情報保護法施行規則第43条 (行政機関等): 第1号 要配慮個人情報, 第2号 財産的被害のおそれ,
 *   第3号 不正の目的をもって行われたおそれ, 第4号 本人の数が百人を超える, 第5号 条例要配慮個人情報;
 *   each about 漏えい、滅失若しくは毀損 (漏えい等) of 保有個人情報, and the parenthesis of 第1号
 *   (「高度な暗号化その他の個人の権利利益を保護するために必要な措置を講じたものを除く。以下この条
 *   及び次条第一項において同じ。」) takes strongly encrypted information out of every number.
 * - 施行規則第44条第1項: 速報 「速やかに」; 第2項: 確報 「当該事態を知った日から三十日以内（当該事態が
 *   前条第三号に定めるものである場合にあっては、六十日以内）」.
 * - 番号法第29条の4第1項 and 特定個人情報の漏えい等に関する報告等に関する規則 第2条 (第1号 情報提供
 *   ネットワークシステム・個人番号利用事務等の情報システムの特定個人情報の漏えい等, 第2号 不正の目的
 *   による漏えい等・利用・提供, 第3号 電磁的方法による不特定多数の閲覧, 第4号 本人の数が百人を超える
 *   漏えい等・第9条違反の利用・第19条違反の提供) and 第3条 (速報 速やかに; 確報 30日以内, 第2条第2号の
 *   事態は60日以内); the same encryption parenthesis as 施行規則第43条第1号.
 * - The PPC's guideline for 行政機関等 (個人情報の保護に関する法律についてのガイドライン（行政機関等編）,
 *   漏えい等の報告): 「知った」 is when any 課 of the organisation learned of it; the 速報's
 *   「速やかに」 is 概ね3～5日以内; the day it learned is day 1 of the 確報's 30 or 60 days, and
 *   Saturdays, Sundays and 祝日 inside the period count.
 * - 行政機関の休日に関する法律第1条第1項 and 第2条: a 確報 deadline on a 行政機関の休日 moves to the
 *   next day that is not one (lib/domain/closed-days.ts, with the 祝日).
 */

/** The facts of an 事案 that decide a report (DOMAIN.md: `records`). */
export interface IncidentFacts {
  /** 漏えい leak, 滅失 loss, 毀損 damage, 不適正な利用 misuse, 規程違反 ruleViolation. */
  category: IncidentCategory;
  /** 本人の数, or null while unknown. */
  subjects: number | null;
  /** 要配慮個人情報 (条例要配慮個人情報 included). */
  sensitive: boolean;
  /** Misuse could cause financial harm (e.g. bank accounts, credit cards, login passwords). */
  financialHarm: boolean;
  /** Possibly done for a wrongful purpose (unauthorised access, an insider taking data, theft). */
  wrongfulPurpose: boolean;
  /** 特定個人情報 (マイナンバーを含む). */
  myNumber: boolean;
  /** Made unreadable by strong encryption whose key did not leak (高度な暗号化). */
  encrypted: boolean;
  /** 特定個人情報 managed in the 情報提供ネットワークシステム or a 個人番号利用事務等 information system. */
  inSystem: boolean;
  /** 特定個人情報 viewable by an unspecified number of people over a network (電磁的方法により不特定多数の者に閲覧). */
  publiclyViewable: boolean;
  /** It was in fact viewed while so exposed (002 第9の3(3): 閲覧することができる状態となり、かつ、閲覧された). */
  viewed: boolean;
}

export const incidentCategories = ['leak', 'loss', 'damage', 'misuse', 'ruleViolation'] as const;
export type IncidentCategory = (typeof incidentCategories)[number];
export const incidentCategoryLabels: Record<IncidentCategory, string> = {
  leak: '漏えい',
  loss: '滅失',
  damage: '毀損',
  misuse: '不適正な利用',
  ruleViolation: '規程違反',
};

/** 漏えい、滅失若しくは毀損 (漏えい等). */
export const leakCategories: readonly IncidentCategory[] = ['leak', 'loss', 'damage'];

type Flag = 'sensitive' | 'financialHarm' | 'wrongfulPurpose' | 'myNumber' | 'inSystem' | 'publiclyViewable' | 'viewed';

/**
 * One 事態 that calls for a report: when every `facts` flag holds, the category is one of
 * `categories` and (with `subjectsOver`) more than that many people are concerned.
 */
export interface IncidentCriterion {
  /** Stable id, for tests and the trail. */
  id: string;
  /** Whose rule it is: the law (a legal report and notice to the people concerned) or the regulation's own. */
  basis: 'law' | 'regulation';
  categories: readonly IncidentCategory[];
  facts: readonly Flag[];
  subjectsOver?: number;
  /** Not a 事態 when the information was strongly encrypted (the 規則's parenthesis). */
  exemptWhenEncrypted: boolean;
  /** The 確報 runs the long period (施行規則第44条第2項 括弧書: 前条第三号 → 60日). */
  longPeriod?: boolean;
  /** The regulation's 特に重大 case: reported at once (002 第9 3 ただし書). */
  atOnce?: boolean;
  /** What the reason says, in Japanese, without its source. */
  reason: string;
  /** The rule, as cited after the reason: 施行規則第43条第4号. */
  source: string;
}

/** How a report's deadlines are counted; each number with its source. */
export interface ReportClock {
  /** 速報: the guideline's 目安 for 「速やかに」 (概ね3～5日以内), as the last day counting the day learned as day 1. */
  preliminaryDays: number;
  preliminarySource: string;
  /** 確報: 30 days, and the long period (60) for the wrongful-purpose 事態, the day learned being day 1. */
  finalDays: number;
  finalLongDays: number;
  finalSource: string;
  /** A 確報 deadline on a 行政機関の休日 moves to the next day that is not one. */
  closedDaysSource: string;
  /** What a report holds, item by item (施行規則第44条第1項各号: 概要, 項目, 本人の数 … その他参考となる事項). */
  itemsSource: string;
}

export interface Assessment {
  /** A report to the PPC is required (by the law, or by the regulation's own rule). */
  reportToPPC: boolean;
  /** The law requires notice to the people concerned (個人情報保護法第68条第2項). */
  notifySubjects: boolean;
  /** The regulation has it reported at once (its 特に重大 case). */
  atOnce: boolean;
  /** Each reason in Japanese, citing its rule. */
  reasons: string[];
  /** The ids of the criteria met. */
  criteria: string[];
  /** Plain dates in Japan; null where no deadline runs. */
  deadlines: { preliminary: string | null; final: string | null };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `date` plus `days` calendar days (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The last day of a period of `days` days whose day 1 is `firstDay`. */
export function lastDayOf(firstDay: string, days: number): string {
  return addDays(firstDay, days - 1);
}

/** Days from `today` to `deadline` (0 on the day, negative once passed). */
export function daysLeft(today: string, deadline: string): number {
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}
