import type { AnyDutyDefinition } from '#lib/profiles/system-duties.js';
import type { DutyId } from '#lib/profiles/types.js';
import type { OutboundEvent, Page, PageRequest } from './ports.js';

/**
 * How the periodic duties walk their work: what a run is given and what it reports, lists
 * read page by page, and units committed a few at once (lib/app/duty-work.ts, lib/app/trail-anchor.ts). Use cases that need a
 * whole list read it with {@link allPages} too (lib/app/plan-children.ts).
 */

/** One run of a duty, for one period, as the jobs runner hands it to the duty's work. */
export interface DutyRun<D extends AnyDutyDefinition = AnyDutyDefinition> {
  duty: DutyId;
  /** The profile's definition of the duty, or a system duty's (lib/profiles/system-duties.ts). */
  definition: D;
  /** 'FY2027' yearly, 'FY2027-Q1' quarterly (Q1 = April–June), '2027-04-02' daily (Japan date). */
  period: string;
  /** ISO UTC instant the schedule meant (the logical time, not "now"). */
  instant: string;
  /** Japan date of `instant`, YYYY-MM-DD. */
  today: string;
  /**
   * An earlier delivery started this period and did not finish (it may have died after
   * committing units but before publishing their events): the events stored on the
   * claims of units found already done are published again.
   */
  resumed?: boolean;
}

/** What a run of a duty did. */
export interface DutyResult {
  /** Units of work committed by this run. */
  created: number;
  /** Units found already committed (a duplicate, concurrent or resumed run). */
  alreadyDone: number;
  /** Units that needed nothing. */
  skipped: number;
  /**
   * One per task created and per overdue marking of the committed units; for
   * alreadyDone units, their stored events when the run is `resumed`, else none.
   */
  events: OutboundEvent[];
  /** How many of `events` are the stored events of units an earlier delivery committed. */
  republished?: number;
  /** What the run measured, published as CloudWatch metrics by the jobs handler (lib/jobs/handler.ts). */
  metrics?: Partial<Record<DutyMetric, number>>;
}

/**
 * The metrics a duty run measures. `OldestPendingEvidenceAgeHours`: hours between the
 * run's instant and the registration of the oldest evidence still `pending`, before
 * `evidence-pending` works on it (0 when none is pending); above about 25 hours, the
 * previous day's run left some pending (the alarm in cdk/stacks/monitoring-stack.ts).
 */
export type DutyMetric = 'OldestPendingEvidenceAgeHours';

/** Items read per Query page (well under DynamoDB's 1 MB page). */
export const scanPage = 500;
/** Units of a page committed at once: independent writes, few enough not to throttle the table or the bucket. */
export const unitsAtOnce = 8;

/** Run `work` over `items`, a few at once; after a failure no further item starts, and the failure is thrown. */
export async function eachUnit<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(unitsAtOnce, items.length) }, worker));
}

/** Every page of a list, one Query each. */
export async function* pages<T>(list: (page: PageRequest) => Promise<Page<T>>): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  do {
    const page = await list({ limit: scanPage, cursor });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Every item of a list, all its pages read one after the other. */
export async function allPages<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const items of pages(list)) out.push(...items);
  return out;
}
