import type { DutyFrequency } from './calendar.js';
import type { Role } from './roles.js';

/**
 * What a rule kansa applies is about, so that every article a person sees comes from the
 * active regulation profile: a message cites `provisions.inspection`, never 「第27条」.
 *
 * A profile says, for each rule, either where its regulation says it (`regulation`, with the
 * article as the text writes it: 第27条, 第10の2, 第36条第3項) or that the rule is the
 * municipality's own practice (`practice`, 運用上のルール: settable per deployment, never cited
 * to an article). A rule the regulation does not have and the deployment does not practise is
 * absent, and then nothing is cited.
 */
export const provisionIds = [
  /** 監査 itself: who audits, how often (001 第26条第1項, 002 第10の1, 004 第42条; 003 has none). */
  'audit',
  /** Drafting a 監査計画 (001 第26条第2項; elsewhere the municipality's practice). */
  'auditPlan',
  /** Approval of the 監査計画 before the audit (001 第26条第2項; elsewhere practice). */
  'planApproval',
  /** The form a plan is printed on (001: 様式第4号, 第26条関係). */
  'planForm',
  /** Reporting the audit results to the chief (001 第26条第1項, 002 第10の1, 004 第42条). */
  'auditReport',
  /** Fixed scopes of the 監査補助者 (001 第7条の2第3項). */
  'auditScope',
  /** Reporting only once every finding is recorded and every 要改善 has an action: practice. */
  'reportGate',
  /** Closing only once every action is verified or its risk accepted: practice. */
  'closeGate',
  /** 評価及び見直し on the results of 監査 and 点検 (001 第28条, 002 第10の3, 004 第44条, 003 第30条). */
  'review',
  /** Escalating overdue follow-up actions daily: practice. */
  'overdueEscalation',
  /** The 点検 of each 課 (001 第27条, 002 第10の2, 004 第43条, 003 第30条). */
  'inspection',
  /** How often the 点検 runs (the texts say 定期的に: practice; 003 第30条: 少なくとも毎年1回). */
  'inspectionFrequency',
  /** Reporting a 点検's results to the chief 必要があると認めるとき (001 第27条, 002 第10の2, 004 第43条). */
  'inspectionReport',
  /** Choosing and contracting with a 委託先 (001 第22条, 002 第8の2, 004 第36条, 003 第26条). */
  'contractor',
  /** The yearly check of each 委託先 (001 第22条第4項, 002 第8の5, 004 第36条第3項). */
  'contractorCheck',
  /** 原則として実地検査 (001 第22条第4項, 004 第36条第3項; 002 asks only 定期的検査等). */
  'contractorOnSite',
  /** Checking 再委託先 through the 委託先 or directly (001 第22条第5項, 002 第8の7, 004 第36条第4項, 003 第26条第2項). */
  'subcontracting',
  /** Permission (許諾) before a 委託先 subcontracts (003 第26条第2項, 002 第8の8, 001 第22条第9項). */
  'subcontractPermission',
  /** Erasure and disposal of personal information and media (001 第18条, 002 第5の8, 004 第15条, 003 第35条). */
  'disposal',
  /** Keeping the record of each disposal (001 第18条第3項, 003 第35条第2項). */
  'disposalRecord',
  /** Outsourced disposal: 必要に応じて 立会い or a document with photos (001 第18条第4項, 002 第5の8, 004 第15条第2項). */
  'disposalWitness',
  /** When an outsourced disposal record counts as complete (practice; 003 第35条第2項: 証明書等). */
  'disposalCompleteness',
  /** Reporting a 事案 at once to the 課's manager (001 第23条第1項, 002 第9の1, 003 第24条第2項, 004 第39条第1項). */
  'incident',
  /** 被害の拡大防止又は復旧 (001 第23条第2項, 002 第9の2, 003 第29条第1号, 004 第39条第2項). */
  'incidentContainment',
  /** Investigating and reporting 経緯・被害状況 (001 第23条第3項, 002 第9の3, 003 第29条第2号, 004 第39条第3項). */
  'incidentInvestigation',
  /** 特に重大と認める事案, told at once (001・004 第23条/第39条第3項ただし書, 002 第9の3ただし書, 003 第24条第4項). */
  'incidentEscalation',
  /** Reporting to the 首長 (001 第23条第4項, 004 第39条第4項). */
  'incidentMayor',
  /** Cause analysis and 再発防止, shared with similar 課 (001 第23条第5項, 002 第9の4, 003 第29条第4号, 004 第39条第5項). */
  'incidentPrevention',
  /** The report to the 個人情報保護委員会 and notice to the people concerned (001 第24条, 002 第9の3, 003 第29条第5号・第7号, 004 第40条). */
  'ppcReport',
  /** Notice to the people concerned (001 第24条, 002 第9の7, 003 第29条第5号, 004 第40条). */
  'subjectNotice',
  /** 公表 (001 第25条第1項, 002 第9の7, 003 第29条第6号, 004 第41条第1項). */
  'incidentPublication',
  /** 情報提供 to the PPC where not required (001 第25条第2項, 004 第41条第2項). */
  'ppcInformation',
  /** Closing a 事案 once prevention (and the 確報) are recorded: practice. */
  'incidentClose',
  /** Designating the 事務取扱担当者 and their 事務 (001 第8条, 様式第1号・第2号; 002 第2の5; 003 第21条第1項 and its 別表). */
  'handlerDesignation',
  /** Training for every 職員 including 派遣 (001 第11条第1項, 004 第8条第1項). */
  'training',
  /** Training for the 事務取扱担当者 (001 第11条第2項, 002 第3の1, 003 第22条第2項第3号). */
  'handlerTraining',
  /** Training for those who administer information systems (001 第11条第3項, 002 第3の2, 004 第8条第2項). */
  'systemAdminTraining',
  /** Training for the 保護管理者 and 保護担当者 (001 第11条第4項, 002 第3の3, 004 第8条第3項). */
  'managerTraining',
  /** A 課's 保護管理者 gives its staff the chance to attend, and those who missed it another (001 第11条第5項 再受講; 002 第3の4, 004 第8条第4項). */
  'trainingFollowUp',
  /** The 年度's training plan (001 第11条第6項, 様式第3号; 003 第22条第2項第3号 企画). */
  'trainingPlan',
] as const;

export type ProvisionId = (typeof provisionIds)[number];

/** Where a rule comes from: the regulation's article, or the municipality's practice (運用). */
export type Provision =
  /**
   * `appliesTo`: the article reaches only so far: part of the work (001 第22条第9項: 個人番号利用事務等),
   * or one measure (002 第8の7: the 監督 of 第8の6, not the yearly check).
   */
  { basis: 'regulation'; article: string; form?: string; appliesTo?: string } | { basis: 'practice' };

export type Provisions = Partial<Record<ProvisionId, Provision>>;

/** How a practice is named wherever a regulation's rule would cite its article. */
export const practiceLabel = '運用上のルール';

/** What counts as proof that an outsourced disposal was done. */
export const disposalProofs = ['witnessOrPhoto', 'certificate'] as const;
export type DisposalProof = (typeof disposalProofs)[number];

/**
 * The municipality's practice (運用) where its regulation is silent or leaves a choice,
 * set per deployment (`PRACTICES_JSON`) over the profile's defaults.
 */
export interface Practices {
  /** Run 監査 with plans. 003 has no 監査: off unless a deployment turns it on. */
  audits: boolean;
  /** How often each 課's 点検 runs where the regulation says only 定期的に. */
  inspectionFrequency: DutyFrequency;
  /** What completes an outsourced disposal record. */
  disposalProof: DisposalProof;
}

/** What a message needs to speak in the active regulation's words. */
export interface Wording {
  roleTitles: Partial<Record<Role, string>>;
  provisions: Provisions;
  /** Who does each step of a 事案 (the profile's `IncidentChain`, lib/domain/incident.ts); without it nobody may. */
  incidents?: ChainRoles;
  /** The auditors who audit the staff register (the 事務取扱担当者) and read every 課's, with the chief and deputy. */
  staff?: { auditedBy: readonly Role[] };
  /** The auditors who audit training and read every 課's attendance, with the chief and deputy. */
  training?: { auditedBy: readonly Role[] };
}

/** Who may take one step, and the rule that gives it to them. */
export interface StepRule {
  roles: readonly Role[];
  provision: ProvisionId;
}

/** The roles of a 事案's chain, by step and by notice (lib/domain/incident.ts names them). */
export interface ChainRoles {
  edit: readonly Role[];
  /** The auditors who audit the rules on 事案, and so read every 課's 事案 (with the chief and deputy). */
  auditedBy: readonly Role[];
  steps: Readonly<Record<string, StepRule>>;
  notices: Readonly<Partial<Record<string, StepRule>>>;
}

/** 「第27条」, 「運用上のルール」, or '' when the regulation has no such rule. */
export function sourceOf(provisions: Provisions, id: ProvisionId): string {
  const p = provisions[id];
  if (!p) return '';
  return p.basis === 'regulation' ? p.article : practiceLabel;
}

/** 「（第27条）」 to append to a sentence, 「（運用上のルール）」, or '' when there is nothing to cite. */
export function cite(provisions: Provisions, id: ProvisionId): string {
  const s = sourceOf(provisions, id);
  return s ? `（${s}）` : '';
}

/** Whether the regulation itself (not practice) has the rule. */
export function inRegulation(provisions: Provisions, id: ProvisionId): boolean {
  return provisions[id]?.basis === 'regulation';
}

/** Whether the deployment runs 監査 with plans: its regulation's, or its practice (003 has none unless practised). */
export function holdsAudits(provisions: Provisions): boolean {
  return provisions.audit !== undefined;
}

/** Whether the regulation's article covers the whole of the rule (it has no `appliesTo` limiting its reach). */
export function coversAll(provisions: Provisions, id: ProvisionId): boolean {
  const p = provisions[id];
  return p?.basis === 'regulation' && p.appliesTo === undefined;
}

/** Whether the rule applies at all: the regulation's, or practised by the deployment. */
export function applies(provisions: Provisions, id: ProvisionId): boolean {
  return provisions[id] !== undefined;
}

/** The title of a role under the regulation, or undefined when the regulation has no such role. */
export function titleOf(wording: Pick<Wording, 'roleTitles'>, role: Role): string | undefined {
  return wording.roleTitles[role];
}
