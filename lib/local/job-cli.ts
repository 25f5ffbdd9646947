import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInput } from '#lib/domain/errors.js';
import { logger } from '#lib/logger.js';
import { describeRun, dutyIds } from '#lib/jobs/runner.js';
import type { DutyId } from '#lib/profiles/types.js';
import { ensureTable } from './create-table.js';
import { demoDepartments } from './demo-users.js';
import { type DynamoDbLocal, JavaMissing, startDynamoDbLocal } from './dynamodb-local.js';
import { defaultLocalPort } from './identity.js';
import { localDir, localPaths, localTableName } from './paths.js';
import { type S3Local, localBucket, startS3Local } from './s3-local.js';
import { fireDuty, runningScheduler } from './scheduler.js';

const usage = `使い方: npm run job -- <定期業務> [--at 2027-04-01T00:00:00+09:00]
  定期業務: ${dutyIds.join(' | ')}
  --at: 予定時刻（ISO 8601）。省略すると現在時刻。`;

function parseArgs(argv: string[]): { duty: string; at: string } {
  const rest = [...argv];
  let at: string | undefined;
  const i = rest.findIndex((a) => a === '--at' || a.startsWith('--at='));
  if (i >= 0) {
    const arg = rest[i] as string;
    at = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[i + 1];
    rest.splice(i, arg.includes('=') ? 1 : 2);
  }
  if (rest.length !== 1 || at === '') throw new InvalidInput(usage);
  return { duty: rest[0] as string, at: at ?? new Date().toISOString() };
}

/**
 * The port of a DynamoDB Local serving `.local/dynamodb` that `npm start` started but did
 * not record (an `npm start` from before the scheduler), read from its command line.
 */
function unrecordedDynamoPort(): number | undefined {
  const pidFile = join(localDir, 'dynamodb.pid');
  if (!existsSync(pidFile)) return undefined;
  const cmdline = `/proc/${readFileSync(pidFile, 'utf8').trim()}/cmdline`;
  if (!existsSync(cmdline)) return undefined;
  const args = readFileSync(cmdline, 'utf8').split('\0');
  const port = Number(args[args.indexOf('-port') + 1]);
  return args.includes('DynamoDBLocal.jar') || args.some((a) => a.endsWith('DynamoDBLocal.jar')) ? port : undefined;
}

/**
 * The CLI prints its one-line summary, warnings and errors: the handler's INFO lines
 * are for CloudWatch. The logger took its level from the environment when it was
 * imported (before `main` runs), so it is lowered here, unless the caller chose a
 * level (`LOG_LEVEL=INFO npm run job -- …`). The Lambda's logging is untouched.
 */
function quietLogs(env: NodeJS.ProcessEnv): void {
  if (env.POWERTOOLS_LOG_LEVEL === undefined && env.LOG_LEVEL === undefined && env.AWS_LAMBDA_LOG_LEVEL === undefined)
    logger.setLogLevel('WARN');
}

/**
 * `npm run job -- <duty> [--at <instant>]`: fires one duty through the same handler the
 * schedules call, against `npm start`'s data. With `npm start` running it uses its
 * DynamoDB Local (the file database cannot be opened twice) and S3 emulator; otherwise it
 * starts them on `.local/dynamodb` and `.local/s3` for the run and stops them after.
 * `DYNAMODB_ENDPOINT` (with `TABLE_NAME`) and `S3_ENDPOINT` (with `EVIDENCE_BUCKET`) point
 * it at others instead.
 */
async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  quietLogs(process.env);
  const { duty, at } = parseArgs(process.argv.slice(2));
  let own: DynamoDbLocal | undefined;
  let ownS3: S3Local | undefined;
  const running = process.env.DYNAMODB_ENDPOINT ?? runningScheduler()?.dynamoEndpoint;
  const port = running ? undefined : unrecordedDynamoPort();
  const endpoint =
    running ?? (port ? `http://127.0.0.1:${port}` : (own = await startDynamoDbLocal({ dbPath: localPaths.dynamodb })).endpoint);
  try {
    // The evidence bucket, for the duties that verify uploads still pending (evidence-pending) and write the trail's anchors (audit-anchor).
    const s3Endpoint =
      process.env.S3_ENDPOINT ??
      runningScheduler()?.s3Endpoint ??
      (ownS3 = await startS3Local({ directory: localPaths.s3, corsOrigin: `http://localhost:${defaultLocalPort}` })).endpoint;
    Object.assign(process.env, {
      TABLE_NAME: process.env.TABLE_NAME ?? localTableName,
      DYNAMODB_ENDPOINT: endpoint,
      S3_ENDPOINT: s3Endpoint,
      EVIDENCE_BUCKET: process.env.EVIDENCE_BUCKET ?? localBucket,
      AWS_REGION: process.env.AWS_REGION ?? 'ap-northeast-1',
      POWERTOOLS_METRICS_DISABLED: 'true',
      DEPARTMENTS_JSON: process.env.DEPARTMENTS_JSON ?? JSON.stringify(demoDepartments),
    });
    await ensureTable(endpoint, process.env.TABLE_NAME as string);
    const instant = new Date(at);
    if (Number.isNaN(instant.getTime()))
      throw new InvalidInput(`日時 "${at}" を読めません。ISO 8601 形式（例: 2027-04-01T00:00:00+09:00）で指定してください。`);
    const summary = await fireDuty(duty as DutyId, instant);
    console.log(describeRun(summary));
  } finally {
    await ownS3?.stop();
    await own?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(
    err instanceof InvalidInput || err instanceof JavaMissing ? err.message : err instanceof Error ? `失敗しました: ${err.message}` : err,
  );
  process.exit(1);
});
