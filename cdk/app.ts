import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Department } from '#lib/domain/organisation.js';
import { profileIds } from '#lib/profiles/index.js';
import { type PracticeOverrides, practicesSchema, practisedProfile } from '#lib/profiles/practices.js';
import { repoRoot } from './constructs/app-function.js';
import { ApiStack } from './stacks/api-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { JobsStack } from './stacks/jobs-stack.js';
import { WebContentStack, WebHostingStack } from './stacks/web-stack.js';

/** The app and its stacks, as `cdk synth` and the infra tests build them. */
export interface KansaApp {
  app: App;
  data: DataStack;
  api: ApiStack;
  webHosting: WebHostingStack;
  webContent: WebContentStack;
  jobs: JobsStack;
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
 * Build the kansa app: the SPA's hosting (private bucket, CloudFront; first, since its
 * origin is the one origin CORS and Cognito allow), the stateful data stack (table,
 * evidence bucket), the jobs stack (one schedule per periodic duty, their function,
 * dead-letter queue and the events bus), the stateless API stack fed by them, the SPA's files
 * and config.json (last, naming the API's URL and Cognito client), and cdk-nag's
 * AwsSolutions pack as a validation plugin. Context comes from
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
  // The SPA's origin is its CloudFront distribution: CORS (API, evidence bucket) and
  // Cognito's redirect URLs allow exactly that origin.
  const webHosting = new WebHostingStack(app, 'KansaWebHosting', {
    env,
    description: 'kansa: private S3 bucket and CloudFront distribution of the SPA',
    authDomainPrefix,
  });
  const spaOrigin = webHosting.origin;

  const data = new DataStack(app, 'KansaData', {
    env,
    description: 'kansa: single DynamoDB table and evidence bucket (stateful)',
    terminationProtection: true,
    spaOrigin,
    evidenceRetentionYears: contextPositiveInteger(app, 'evidenceRetentionYears', 10),
    authDomainPrefix,
  });
  const malwareScan = contextMalwareScan(app);
  const jobs = new JobsStack(app, 'KansaJobs', {
    env,
    description: 'kansa: periodic duties on EventBridge Scheduler (Asia/Tokyo), the jobs function and the events bus (stateless)',
    table: data.table,
    evidenceBucket: data.evidenceBucket,
    profileId,
    practices,
    logLevel: contextString(app, 'logLevel'),
    departments: contextDepartments(app),
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
    spaOrigin,
    callbackUrls: [`${spaOrigin}/auth/callback`],
    logoutUrls: [`${spaOrigin}/signed-out`],
    authDomainPrefix,
    logLevel: contextString(app, 'logLevel'),
    departments: contextDepartments(app),
    eventBus: jobs.bus,
    malwareScan,
  });

  const webContent = new WebContentStack(app, 'KansaWebContent', {
    env,
    description: 'kansa: the built SPA and its config.json (API URL, Cognito issuer and client)',
    hosting: webHosting,
    distDir: contextWebDist(app),
    config: {
      apiBaseUrl: api.apiUrl,
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

  Tags.of(app).add('project', 'kansa');
  Tags.of(app).add('profile', profileId);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, data, api, webHosting, webContent, jobs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  createApp().app.synth();
}
