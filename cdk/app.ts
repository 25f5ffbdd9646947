import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Department } from '#lib/domain/organisation.js';
import { apiStage } from '#lib/http/routes.js';
import { profileIds } from '#lib/profiles/index.js';
import { type PracticeOverrides, practicesSchema, practisedProfile } from '#lib/profiles/practices.js';
import { repoRoot } from './constructs/app-function.js';
import { ApiStack } from './stacks/api-stack.js';
import { BackupCopyStack, checkBackupCopyRegion } from './stacks/backup-copy-stack.js';
import { DataStack, evidenceRetention } from './stacks/data-stack.js';
import { JobsStack } from './stacks/jobs-stack.js';
import { MonitoringStack } from './stacks/monitoring-stack.js';
import { WebContentStack, WebHostingStack } from './stacks/web-stack.js';

/** The app and its stacks, as `cdk synth` and the infra tests build them. */
export interface KansaApp {
  app: App;
  data: DataStack;
  api: ApiStack;
  webHosting: WebHostingStack;
  webContent: WebContentStack;
  jobs: JobsStack;
  /** The vault in context `backupCopyRegion` that backups are copied to; none when it is unset. */
  backupCopy: BackupCopyStack | undefined;
  monitoring: MonitoringStack;
}

function contextString(app: App, key: string): string {
  const value: unknown = app.node.tryGetContext(key);
  if (typeof value !== 'string' || value.length === 0) throw new Error(`cdk context "${key}" must be a non-empty string`);
  return value;
}

/**
 * A positive integer from context: a number in cdk.json, or a string of digits from
 * `cdk synth -c key=7`. Absent → `fallback`.
 */
function contextPositiveInteger(app: App, key: string, fallback: number): number {
  const value: unknown = app.node.tryGetContext(key) ?? fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new Error(`cdk context "${key}" must be a positive integer`);
  return n;
}

/** An optional string from context: absent or empty → undefined. */
function contextOptionalString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`cdk context "${key}" must be a string`);
  return value;
}

/** Context `departments`: [{ code, name, division }] (a 部 names itself as division); default none. */
function contextDepartments(app: App): Department[] {
  const value: unknown = app.node.tryGetContext('departments') ?? [];
  const ok =
    Array.isArray(value) &&
    value.every(
      (d: unknown) =>
        typeof d === 'object' &&
        d !== null &&
        ['code', 'name', 'division'].every((k) => typeof (d as Record<string, unknown>)[k] === 'string'),
    );
  if (!ok) throw new Error('cdk context "departments" must be a list of { code, name, division } strings');
  return value as Department[];
}

/**
 * Context `practices` (`PRACTICES_JSON` of every function): the deployment's practice over
 * the profile's defaults, an object in cdk.json or JSON from `-c 'practices={"audits":true}'`;
 * default none. A setting the regulation fixes is refused here, at synth, as at cold start.
 */
function contextPractices(app: App, profileId: string): PracticeOverrides {
  const value: unknown = app.node.tryGetContext('practices') ?? {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
  }
  const practices = practicesSchema.safeParse(parsed);
  if (!practices.success)
    throw new Error(
      'cdk context "practices" must be a JSON object of audits (boolean), inspectionFrequency (quarterly|yearly), disposalProof (witnessOrPhoto|certificate)',
    );
  practisedProfile(profileId, practices.data);
  return practices.data;
}

/** Context `alarmEmail`: where the alarms go by e-mail; absent (or empty) → none, and the monitoring stack warns. */
function contextAlarmEmail(app: App): string | undefined {
  const value = contextOptionalString(app, 'alarmEmail');
  if (value !== undefined && !/^[^\s@]+@[^\s@]+$/.test(value)) throw new Error('cdk context "alarmEmail" must be an e-mail address');
  return value;
}

/**
 * Context `malwareScan`: `on` (default; GuardDuty Malware Protection for S3 scans uploads
 * and the verifier waits for its result) or `off` (a region or account without it).
 */
function contextMalwareScan(app: App): boolean {
  const value: unknown = app.node.tryGetContext('malwareScan') ?? 'on';
  if (value === 'on' || value === true) return true;
  if (value === 'off' || value === false) return false;
  throw new Error('cdk context "malwareScan" must be on or off');
}

/** Context `webDist`: the built SPA to deploy (default `web/dist`, made by `npm run build`). */
function contextWebDist(app: App): string {
  const value: unknown = app.node.tryGetContext('webDist') ?? join(repoRoot, 'web', 'dist');
  if (typeof value !== 'string' || value.length === 0) throw new Error('cdk context "webDist" must be a directory path');
  return value;
}

/**
 * Build the kansa app: the SPA's hosting (private bucket, CloudFront serving the app and
 * `/api/*`, and the bare HTTP API behind it; first, since its origin is the one origin
 * Cognito and the evidence bucket's CORS allow), the stateful data stack (table,
 * evidence bucket), the jobs stack (one schedule per periodic duty, their function,
 * dead-letter queue and the events bus), the stateless API stack fed by them (the HTTP API's
 * stage, authorizer and routes), the SPA's files and config.json (naming the API at
 * `/api` of the same origin and the Cognito client), the alarms and their topic (last:
 * they read the other stacks), and cdk-nag's AwsSolutions and Serverless packs as
 * validation plugins. Context comes from
 * cdk.json (or `props.context` in tests). The region is `AWS_REGION` when set, else
 * ap-northeast-1; not the CLI's profile default, which falls back to us-east-1 and
 * would put personal information outside Japan.
 */
export function createApp(props?: AppProps): KansaApp {
  const app = new App(props);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.AWS_REGION ?? 'ap-northeast-1' };
  const profileId = contextString(app, 'profileId');
  if (!profileIds.includes(profileId)) throw new Error(`cdk context "profileId" must be one of ${profileIds.join(', ')}`);
  const practices = contextPractices(app, profileId);

  const authDomainPrefix = contextString(app, 'authDomainPrefix');
  const alarmEmail = contextAlarmEmail(app);
  const logLevel = contextString(app, 'logLevel');
  const departments = contextDepartments(app);
  // The SPA's origin is its CloudFront distribution, which also serves the API under /api:
  // the evidence bucket's CORS and Cognito's redirect URLs allow exactly that origin.
  const webHosting = new WebHostingStack(app, 'KansaWebHosting', {
    env,
    description: 'kansa: private S3 bucket and CloudFront distribution of the SPA and its /api/*, and the HTTP API they forward to',
    authDomainPrefix,
  });
  const spaOrigin = webHosting.origin;

  const evidenceRetentionYears = contextPositiveInteger(app, 'evidenceRetentionYears', 10);
  // Off by default: synth stays offline and a deployment stays in one region unless asked.
  const copyRegionContext = contextOptionalString(app, 'backupCopyRegion');
  const backupCopyRegion = copyRegionContext === undefined ? undefined : checkBackupCopyRegion(copyRegionContext, env.region);
  const backupCopy = backupCopyRegion
    ? new BackupCopyStack(app, 'KansaBackupCopy', {
        env: { account: env.account, region: backupCopyRegion },
        description: 'kansa: the locked vault in a second region that the backups of the table and the evidence bucket are copied to',
        terminationProtection: true,
        authDomainPrefix,
        retention: evidenceRetention(evidenceRetentionYears),
      })
    : undefined;
  const data = new DataStack(app, 'KansaData', {
    env,
    description: 'kansa: single DynamoDB table and evidence bucket (stateful)',
    terminationProtection: true,
    spaOrigin,
    evidenceRetentionYears,
    authDomainPrefix,
    breakGlassRoleArn: contextOptionalString(app, 'breakGlassRoleArn'),
    backupCopyRegion,
  });
  // The plan names the copy vault by its fixed name: a dependency, no cross-region reference.
  if (backupCopy) data.addStackDependency(backupCopy, 'backup copy vault (named by its fixed name)');
  const malwareScan = contextMalwareScan(app);
  const jobs = new JobsStack(app, 'KansaJobs', {
    env,
    description: 'kansa: periodic duties on EventBridge Scheduler (Asia/Tokyo), the jobs function and the events bus (stateless)',
    table: data.table,
    evidenceBucket: data.evidenceBucket,
    profileId,
    practices,
    logLevel,
    departments,
    malwareScan,
  });
  const api = new ApiStack(app, 'KansaApi', {
    env,
    description: 'kansa: Cognito, HTTP API and functions (stateless)',
    table: data.table,
    evidenceBucket: data.evidenceBucket,
    evidenceMaxBytes: contextPositiveInteger(app, 'evidenceMaxBytes', 20 * 1024 * 1024),
    profileId,
    practices,
    httpApi: webHosting.httpApi,
    callbackUrls: [`${spaOrigin}/auth/callback`],
    logoutUrls: [`${spaOrigin}/signed-out`],
    authDomainPrefix,
    logLevel,
    departments,
    eventBus: jobs.bus,
    malwareScan,
  });

  const webContent = new WebContentStack(app, 'KansaWebContent', {
    env,
    description: 'kansa: the built SPA and its config.json (API path, Cognito issuer and client)',
    hosting: webHosting,
    distDir: contextWebDist(app),
    config: {
      // Same origin: CloudFront forwards /api/* to the HTTP API's stage `api`.
      apiBaseUrl: `/${apiStage}`,
      oidc: {
        authority: api.userPool.userPoolProviderUrl,
        clientId: api.userPoolClientId,
        scope: 'openid profile email',
        // Cognito's discovery has no standard end-session endpoint: sign-out goes to its
        // /logout (ends the hosted-login session) after revoking the refresh token.
        logoutEndpoint: `${api.authBaseUrl}/logout`,
        revocationEndpoint: `${api.authBaseUrl}/oauth2/revoke`,
      },
      environment: 'aws',
    },
  });

  const monitoring = new MonitoringStack(app, 'KansaMonitoring', {
    env,
    description: 'kansa: alarms (functions, API 5xx rate, dead-letter queues, pending evidence) and their encrypted SNS topic',
    alarmEmail,
    functionsOf: [api, jobs],
    apiStage: api.httpStage,
    jobsDeadLetterQueue: jobs.deadLetterQueue,
    verifierFailureQueue: api.verifierFailureQueue,
    serviceName: 'kansa',
  });

  Tags.of(app).add('project', 'kansa');
  Tags.of(app).add('profile', profileId);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  Validations.of(app).addPlugins(new ServerlessChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, data, api, webHosting, webContent, jobs, backupCopy, monitoring };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  createApp().app.synth();
}
