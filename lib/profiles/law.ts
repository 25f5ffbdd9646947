import { type IncidentCriterion, type ReportClock, leakCategories } from '#lib/domain/ppc.js';

/**
 * The law every profile reports under (the sources and counting rules are set out in
 * lib/domain/ppc.ts): 個人情報保護法第68条 with 施行規則第43条・第44条 for a 地方公共団体の機関,
 * and for 特定個人情報 番号法第29条の4 with its 規則第2条・第3条. A profile adds its regulation's
 * own 事態 after these (002 第9の3).
 */

const APPI_RULES = '施行規則';
const MYNUMBER_RULES = '特定個人情報漏えい等規則';

/**
 * The law's 事態 for a 地方公共団体の機関 (施行規則第43条) and, for 特定個人情報, 番号法第29条の4
 * with its 規則第2条. Every profile reports under them; a profile may add its regulation's own.
 * Reasons cite the 規則 by the short names the PPC's own forms use.
 */
export const lawCriteria: readonly IncidentCriterion[] = [
  {
    id: 'appi-sensitive',
    basis: 'law',
    categories: leakCategories,
    facts: ['sensitive'],
    exemptWhenEncrypted: true,
    reason: '要配慮個人情報（条例要配慮個人情報を含む）が含まれる保有個人情報の漏えい等',
    source: `${APPI_RULES}第43条第1号・第5号`,
  },
  {
    id: 'appi-financial',
    basis: 'law',
    categories: leakCategories,
    facts: ['financialHarm'],
    exemptWhenEncrypted: true,
    reason: '不正に利用されることにより財産的被害が生じるおそれがある保有個人情報の漏えい等',
    source: `${APPI_RULES}第43条第2号`,
  },
  {
    id: 'appi-wrongful',
    basis: 'law',
    categories: leakCategories,
    facts: ['wrongfulPurpose'],
    exemptWhenEncrypted: true,
    longPeriod: true,
    reason: '不正の目的をもって行われたおそれがある行為による保有個人情報の漏えい等（確報は60日以内）',
    source: `${APPI_RULES}第43条第3号、第44条第2項`,
  },
  {
    id: 'appi-over100',
    basis: 'law',
    categories: leakCategories,
    facts: [],
    subjectsOver: 100,
    exemptWhenEncrypted: true,
    reason: '本人の数が100人を超える保有個人情報の漏えい等',
    source: `${APPI_RULES}第43条第4号`,
  },
  {
    id: 'mynumber-system',
    basis: 'law',
    categories: leakCategories,
    facts: ['myNumber', 'inSystem'],
    exemptWhenEncrypted: true,
    reason: '情報提供ネットワークシステム又は個人番号利用事務等の情報システムで管理される特定個人情報の漏えい等',
    source: `番号法第29条の4、${MYNUMBER_RULES}第2条第1号`,
  },
  {
    id: 'mynumber-wrongful',
    basis: 'law',
    categories: [...leakCategories, 'misuse'],
    facts: ['myNumber', 'wrongfulPurpose'],
    exemptWhenEncrypted: true,
    longPeriod: true,
    reason: '不正の目的をもって行われたおそれがある特定個人情報の漏えい等、利用又は提供（確報は60日以内）',
    source: `番号法第29条の4、${MYNUMBER_RULES}第2条第2号、第3条第2項`,
  },
  {
    id: 'mynumber-public',
    basis: 'law',
    categories: [...leakCategories, 'misuse'],
    facts: ['myNumber', 'publiclyViewable'],
    exemptWhenEncrypted: true,
    reason: '特定個人情報が電磁的方法により不特定多数の者に閲覧され、又は閲覧されるおそれ',
    source: `番号法第29条の4、${MYNUMBER_RULES}第2条第3号`,
  },
  {
    id: 'mynumber-over100',
    basis: 'law',
    categories: [...leakCategories, 'misuse'],
    facts: ['myNumber'],
    subjectsOver: 100,
    exemptWhenEncrypted: true,
    reason: '本人の数が100人を超える特定個人情報の漏えい等、番号法第9条に反する利用又は第19条に反する提供',
    source: `番号法第29条の4、${MYNUMBER_RULES}第2条第4号`,
  },
];

/** The clock every profile counts by (施行規則第44条, 特定個人情報漏えい等規則第3条, the PPC's guideline). */
export const lawClock: ReportClock = {
  preliminaryDays: 5,
  preliminarySource: `${APPI_RULES}第44条第1項「速やかに」（個人情報保護委員会ガイドライン（行政機関等編）：概ね3～5日以内、知った日を1日目とする）`,
  finalDays: 30,
  finalLongDays: 60,
  finalSource: `${APPI_RULES}第44条第2項、${MYNUMBER_RULES}第3条第2項（知った日を1日目とし、土日・祝日を含めて数える）`,
  closedDaysSource: '行政機関の休日に関する法律第1条第1項・第2条（土日・祝日・12月29日～1月3日に当たるときは、その翌日以降の最初の開庁日）',
  itemsSource: `${APPI_RULES}第44条第1項各号、${MYNUMBER_RULES}第3条第1項各号`,
};
