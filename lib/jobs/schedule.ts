import type { FunctionSpec } from '#lib/functions.js';
import type { RegulationProfile } from '#lib/profiles/index.js';
import { dutiesOf } from '#lib/profiles/system-duties.js';
import type { DutyId } from '#lib/profiles/types.js';
import type { DutyFrequency } from '#lib/domain/calendar.js';
import { practiceLabel } from '#lib/domain/provisions.js';

/**
 * THE schedule table of the periodic duties. CDK makes one EventBridge Scheduler
 * schedule per row, `npm start` runs the same rows with croner, and both fire the
 * same handler (functions/jobs/run-duty.ts) with the instant the schedule meant.
 *
 * Which duties exist, how often and on what authority comes from the active profile's
 * `duties`, followed by the system duties every profile has (lib/profiles/system-duties.ts,
 * source 運用); only the time of day is ours. Every duty fires a few minutes after
 * midnight Japan time, one after the other, so that on 1 April the year's plan task is
 * made before the day's overdue check, and no two runs of the function overlap.
 */

/** Every schedule runs in Japan time (UTC+9, no DST). */
export const scheduleTimeZone = 'Asia/Tokyo';

/** The time of day (Japan) at which each duty fires. */
export const dutyTimes: Record<DutyId, { hour: number; minute: number }> = {
  'annual-plan': { hour: 0, minute: 5 },
  'section-inspection': { hour: 0, minute: 10 },
  'contractor-check': { hour: 0, minute: 15 },
  'overdue-actions': { hour: 0, minute: 20 },
  'incident-deadlines': { hour: 0, minute: 25 },
  'training-followup': { hour: 0, minute: 35 },
  'evidence-pending': { hour: 0, minute: 30 },
  'audit-anchor': { hour: 0, minute: 40 },
};

/**
 * The calendar part of each frequency: yearly on 1 April (年度 start), quarterly on the
 * first day of each fiscal quarter (April, July, October, January), daily every day.
 */
const calendarOf: Record<DutyFrequency, { dayOfMonth: string; month: string }> = {
  yearly: { dayOfMonth: '1', month: '4' },
  quarterly: { dayOfMonth: '1', month: '1,4,7,10' },
  daily: { dayOfMonth: '*', month: '*' },
};

/** One row of the schedule table. */
export interface DutySchedule {
  duty: DutyId;
  frequency: DutyFrequency;
  /** The article the duty comes from, as the profile cites it; 運用 for a system duty. */
  source: string;
  timeZone: typeof scheduleTimeZone;
  /** EventBridge Scheduler form: `cron(minutes hours day-of-month month day-of-week year)`. */
  eventBridge: string;
  /** The five-field form croner reads: `minutes hours day-of-month month day-of-week`. */
  croner: string;
  /** A Japanese line for schedule descriptions and logs. */
  description: string;
}

const frequencyLabel: Record<DutyFrequency, string> = {
  yearly: '毎年4月1日',
  quarterly: '四半期ごと（4・7・10・1月の1日）',
  daily: '毎日',
};

/** What a duty does; in the profile's words where its rule words it (the follow-up of a session: `training.followUpTerm`). */
const dutyLabel: Record<DutyId, string | ((profile: RegulationProfile) => string)> = {
  'annual-plan': '年間監査計画の作成依頼',
  'section-inspection': '課ごとの点検',
  'contractor-check': '委託先の確認',
  'overdue-actions': '改善措置の期限確認',
  'incident-deadlines': '事案の個人情報保護委員会への報告期限の確認',
  'training-followup': (profile) => `研修の未受講者への${profile.training.followUpTerm}`,
  'evidence-pending': '未検証の証跡の再確認',
  'audit-anchor': '監査証跡のアンカーの外部保管',
};

/**
 * When the 点検 runs, and, where its interval is the municipality's practice (the texts say
 * 定期的に), that it is: 「四半期ごと（4・7・10・1月の1日、運用上のルール）」.
 */
function whenLabel(profile: RegulationProfile, duty: DutyId, frequency: DutyFrequency): string {
  const label = frequencyLabel[frequency];
  if (duty !== 'section-inspection' || profile.provisions.inspectionFrequency?.basis !== 'practice') return label;
  return label.endsWith('）') ? `${label.slice(0, -1)}、${practiceLabel}）` : `${label}（${practiceLabel}）`;
}

/** Both cron forms from the one definition of a duty's time, so they cannot disagree. */
export function cronExpressions(duty: DutyId, frequency: DutyFrequency): { eventBridge: string; croner: string } {
  const { hour, minute } = dutyTimes[duty];
  const { dayOfMonth, month } = calendarOf[frequency];
  // EventBridge wants `?` in day-of-week when day-of-month is given, and a year field.
  return { eventBridge: `cron(${minute} ${hour} ${dayOfMonth} ${month} ? *)`, croner: `${minute} ${hour} ${dayOfMonth} ${month} *` };
}

/** The schedule table of a profile: one row per enabled duty, then the system duties; a disabled duty has no schedule. */
export function dutySchedules(profile: RegulationProfile): DutySchedule[] {
  return dutiesOf(profile)
    .filter((d) => d.enabled)
    .map((d) => {
      const { hour, minute } = dutyTimes[d.duty];
      const label = dutyLabel[d.duty];
      const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
      return {
        duty: d.duty,
        frequency: d.frequency,
        source: d.source,
        timeZone: scheduleTimeZone,
        ...cronExpressions(d.duty, d.frequency),
        description: `${typeof label === 'string' ? label : label(profile)}（${d.source}）: ${whenLabel(profile, d.duty, d.frequency)} ${time} 日本時間`,
      };
    });
}

/**
 * The jobs function: one function runs every duty; it writes tasks and run records. It
 * verifies evidence uploads like the S3 verifier (`evidence-pending` re-checks those
 * still pending), so it has the verifier's access to the evidence bucket; and it writes
 * the audit trail's anchors (`audit-anchor`): PutObject under `anchors/`, nothing more.
 */
export const jobFunctionSpec = {
  entry: 'functions/jobs/run-duty.ts',
  table: 'readWrite',
  bucket: ['verify', 'anchorWrite'],
  description: '定期業務（年間監査計画・点検・委託先確認・改善措置の期限・事案の報告期限・研修の再受講・未検証の証跡・監査証跡のアンカー）',
} as const satisfies FunctionSpec;
