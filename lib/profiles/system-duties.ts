import { applies, practiceLabel, sourceOf } from '#lib/domain/provisions.js';
import type { DutyDefinition, DutyId, RegulationProfile, SystemDutyDefinition, SystemDutyId } from './types.js';

/**
 * THE table of system duties: periodic duties every profile has, from kansa's own
 * practice (運用), not from the regulation. One row per duty; the jobs schedule table
 * (lib/jobs/schedule.ts) gives each its time of day and the work table
 * (lib/app/duty-work.ts) its work, as for the profile's duties.
 */

/** The source a system duty shows where a regulation's duty cites its article: 運用上のルール. */
export const systemDutySource = practiceLabel;

export const systemDuties: readonly SystemDutyDefinition[] = [
  {
    // An upload whose S3 notification was lost (the verifier failed past its retries)
    // would stay 検証待ち forever: check it again, or tell its uploader it never arrived.
    duty: 'evidence-pending',
    enabled: true,
    source: systemDutySource,
    frequency: 'daily',
    purpose: '検証待ちのまま1時間を過ぎた証跡の再検証',
  },
  {
    // Whoever can write the table could rewrite an entity, its events and its head
    // consistently: the heads of the chains that changed the day before go to the
    // Object-Locked evidence bucket, where GET /audit-log/verify holds each chain to them.
    duty: 'audit-anchor',
    enabled: true,
    source: systemDutySource,
    frequency: 'daily',
    purpose: '前日に変更された監査証跡の末尾（ハッシュ）を証跡バケットに保管',
  },
];

/** A duty's definition as a run sees it: the profile's, or a system duty's. */
export type AnyDutyDefinition = DutyDefinition | SystemDutyDefinition;

/** The definition a duty has: a system duty's, or the profile's. */
export type DefinitionOf<D extends DutyId> = D extends SystemDutyId ? SystemDutyDefinition : DutyDefinition;

export function isSystemDuty(d: AnyDutyDefinition): d is SystemDutyDefinition {
  return systemDuties.some((s) => s.duty === d.duty);
}

/**
 * The daily check of the deadlines of the reports to the PPC (`incident-deadlines`): every
 * profile has it, since every regulation's chain files them (the law's 速報 and 確報). It is
 * read off the profile's chain, not written again beside it: its source is the provision of
 * the report (`provisions.ppcReport`, e.g. 001 第24条) and its assignee the first role that
 * files it (the tasks go to every role of `incidents.steps.ppcReport`, the escalation to the
 * 総括保護管理者 or the profile's chief).
 */
export function incidentDeadlinesDuty(profile: RegulationProfile): DutyDefinition {
  const [filer = 'chiefManager'] = profile.incidents.steps.ppcReport.roles;
  return {
    duty: 'incident-deadlines',
    enabled: true,
    source: sourceOf(profile.provisions, 'ppcReport'),
    frequency: 'daily',
    assignee: filer,
  };
}

/**
 * The daily 再受講 check (`training-followup`): once a session's 実施時期 has ended, each 課's
 * 保護管理者 gets a task naming those of its audience who missed it, to give them another chance
 * (001 第11条第5項, 002 第3の4, 004 第8条第4項; 003's text asks nothing of them: its practice).
 * Read off the profile's provision `trainingFollowUp`: enabled where the profile has it, cited
 * to it; the assignee is the 課's 保護管理者, whom every text names for it.
 */
export function trainingFollowUpDuty(profile: RegulationProfile): DutyDefinition {
  return {
    duty: 'training-followup',
    enabled: applies(profile.provisions, 'trainingFollowUp'),
    source: sourceOf(profile.provisions, 'trainingFollowUp'),
    frequency: 'daily',
    assignee: 'sectionManager',
  };
}

/**
 * Every duty a deployment of `profile` runs: the regulation's (enabled or not), the reports'
 * deadlines, the training's 再受講, then the system duties.
 */
export function dutiesOf(profile: RegulationProfile): AnyDutyDefinition[] {
  return [...profile.duties, incidentDeadlinesDuty(profile), trainingFollowUpDuty(profile), ...systemDuties];
}

/** The definition of one duty under `profile`, or undefined when neither has it. */
export function dutyDefinition(profile: RegulationProfile, duty: DutyId): AnyDutyDefinition | undefined {
  return dutiesOf(profile).find((d) => d.duty === duty);
}
