import { formatArticleRef } from '#lib/domain/articles.js';
import { applies, cite, sourceOf } from '#lib/domain/provisions.js';
import type { IncidentStep, NoticeKind } from '#lib/domain/incident.js';
import type { Role } from '#lib/domain/roles.js';
import { departmentRoles } from '#lib/domain/task.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import { roleLabel } from './labels.js';

/**
 * What the screens say about a rule, in the active profile's words: the article its
 * regulation cites it by, 運用上のルール where the rule is the municipality's practice, and
 * nothing where the regulation has no such rule (lib/domain/provisions.ts). No screen
 * writes an article number of its own.
 */
type Wording = Pick<RegulationProfile, 'provisions' | 'practices' | 'roleTitles' | 'articles' | 'referenceStyle'>;

/** Where the plans would have been, under a regulation without 監査: why there are none. */
export function noAuditsNote(profile: Pick<RegulationProfile, 'provisions'>): string {
  const inspection = applies(profile.provisions, 'inspection') ? `点検${cite(profile.provisions, 'inspection')}を行います。` : '';
  return `この規程には監査の定めがありません。${inspection}`;
}

/** The form a plan is printed on (001: 様式第4号), when the regulation prescribes one. */
export function planFormName(profile: Pick<RegulationProfile, 'provisions'>): string | undefined {
  const p = profile.provisions.planForm;
  return p?.basis === 'regulation' ? p.form : undefined;
}

/** After 「監査計画を起案」: the form the regulation prescribes, else where drafting a plan comes from. */
export function planFormCite(profile: Pick<RegulationProfile, 'provisions'>): string {
  const form = planFormName(profile);
  return form ? `（${form}）` : cite(profile.provisions, 'auditPlan');
}

/** Who approves a plan, and where the rule comes from. */
export function approvalHint(profile: Pick<RegulationProfile, 'provisions' | 'plans' | 'roleTitles'>): string {
  return `監査計画の承認は、${roleLabel(profile, profile.plans.approvedBy)}が行います${cite(profile.provisions, 'planApproval')}。`;
}

/** When the results may be reported (the server's report gate), or undefined when the rule does not apply. */
export function reportGateHint(profile: Pick<RegulationProfile, 'provisions'>): string | undefined {
  if (!applies(profile.provisions, 'reportGate')) return undefined;
  return `監査結果は、要改善・重大な不備の所見すべてに改善措置を登録してから報告できます${cite(profile.provisions, 'reportGate')}。`;
}

/** When a plan may be closed (the server's close gate), or undefined when the rule does not apply. */
export function closeGateHint(profile: Pick<RegulationProfile, 'provisions'>): string | undefined {
  if (!applies(profile.provisions, 'closeGate')) return undefined;
  return `すべての改善措置が確認済みまたはリスク受容になってから完了にできます${cite(profile.provisions, 'closeGate')}。`;
}

/**
 * What completes an outsourced disposal record, with where the rule comes from: under 001
 * 「委託した場合は、立会いか写真付きの証明書で完了とします（運用上のルール。第18条第4項）」, under
 * 003 the certificate of 第35条第2項. Undefined when the profile has no such rule.
 */
export function disposalProofHint(profile: Pick<Wording, 'provisions' | 'practices'>): string | undefined {
  const { provisions, practices } = profile;
  if (!applies(provisions, 'disposalCompleteness')) return undefined;
  const proof = practices.disposalProof === 'certificate' ? '証明書等' : '立会いか写真付きの証明書';
  const sources = [...new Set([sourceOf(provisions, 'disposalCompleteness'), sourceOf(provisions, 'disposalWitness')])].filter(Boolean);
  return `委託した場合は、${proof}で完了とします（${sources.join('。')}）`;
}

/**
 * An example for the article search: an article of the profile's own catalogue, as its
 * regulation writes it, and a word of its heading (001: 第17条の2、誤送付; 002: 第5の7、媒体).
 */
export function articleExample(profile: Pick<Wording, 'articles' | 'referenceStyle'>): string | undefined {
  const { articles } = profile;
  const entry =
    articles.find((a) => a.title.includes('誤送付')) ??
    articles.find((a) => a.title.includes('媒体')) ??
    articles.find((a) => a.branch !== undefined) ??
    articles[0];
  if (!entry) return undefined;
  const word = entry.title.split(/等|の|及び|、/)[0] || entry.title;
  return `${formatArticleRef(entry, profile.referenceStyle)}、${word}`;
}

/** The yearly check of a 委託先 is 原則として実地検査 (001 第22条第4項), or undefined when the regulation does not say so (002). */
export function onSiteHint(profile: Pick<RegulationProfile, 'provisions'>): string | undefined {
  if (!applies(profile.provisions, 'contractorOnSite')) return undefined;
  return `原則として実地検査により確認します${cite(profile.provisions, 'contractorOnSite')}`;
}

/** What the screens of a 事案 read of the profile: its rules, its role titles and its chain. */
type IncidentWording = Pick<RegulationProfile, 'provisions' | 'roleTitles' | 'incidents'>;

/** The steps of a 事案's chain as the screens name them (the forms' headings and the timeline's entries). */
export const incidentStepNames: Record<IncidentStep, string> = {
  contain: '被害拡大防止・復旧の措置',
  investigate: '調査の結果の報告',
  escalate: '特に重大な事案の報告',
  prevention: '再発防止策',
  ppcReport: '個人情報保護委員会への報告',
  close: '完了',
};

/** The titles of roles under the profile, joined with 「・」. */
function roleTitlesOf(profile: Pick<RegulationProfile, 'roleTitles'>, roles: readonly Role[]): string {
  return [...new Set(roles.map((r) => roleLabel(profile, r)))].join('・');
}

/** Under 「事案の報告」: whom the report goes to at once, and the rule (001: 保護管理者, 第23条第1項). */
export function incidentReportHint(profile: IncidentWording): string {
  return `事案の発生またはそのおそれを知ったときは、直ちに報告してください。課の${roleLabel(profile, profile.incidents.receivedBy)}に通知されます${cite(profile.provisions, 'incident')}。`;
}

/** The heading of a step: its name and the rule the profile says it under (001 contain: 被害拡大防止・復旧の措置（第23条第2項）). */
export function incidentStepTitle(profile: IncidentWording, step: IncidentStep): string {
  return `${incidentStepNames[step]}${cite(profile.provisions, profile.incidents.steps[step].provision)}`;
}

/** Who records a step under the profile: 「総括保護副管理者が記録します」; a 課's role says it is the 事案's 課's. */
export function incidentStepWho(profile: IncidentWording, step: IncidentStep): string {
  const roles = profile.incidents.steps[step].roles;
  const own = roles.filter((r) => departmentRoles.includes(r));
  const others = roles.filter((r) => !departmentRoles.includes(r));
  const who = [own.length > 0 ? `事案の課の${roleTitlesOf(profile, own)}` : '', roleTitlesOf(profile, others)].filter(Boolean).join('か');
  return who ? `${who}が記録します。` : 'この規程には、この手続の定めがありません。';
}

/** The notices the regulation has, in its profile's order (a kind it lacks is never offered). */
export function incidentNoticeKinds(profile: Pick<RegulationProfile, 'incidents'>): NoticeKind[] {
  return (Object.keys(profile.incidents.notices) as NoticeKind[]).filter((k) => profile.incidents.notices[k] !== undefined);
}

/** After a notice's name: the rule the profile says it under (001 subjects: （第24条）), or '' for a kind it lacks. */
export function incidentNoticeCite(profile: IncidentWording, kind: NoticeKind): string {
  const rule = profile.incidents.notices[kind];
  return rule ? cite(profile.provisions, rule.provision) : '';
}

/** Sharing the measures with other 課: who acknowledges them, and the rule (001 第23条第5項). */
export function incidentSharingHint(profile: IncidentWording): string {
  return `共有先の課の${roleLabel(profile, 'sectionManager')}が内容を確認します${cite(profile.provisions, 'incidentPrevention')}。`;
}

/** How the deadlines are counted, each with the law's source (the profile's clock). */
export function incidentClockNotes(profile: Pick<RegulationProfile, 'incidents'>): {
  preliminary: string;
  final: string;
  closedDays: string;
} {
  const { clock } = profile.incidents;
  return {
    preliminary: `速報: ${clock.preliminarySource}`,
    final: `確報: ${clock.finalSource}`,
    closedDays: `期限が休日に当たるとき: ${clock.closedDaysSource}`,
  };
}
