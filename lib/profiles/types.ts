import type { Role } from '#lib/domain/roles.js';

/** A regulation profile: the regulation a deployment audits against, as data. */
export interface RegulationProfile {
  /** Seed id of the regulation text (001 Koriyama …). */
  id: string;
  /** The organisation that issued the regulation. */
  organisation: string;
  /** Title of the regulation: the default 適用基準 of a plan. */
  regulation: string;
  /** Version of the regulation text the profile was read from. */
  version: string;
  /** Japanese titles of the roles under this regulation. */
  roleTitles: Partial<Record<Role, string>>;
  /** Who drafts 監査計画 and who approves them, with the article that says so. */
  plans: { draftedBy: Role; approvedBy: Role; source: string };
}
