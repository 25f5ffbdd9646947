import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { Cron } from 'croner';
import { jstDateTime } from '#lib/domain/calendar.js';
import { type DutyRunSummary, describeRun } from '#lib/jobs/runner.js';
import { dutySchedules, jobFunctionSpec, scheduleTimeZone } from '#lib/jobs/schedule.js';
import { config } from '#lib/config.js';
import { practisedProfile } from '#lib/profiles/practices.js';
import type { DutyId } from '#lib/profiles/types.js';
import { lambdaContext } from './gateway.js';
import { localDir } from './paths.js';

/** The jobs function's exported handler, as functions/jobs/run-duty.ts exports it. */
export type DutyHandler = (event: { duty: DutyId; instant: string }, context: Context) => Promise<DutyRunSummary>;

/** Imports the same handler EventBridge Scheduler invokes in AWS (after the environment is set). */
export async function loadDutyHandler(): Promise<DutyHandler> {
  const entry = new URL(`../../${jobFunctionSpec.entry}`, import.meta.url).href;
  return ((await import(entry)) as { handler: DutyHandler }).handler;
}

/** Fires one duty through the handler with its logical instant, as a scheduled delivery does. */
export async function fireDuty(duty: DutyId, instant: Date): Promise<DutyRunSummary> {
  const handler = await loadDutyHandler();
  return handler({ duty, instant: instant.toISOString() }, lambdaContext('runDuty', randomUUID()));
}

/**
 * Where a running `npm start` says which DynamoDB Local and S3 emulator it uses, so
 * `npm run job` fires against the same data without opening the file database a second time.
 */
export const schedulerFile = join(localDir, 'scheduler.json');

export interface SchedulerRecord {
  pid: number;
  dynamoEndpoint: string;
  /** The S3 emulator (evidence bucket) of that `npm start`; absent in a record of an older one. */
  s3Endpoint?: string;
}

/** The record of a live `npm start`, or undefined (none, or one that died). */
export function runningScheduler(): SchedulerRecord | undefined {
  if (!existsSync(schedulerFile)) return undefined;
  try {
    const r = JSON.parse(readFileSync(schedulerFile, 'utf8')) as SchedulerRecord;
    process.kill(r.pid, 0);
    return r;
  } catch {
    return undefined;
  }
}

export interface LocalScheduler {
  /** The next firing of each scheduled duty. */
  next(): { duty: DutyId; at: Date | null; description: string }[];
  stop(): void;
}

/**
 * `npm start`'s scheduler: THE schedule table of the active profile run by croner in
 * Asia/Tokyo, each firing calling the jobs handler with the instant croner fired for
 * (the minute the pattern names, not the moment the timer woke), as EventBridge
 * Scheduler passes `<aws.scheduler.scheduled-time>`. `protect` keeps a slow run from
 * overlapping the next one of the same duty. Missed firings (machine off) are not
 * replayed: `npm run job -- <duty> --at <instant>` runs one on demand.
 */
export function startScheduler(opts: {
  dynamoEndpoint: string;
  s3Endpoint?: string;
  profileId?: string | undefined;
  log: (line: string) => void;
}): LocalScheduler {
  // The profile as the deployment practises it (PRACTICES_JSON), as the jobs handler reads it: e.g. 003 auditing as its practice has an annual plan.
  const cfg = config();
  const rows = dutySchedules(practisedProfile(opts.profileId ?? cfg.PROFILE_ID, cfg.PRACTICES_JSON));
  const jobs = rows.map((row) => ({
    row,
    cron: new Cron(row.croner, { timezone: scheduleTimeZone, protect: true, name: `kansa-${row.duty}` }, async (self: Cron) => {
      // The firing this callback is for: the latest instant of the pattern at or before now.
      const instant = self.previousRuns(1, new Date(Date.now() + 1))[0] ?? new Date();
      try {
        opts.log(`定期業務 ${describeRun(await fireDuty(row.duty, instant))}`);
      } catch (err) {
        opts.log(`定期業務 ${row.duty} (${instant.toISOString()}) が失敗しました: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  }));
  writeFileSync(
    schedulerFile,
    JSON.stringify({
      pid: process.pid,
      dynamoEndpoint: opts.dynamoEndpoint,
      ...(opts.s3Endpoint ? { s3Endpoint: opts.s3Endpoint } : {}),
    } satisfies SchedulerRecord),
  );
  return {
    next: () => jobs.map(({ row, cron }) => ({ duty: row.duty, at: cron.nextRun(), description: row.description })),
    stop: () => {
      for (const { cron } of jobs) cron.stop();
      const mine = runningScheduler()?.pid === process.pid;
      if (mine) rmSync(schedulerFile, { force: true });
    },
  };
}

/** `2027-04-01 00:05（日本時間）` for the start-up lines. */
export const describeNext = (at: Date | null): string => (at ? `${jstDateTime(at)}（日本時間）` : '予定なし');
