import type { IncidentReport, IncidentReviewList } from '#lib/app/reports.js';
import { fiscalYearLabel, jstDate, jstDateTime, warekiDate } from '#lib/domain/calendar.js';
import {
  type Incident,
  type NoticeKind,
  type PpcStage,
  type Stamp,
  incidentCategoryLabels,
  incidentStatusLabels,
  learnedOn,
  noticeKindLabels,
  ppcStageLabels,
} from '#lib/domain/incident.js';
import { departmentName } from '#lib/domain/organisation.js';
import { type ProvisionId, cite } from '#lib/domain/provisions.js';
import { type Row, dateLabel } from './model.js';

/**
 * One 事案 laid out with the items of the PPC's 漏えい等報告 (the 規則 the profile's clock
 * cites as `itemsSource`: 概要 … その他参考となる事項), so the 総括保護副管理者 can copy each
 * item into the PPC's form; and a 年度's 事案 one per line, for the 評価及び見直し.
 */

/** 「2026-12-01 10:30（令和8年12月1日）」: an instant in Japan time, with its 和暦 day. */
const instantLabel = (iso: string) => {
  const at = new Date(iso);
  return `${jstDateTime(at)}（${warekiDate(jstDate(at))}）`;
};

/** Who recorded a step and on which day, as the plan's form shows its approver: 「lead-1（2026-12-01）」. */
const recorded = (s: Stamp) => `記録 ${s.by}（${jstDate(new Date(s.at))}）`;

const lines = (...parts: (string | undefined | false)[]) => parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n');

const notRecorded = '（未記録）';

/** The heading of the report: 「個人情報保護委員会への漏えい等報告の記載事項（施行規則第44条第1項各号、…）」. */
export function incidentFormLabel(r: Pick<IncidentReport, 'profile'>): string {
  return `個人情報保護委員会への漏えい等報告の記載事項（${r.profile.incidents.clock.itemsSource}）`;
}

/** 「本人の数」: a number of people, or 不明 while unknown. */
export function subjectsLabel(subjects: number | null): string {
  return subjects === null ? '不明' : `${subjects.toLocaleString('ja-JP')}人`;
}

/** The facts the assessment read, in Japanese. */
function factLines(i: Incident): string {
  const r = i.records;
  const yes = (b: boolean, on: string, off: string) => (b ? on : off);
  return lines(
    `要配慮個人情報: ${yes(r.sensitive, '含む', '含まない')}`,
    `財産的被害が生じるおそれ: ${yes(r.financialHarm, 'あり', 'なし')}`,
    `不正の目的をもって行われたおそれ: ${yes(r.wrongfulPurpose, 'あり', 'なし')}`,
    `特定個人情報: ${yes(r.myNumber, '含む', '含まない')}`,
    r.myNumber && `情報提供ネットワークシステム等で管理: ${yes(r.inSystem, '該当', '非該当')}`,
    r.myNumber && `不特定多数の者による閲覧: ${yes(r.publiclyViewable, 'あり', 'なし')}`,
    r.myNumber && r.publiclyViewable && `実際の閲覧: ${yes(r.viewed ?? false, 'あり', 'なし')}`,
    `高度な暗号化等の措置: ${yes(r.encrypted, 'あり', 'なし')}`,
  );
}

/** 速報 or 確報: when it was filed and its 受付番号, or its deadline while it is not. */
function ppcStageLine(i: Incident, stage: PpcStage): string {
  const filed = i.ppcReports[stage];
  const deadline = i.assessment.deadlines[stage];
  const due = deadline ? `期限 ${dateLabel(deadline)}` : '';
  if (filed)
    return lines(`報告 ${instantLabel(filed.submittedAt)}`, filed.reference && `受付番号 ${filed.reference}`, due, recorded(filed));
  if (stage === 'preliminary' && i.ppcReports.final) return lines('確報をもって報告', due);
  if (deadline) return lines(`未報告（${due}）`);
  return '報告を要しない';
}

/** A notice: when it was given, with its note, or 未実施. */
function noticeLine(i: Incident, kind: NoticeKind, pending = '未実施'): string {
  const n = i.notices[kind];
  return n ? lines(`実施 ${instantLabel(n.at)}`, n.note, recorded(n)) : pending;
}

/** 「（第23条第2項）」 after a label, from the active profile. */
const citing = (r: IncidentReport, label: string, id: ProvisionId) => `\u3000${label}${cite(r.profile.provisions, id)}`;

/** The 事案 in the order of the PPC's 漏えい等報告: (1) 概要 … (9) その他参考となる事項. */
export function incidentRows(r: IncidentReport): Row[] {
  const i = r.incident;
  const chain = r.profile.incidents;
  const titles = r.profile.roleTitles;
  const dept = (code: string) => departmentName(r.organisation, code);
  const a = i.assessment;
  const causes = [...new Set([i.investigation?.cause, i.prevention?.cause].filter((c): c is string => c !== undefined))];
  const sharing = i.sharing.map(
    (s) =>
      `${dept(s.department)}: ${s.acknowledgedAt ? `確認済み ${s.acknowledgedBy ?? ''}（${jstDate(new Date(s.acknowledgedAt))}）` : '未確認'}`,
  );
  const rows: Row[] = [
    ['事案ID', i.incidentId],
    ['状況', `${incidentStatusLabels[i.status]}（版 ${i.version}）`],
    ['(1) 概要', i.summary],
    ['\u3000事態の区分', incidentCategoryLabels[i.category]],
    ['\u3000発覚日時', instantLabel(i.discoveredAt)],
    ['\u3000事態を知った日', `${dateLabel(learnedOn(i.discoveredAt))}（期限の1日目）`],
    ['\u3000所管課', dept(i.department)],
    ['\u3000委託先', r.contractor?.name ?? (i.contractorId ? `委託先ID ${i.contractorId}` : 'なし')],
    ['\u3000報告者', `${i.createdBy}（${jstDate(new Date(i.createdAt))}）`],
    ['\u3000経緯・被害状況（調査の結果）', i.investigation ? lines(i.investigation.findings, recorded(i.investigation)) : notRecorded],
    ['(2) 漏えい等が発生し、又は発生したおそれがある保有個人情報の項目', i.records.items.join('、')],
    ['(3) 漏えい等が発生し、又は発生したおそれがある保有個人情報に係る本人の数', subjectsLabel(i.records.subjects)],
    ['(4) 原因', causes.length > 0 ? causes.join('\n') : notRecorded],
    ['(5) 二次被害又はそのおそれの有無及びその内容', i.investigation?.secondaryHarm ?? notRecorded],
    ['(6) 本人への対応の実施状況', noticeLine(i, 'subjects', a.notifySubjects ? '未実施（本人への通知を要する事案）' : '未実施')],
    ['(7) 公表の実施状況', noticeLine(i, 'publication')],
    [
      '(8) 再発防止のための措置',
      i.prevention
        ? lines(
            i.prevention.measures,
            recorded(i.prevention),
            sharing.length > 0 && `共有先${cite(r.profile.provisions, 'incidentPrevention')}\n${sharing.join('\n')}`,
          )
        : notRecorded,
    ],
    ['(9) その他参考となる事項', ''],
    [
      citing(r, '個人情報保護委員会への報告の要否', 'ppcReport'),
      a.reportToPPC ? lines('要', ...a.reasons.map((reason) => `・${reason}`)) : '否（報告を要する事態に該当しない）',
    ],
    ['\u3000本人への通知の要否', a.notifySubjects ? '要（上記の事態に該当）' : '法令上は要しない'],
    ['\u3000判断に用いた事実', factLines(i)],
    [`\u3000${ppcStageLabels.preliminary}`, ppcStageLine(i, 'preliminary')],
    [`\u3000${ppcStageLabels.final}`, ppcStageLine(i, 'final')],
  ];
  if (a.deadlines.preliminary || a.deadlines.final)
    rows.push(['\u3000期限の根拠', lines(chain.clock.preliminarySource, chain.clock.finalSource, chain.clock.closedDaysSource)]);
  rows.push([
    citing(r, '被害拡大防止の措置', 'incidentContainment'),
    i.containment ? lines(i.containment.measures, recorded(i.containment)) : notRecorded,
  ]);
  const escalateTo = titles[chain.escalateTo] ?? chain.escalateTo;
  rows.push([
    citing(r, `特に重大な事案としての${escalateTo}への報告`, 'incidentEscalation'),
    i.escalation ? lines(i.escalation.reason, recorded(i.escalation)) : 'なし',
  ]);
  // The notices the regulation has beyond (6) and (7): 首長への報告, 情報提供 (001 第23条第4項, 第25条第2項).
  const provisionOf: Record<'mayor' | 'ppcInformation', ProvisionId> = { mayor: 'incidentMayor', ppcInformation: 'ppcInformation' };
  for (const kind of ['mayor', 'ppcInformation'] as const)
    if (chain.notices[kind]) rows.push([citing(r, noticeKindLabels[kind], provisionOf[kind]), noticeLine(i, kind)]);
  if (i.closure) rows.push([citing(r, '完了', 'incidentClose'), lines(i.closure.comment, recorded(i.closure))]);
  return rows;
}

/** One 事案 of the 年度 list. */
export interface IncidentLine {
  discoveredOn: string;
  department: string;
  summary: string;
  category: string;
  subjects: string;
  reportToPPC: string;
  preliminary: string;
  final: string;
  status: string;
  closedOn: string;
}

export const incidentColumns: readonly [keyof IncidentLine, string][] = [
  ['discoveredOn', '発覚日'],
  ['department', '課'],
  ['summary', '概要'],
  ['category', '区分'],
  ['subjects', '本人の数'],
  ['reportToPPC', 'PPC報告の要否'],
  ['preliminary', '速報'],
  ['final', '確報'],
  ['status', '状況'],
  ['closedOn', '完了日'],
];

/** A 速報 or 確報 in one cell: the day it was filed, or its deadline while it is not. */
function stageCell(i: Incident, stage: PpcStage): string {
  const filed = i.ppcReports[stage];
  if (filed) return `${jstDate(new Date(filed.submittedAt))} 報告`;
  if (stage === 'preliminary' && i.ppcReports.final) return '確報をもって報告';
  const deadline = i.assessment.deadlines[stage];
  return deadline ? `期限 ${deadline}（未報告）` : '—';
}

/** The 年度's 事案, oldest discovery first. */
export function incidentLines(r: IncidentReviewList): IncidentLine[] {
  return [...r.incidents]
    .sort((a, b) => a.discoveredAt.localeCompare(b.discoveredAt) || a.incidentId.localeCompare(b.incidentId))
    .map((i) => ({
      discoveredOn: learnedOn(i.discoveredAt),
      department: departmentName(r.organisation, i.department),
      summary: i.summary,
      category: incidentCategoryLabels[i.category],
      subjects: subjectsLabel(i.records.subjects),
      reportToPPC: i.assessment.reportToPPC ? '要' : '否',
      preliminary: stageCell(i, 'preliminary'),
      final: stageCell(i, 'final'),
      status: incidentStatusLabels[i.status],
      closedOn: i.closure ? jstDate(new Date(i.closure.at)) : '',
    }));
}

/** 「2026年度（令和8年度） 事案一覧」. */
export function reviewListTitle(r: Pick<IncidentReviewList, 'fiscalYear'>): string {
  return `${fiscalYearLabel(r.fiscalYear)}\u3000事案一覧`;
}

/** 「評価及び見直しの資料（第28条）」: what the list is for, on what authority; '' where the regulation has no review. */
export function reviewListPurpose(r: Pick<IncidentReviewList, 'profile'>): string {
  const source = cite(r.profile.provisions, 'review');
  return source ? `評価及び見直しの資料${source}` : '';
}

/** 「件数 3件（うち個人情報保護委員会への報告を要するもの 1件、未完了 1件）」. */
export function reviewListCounts(r: Pick<IncidentReviewList, 'incidents'>): string {
  const required = r.incidents.filter((i) => i.assessment.reportToPPC).length;
  const open = r.incidents.filter((i) => i.status !== 'closed').length;
  return `件数 ${r.incidents.length}件（うち個人情報保護委員会への報告を要するもの ${required}件、未完了 ${open}件）`;
}
