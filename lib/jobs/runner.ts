import type { DutyResult } from '#lib/app/duty-units.js';
import { dutyWork } from '#lib/app/duty-work.js';
import type { Deps } from '#lib/app/ports.js';
import { InvalidInput } from '#lib/domain/errors.js';
import * as z from '#lib/domain/zod.js';
import { logger } from '#lib/logger.js';
import { dutyDefinition } from '#lib/profiles/system-duties.js';
import type { DutyId } from '#lib/profiles/types.js';
import { dutyPeriod } from '#lib/domain/calendar.js';

/** The counts a run reports, as {@link DutyResult} has them. */
export type DutyCounts = Pick<DutyResult, 'created' | 'alreadyDone' | 'skipped'>;

/** The record of the runs of one duty for one period, keyed (duty, period). */
export interface RunRecord {
  duty: DutyId;
  period: string;
  status: 'running' | 'done';
  /** How many deliveries started work for this period (retries, concurrent deliveries). */
  attempts: number;
  startedAt: string;
  finishedAt?: string;
  /** The logical instant of the first delivery. */
  instant: string;
  /** Units created by all runs together (each unit is created once, so this is the period's total). */
  created?: number;
  /** The counts of the run that marked it done. */
  lastRun?: DutyCounts;
}

/** Where run records live (lib/store/run-store.ts). */
export interface RunLedger {
  /** One strongly consistent read. */
  get(duty: DutyId, period: string): Promise<RunRecord | undefined>;
  /**
   * Marks the period `running` (creating the record, or counting one more attempt)
   * unless it is already `done`; false when it is done.
   */
  start(duty: DutyId, period: string, run: { instant: string; at: string }): Promise<boolean>;
  /** Marks the period `done` with this run's counts. */
  finish(duty: DutyId, period: string, counts: DutyCounts, at: string): Promise<void>;
}

/** What a run needs: the use cases' dependencies (the event bus among them) and the run records. */
export interface JobRuntime {
  deps: Deps;
  runs: RunLedger;
}

/** Every duty a delivery may name: the regulation's, then the system duties (lib/profiles/system-duties.ts). */
export const dutyIds = [
  'annual-plan',
  'section-inspection',
  'contractor-check',
  'overdue-actions',
  'incident-deadlines',
  'training-followup',
  'evidence-pending',
  'audit-anchor',
] as const satisfies readonly DutyId[];

/**
 * The payload of a scheduled delivery: EventBridge Scheduler sends
 * `{ "duty": "<id>", "instant": "<aws.scheduler.scheduled-time>" }`, so a retried
 * delivery carries the same logical instant as the first.
 */
export const dutyRunInput = z.object({
  duty: z.enum(dutyIds, { error: () => `定期業務は ${dutyIds.join('、')} のいずれかです。` }),
  instant: z.iso.datetime({ offset: true, error: () => '日時は ISO 8601 形式（例: 2027-04-01T00:00:00+09:00）で指定してください。' }),
});

/** What a run did, as logged and returned to the caller. */
export interface DutyRunSummary {
  duty: DutyId;
  /** Absent when the duty is disabled (no period is computed). */
  period?: string;
  instant: string;
  outcome: 'completed' | 'alreadyDone' | 'disabled';
  created: number;
  alreadyDone: number;
  skipped: number;
  /** Events put on the bus, and those that could not be (0 in a summary: such a run throws {@link EventsUnpublished}). */
  published: number;
  unpublished: number;
  /** Of `published`: events of units an earlier, unfinished delivery committed (at-least-once). */
  republished?: number;
  /** What the run measured (the handler publishes them as CloudWatch metrics). */
  metrics?: DutyResult['metrics'];
}

/**
 * Some events of a run could not be put on the bus (after the publisher's own retry):
 * the run record stays `running` and the delivery fails, so the schedule delivers it
 * again and that resumed run publishes them from the claims' outbox.
 */
export class EventsUnpublished extends Error {
  constructor(
    readonly duty: DutyId,
    readonly period: string,
    readonly failed: number,
  ) {
    super(`${duty} (${period}): ${failed} events could not be published; the period is left running for the next delivery`);
    this.name = 'EventsUnpublished';
  }
}

function parseInput(input: unknown): { duty: DutyId; instant: Date } {
  const parsed = dutyRunInput.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(payload)', message: i.message }));
    throw new InvalidInput(`定期業務の起動内容が正しくありません: ${errors.map((e) => `${e.path}: ${e.message}`).join('、')}`, errors);
  }
  return { duty: parsed.data.duty, instant: new Date(parsed.data.instant) };
}

/**
 * Runs one duty for the instant a schedule meant, at most once per (duty, period):
 *
 * 1. validate the payload (unknown duty or bad instant → {@link InvalidInput});
 * 2. a duty the profile disables does nothing (a system duty is never disabled);
 * 3. the run record `RUN#<duty>#<period>`: `done` → return at once (a duplicate
 *    delivery costs one GetItem);
 * 4. mark it `running` (conditional write; counts the attempt), run the duty's work,
 *    publish its events, and only then mark it `done` with the counts.
 *
 * A run that dies halfway (or whose events could not all be put on the bus) leaves
 * `running`; the next delivery runs again and the work's per-unit claims (duty,
 * period, subject) keep every unit single. That next delivery is `resumed`: each claim
 * stores its unit's events (an outbox written in the unit's own transaction, at no
 * extra operation), and the events of the units it finds already done are published
 * again, since the dead run may have committed them without publishing. Events are
 * thus delivered at least once; a consumer dedupes on the ids in `detail` (`taskId`
 * of kansa.TaskCreated, `actionId` + `overdueSince` of kansa.ActionOverdue).
 * Concurrent deliveries may both run, with the same exact result (one that starts
 * while another is running takes it for unfinished and may publish its events too).
 */
export async function runDuty(rt: JobRuntime, input: unknown): Promise<DutyRunSummary> {
  const { duty, instant } = parseInput(input);
  const at = instant.toISOString();
  const none = { created: 0, alreadyDone: 0, skipped: 0, published: 0, unpublished: 0 };
  const definition = dutyDefinition(rt.deps.profile, duty);
  if (!definition?.enabled) {
    const summary: DutyRunSummary = { duty, instant: at, outcome: 'disabled', ...none };
    logger.info('duty disabled by the profile: nothing to do', { ...summary, profile: rt.deps.profile.id });
    return summary;
  }
  const { period, today } = dutyPeriod(instant, definition.frequency);
  const record = await rt.runs.get(duty, period);
  if (record?.status === 'done' || !(await rt.runs.start(duty, period, { instant: at, at: rt.deps.clock.now().toISOString() }))) {
    const summary: DutyRunSummary = { duty, period, instant: at, outcome: 'alreadyDone', ...none };
    logger.info('duty already done for this period', { ...summary });
    return summary;
  }
  // An earlier delivery started this period and did not mark it done: it may have died
  // between committing units and publishing their events.
  const resumed = record?.status === 'running';
  const result = await dutyWork[duty](rt.deps, { duty, definition, period, instant: at, today, resumed });
  // Publish before marking done: a run that dies in between is resumed, and republishes.
  const delivery = await rt.deps.events.publish(result.events);
  if (delivery.failed > 0) throw new EventsUnpublished(duty, period, delivery.failed);
  const counts: DutyCounts = { created: result.created, alreadyDone: result.alreadyDone, skipped: result.skipped };
  await rt.runs.finish(duty, period, counts, rt.deps.clock.now().toISOString());
  const summary: DutyRunSummary = {
    duty,
    period,
    instant: at,
    outcome: 'completed',
    ...counts,
    published: delivery.published,
    unpublished: delivery.failed,
    republished: result.republished ?? 0,
    ...(result.metrics ? { metrics: result.metrics } : {}),
  };
  logger.info('duty run completed', { ...summary, resumed, attempt: (record?.attempts ?? 0) + 1 });
  return summary;
}

/** The one-line Japanese summary the CLI and the local scheduler print. */
export function describeRun(s: DutyRunSummary): string {
  const head = `${s.duty}${s.period ? ` (${s.period})` : ''}`;
  switch (s.outcome) {
    case 'disabled':
      return `${head}: このプロファイルでは無効な定期業務のため、何もしませんでした。`;
    case 'alreadyDone':
      return `${head}: この期間は実施済みです（新規作成 0 件）。`;
    case 'completed':
      return (
        `${head}: 新規作成 ${s.created} 件、作成済み ${s.alreadyDone} 件、対象外 ${s.skipped} 件` +
        (s.republished ? `（中断した実行のイベント ${s.republished} 件を再送）` : '') +
        '。'
      );
  }
}
