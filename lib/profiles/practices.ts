import * as z from '#lib/domain/zod.js';
import { disposalProofs, type Practices, practiceLabel, type Provisions } from '#lib/domain/provisions.js';
import { getProfile } from './index.js';
import type { DutyDefinition, RegulationProfile } from './types.js';

/**
 * A deployment's practice (運用) over its profile's defaults (`PRACTICES_JSON`). Only what the
 * regulation leaves open can be set: a deployment cannot turn off an audit its regulation
 * requires, nor change a proof the regulation fixes; it may inspect more often than a
 * regulation's minimum.
 */
export const practicesSchema = z.strictObject({
  audits: z.optional(z.boolean()),
  inspectionFrequency: z.optional(z.enum(['quarterly', 'yearly'])),
  disposalProof: z.optional(z.enum(disposalProofs)),
});

export type PracticeOverrides = z.infer<typeof practicesSchema>;

/** The provisions a deployment that audits as its practice adds where the regulation has no 監査. */
const auditPractice: Provisions = {
  audit: { basis: 'practice' },
  auditPlan: { basis: 'practice' },
  planApproval: { basis: 'practice' },
  auditReport: { basis: 'practice' },
  reportGate: { basis: 'practice' },
  closeGate: { basis: 'practice' },
};

function refuse(profile: RegulationProfile, what: string): never {
  throw new Error(`PRACTICES_JSON: ${profile.organisation}の規程は${what}を定めているため、運用で変更できません。`);
}

/** `profile` as a deployment practises it; throws (at cold start) on a setting the regulation fixes. */
export function withPractices(profile: RegulationProfile, overrides: PracticeOverrides): RegulationProfile {
  const practices: Practices = { ...profile.practices, ...overrides };
  const p = profile.provisions;
  if (practices.audits !== profile.practices.audits && p.audit?.basis === 'regulation') refuse(profile, '監査');
  if (practices.disposalProof !== profile.practices.disposalProof && p.disposalCompleteness?.basis === 'regulation')
    refuse(profile, '委託による消去・廃棄の確認方法');

  // A regulation that sets the 点検's interval sets a floor (003 第30条: 少なくとも毎年1回), which
  // both settable intervals meet: a deployment inspecting more often does so as its practice.
  const moreOften =
    practices.inspectionFrequency !== profile.practices.inspectionFrequency && p.inspectionFrequency?.basis === 'regulation';
  const provisions: Provisions = {
    ...(practices.audits && !p.audit ? auditPractice : {}),
    ...p,
    ...(moreOften ? { inspectionFrequency: { basis: 'practice' } } : {}),
  };
  const duties = profile.duties.map((d): DutyDefinition => {
    if (d.duty === 'annual-plan' && !p.audit) return { ...d, enabled: practices.audits, source: practiceLabel };
    // Overdue follow-ups are the 監査's: none to escalate where the deployment does not audit.
    if (d.duty === 'overdue-actions' && !p.audit) return { ...d, enabled: practices.audits };
    if (d.duty === 'section-inspection') return { ...d, frequency: practices.inspectionFrequency };
    return d;
  });
  const roleTitles =
    practices.audits && !p.audit && !profile.roleTitles.auditLead ? { ...profile.roleTitles, auditLead: '監査責任者' } : profile.roleTitles;
  return { ...profile, practices, provisions, duties, roleTitles };
}

/** Profile `id` as a deployment practises it (PROFILE_ID and PRACTICES_JSON, or the CDK context). */
export function practisedProfile(id: string, overrides: PracticeOverrides = {}): RegulationProfile {
  return withPractices(getProfile(id), overrides);
}
