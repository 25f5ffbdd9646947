import type { ReferenceStyle } from '#lib/domain/articles.js';
import type { DutyFrequency } from '#lib/domain/calendar.js';
import type { IncidentChain } from '#lib/domain/incident.js';
import type { AffairRow } from '#lib/domain/inspection.js';
import type { practiceLabel, Practices, Provisions } from '#lib/domain/provisions.js';
import type { ArticleEntry, AuditorScope } from '#lib/domain/scopes.js';

export type { ArticleEntry, AuditorScope, ScopeId, ScopeRule } from '#lib/domain/scopes.js';
import type { Role } from '#lib/domain/roles.js';

/** The periodic duties a regulation imposes (a profile's `duties`). */
export type RegulationDutyId =
  'annual-plan' | 'section-inspection' | 'contractor-check' | 'overdue-actions' | 'incident-deadlines' | 'training-followup';

/** The periodic duties kansa runs for its own practice under every profile (lib/profiles/system-duties.ts). */
export type SystemDutyId = 'evidence-pending' | 'audit-anchor';

/** Every periodic duty: the regulation's and kansa's own. */
export type DutyId = RegulationDutyId | SystemDutyId;

/** A periodic duty the regulation imposes (the schedule itself is in the jobs table). */
export interface DutyDefinition {
  duty: RegulationDutyId;
  enabled: boolean;
  /** Article it comes from (e.g. 第27条), or 運用上のルール when the duty is the municipality's practice. */
  source: string;
  frequency: DutyFrequency;
  /** Who must act. */
  assignee: Role;
  /** For 点検: the items to check, as the regulation names them. */
  checklist?: string[];
}

/**
 * A periodic duty kansa runs under every profile for its own practice (運用), not because
 * a regulation says so: it is never cited to an article and no profile can disable it.
 * Its work decides whom its tasks go to (e.g. the uploader of evidence), so it names no role.
 */
export interface SystemDutyDefinition {
  duty: SystemDutyId;
  enabled: true;
  /** Always 運用上のルール (kansa's practice), where a regulation's duty cites its article. */
  source: typeof practiceLabel;
  frequency: DutyDefinition['frequency'];
  /** What it does, in Japanese (schedule descriptions). */
  purpose: string;
}

/** A regulation profile: the regulation a deployment audits against, as data. */
export interface RegulationProfile {
  /** Seed id of the regulation text (001 Koriyama …). */
  id: string;
  /** The organisation that issued the regulation. */
  organisation: string;
  /** Title of the regulation: the default 適用基準 of a plan. */
  regulation: string;
  /** Version of the regulation text the profile was read from (its file name). */
  version: string;
  referenceStyle: ReferenceStyle;
  /** Japanese titles of the roles under this regulation; a role it does not have is absent. */
  roleTitles: Partial<Record<Role, string>>;
  /**
   * Who drafts 監査計画, who approves them and who receives the report (where each comes
   * from: `provisions.auditPlan`, `planApproval`, `auditReport`).
   */
  plans: { draftedBy: Role; approvedBy: Role; reportedTo: Role };
  /** Where each rule kansa applies comes from: the regulation's article, or practice (運用). */
  provisions: Provisions;
  /** The municipality's practice where the regulation is silent: the profile's defaults, overridable per deployment. */
  practices: Practices;
  /** Every article (or item) of the regulation, in order. */
  articles: ArticleEntry[];
  /** Assistant auditors and their fixed scopes; articles in none of them are the 監査責任者's. */
  auditorScopes: AuditorScope[];
  duties: DutyDefinition[];
  /**
   * How the regulation has its 点検 done, where it differs from each 課's own (001 第27条):
   * `jointWith` conducts it with the 課's assignee and records the 見直し that completes it
   * (003 第30条: 総括責任者及び事務取扱責任者); `affairs` is its table of 事務 (003 別表), whose
   * 事務取扱責任者 decide which 課 are inspected.
   */
  inspections?: { jointWith?: Role; affairs?: AffairRow[] };
  /** Who does each step of a 事案 (001 第23条–第25条), and the 事態 reported to the PPC with their clock. */
  incidents: IncidentChain;
  /**
   * The staff register (lib/domain/staff.ts): what the regulation calls the staff it designates
   * (`handlerTerm`, absent when it designates none: 004), the forms it designates them on (001:
   * 様式第1号 by person, 様式第2号 by 課), and the auditors who audit the designation.
   */
  staff: { handlerTerm?: string; forms?: { byPerson: string; bySection: string }; auditedBy: Role[] };
  /**
   * Training (lib/domain/training.ts): the form of the 年度's plan (001: 様式第3号) and the auditors
   * who audit training. Which audiences a session may have is which of their provisions the profile has.
   * `followUpTerm` is what the 課 owes those who missed a session, in the words of the rule it cites
   * (001 第11条第5項: 再受講の機会の付与; 002 第3の4 and 004 第8条第4項: 教育研修への参加の機会の付与).
   */
  training: { form?: string; followUpTerm: string; auditedBy: Role[] };
}
