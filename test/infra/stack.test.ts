import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  cdkContext,
  logicalId,
  reportFindingsInsteadOfThrowing,
  type Resource,
  type Statement,
  statementsOf,
  unacknowledgedRules,
  validationFindings,
} from '#test/support/infra.js';
import { quietly } from '#test/support/quiet-synth.js';
import { createApp, type KansaApp } from '#cdk/app.js';
import { type AppFunction, functionRuntime, tableActions, xrayAck } from '#cdk/constructs/app-function.js';
import { bucketKeyActions } from '#cdk/constructs/evidence-access.js';
import { evidenceBucketName, evidenceBucketNameOutput, evidenceKeyArnOutput } from '#cdk/stacks/data-stack.js';
import { roles } from '#lib/domain/roles.js';
import { eventFunctionSpecs, type FunctionSpec, functionNames, functionSpecs, type FunctionName } from '#lib/functions.js';
import { routeKey, routeList } from '#lib/http/routes.js';
import { tableDesign } from '#lib/store/table-design.js';

/** Every function of the app: one per HTTP function spec and one per event function spec. */
type AnyFunction = FunctionName | keyof typeof eventFunctionSpecs;
const allFunctionSpecs: Record<AnyFunction, FunctionSpec> = { ...functionSpecs, ...eventFunctionSpecs };
const allFunctionNames = Object.keys(allFunctionSpecs) as AnyFunction[];

/** The SPA's origin: its CloudFront distribution's, from the web hosting stack (test/infra/web-stack.test.ts checks it in full). */
const spaOrigin = (suffix = '') =>
  Match.objectEquals({
    'Fn::Join': [
      '',
      [
        'https://',
        Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'KansaWebHosting' }) }),
        ...(suffix ? [suffix] : []),
      ],
    ],
  });

let outdir: string;
let kansa: KansaApp;
let assemblyDir: string;
let api: Template;
let data: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'kansa-infra-'));
  // Uploads notify the verifier only without malware scanning; test/infra/malware-scan.test.ts covers the default (on).
  const uploadNotifiesVerifier = { malwareScan: 'off' };
  kansa = quietly(() => createApp({ outdir, context: { ...cdkContext, ...reportFindingsInsteadOfThrowing, ...uploadNotifiesVerifier } }));
  assemblyDir = kansa.app.synth().directory;
  api = Template.fromStack(kansa.api);
  data = Template.fromStack(kansa.data);
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const fnOf = (fn: AnyFunction): AppFunction =>
  fn in kansa.api.functions ? kansa.api.functions[fn as FunctionName] : kansa.api.eventFunctions[fn as keyof typeof eventFunctionSpecs];

/** The statements of every policy attached to a function's role. */
function roleStatements(fn: AnyFunction): Statement[] {
  const role = fnOf(fn).role;
  if (!role) throw new Error(`${fn} has no role`);
  return statementsOf(api, logicalId(kansa.api, role));
}

/** The dynamodb statements of every policy attached to a function's role. */
function dynamoStatements(fn: AnyFunction): Statement[] {
  return roleStatements(fn).filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
}

/** The data stack's output with the evidence bucket's name, as the API stack reads it. */
const bucketNameRef = (): unknown => ({
  'Fn::GetStackOutput': { StackName: kansa.data.stackName, Region: kansa.data.region, OutputName: evidenceBucketNameOutput },
});

/**
 * Where a resource of an S3 statement points: `incoming/*` (objects of the evidence bucket
 * under that prefix), `bucket` (the evidence bucket itself), anything else verbatim (JSON).
 */
function s3Scope(resource: unknown): string {
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const parts = join?.[1] ?? [];
  const onBucket =
    join?.[0] === '' &&
    parts.length >= 2 &&
    JSON.stringify(parts[1]) === JSON.stringify(bucketNameRef()) &&
    /^arn:[^:]+:s3:::$/.test(String(parts[0]));
  if (!onBucket) return JSON.stringify(resource);
  if (parts.length === 2) return 'bucket';
  const tail = parts.slice(2);
  return tail.length === 1 && typeof tail[0] === 'string' && tail[0].startsWith('/') ? tail[0].slice(1) : JSON.stringify(resource);
}

/** `action on scope` for every s3 action of every statement (Allow only) of these policies. */
function s3Grants(statements: Statement[]): string[] {
  const grants = statements.flatMap((st) => {
    const actions = [st.Action].flat().filter((a) => a.startsWith('s3:') || a === '*');
    if (actions.length === 0) return [];
    expect(st.Effect).toBe('Allow');
    return actions.flatMap((a) => [st.Resource].flat().map((r) => `${a} on ${s3Scope(r)}`));
  });
  return [...new Set(grants)].sort();
}

/**
 * Every Allow statement of every IAM policy (inline or managed) in both stacks, but the
 * break-glass role's (test/infra/data-protection.test.ts checks it: it may do what the
 * evidence bucket policy denies everyone else).
 */
function allAllowStatements(): Statement[] {
  const breakGlass = kansa.data.breakGlassRole?.node.tryFindChild('DefaultPolicy');
  const breakGlassPolicyId = breakGlass ? logicalId(kansa.data, breakGlass as never) : undefined;
  return [data, api].flatMap((t) =>
    ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role'].flatMap((type) =>
      Object.entries(t.findResources(type) as Record<string, Resource>).flatMap(([id, r]) => {
        if (t === data && id === breakGlassPolicyId) return [];
        const documents = [
          r.Properties?.PolicyDocument,
          ...((r.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument),
        ];
        return documents.flatMap((d) =>
          ((d as { Statement?: Statement[] } | undefined)?.Statement ?? []).filter((st) => st.Effect === 'Allow'),
        );
      }),
    ),
  );
}

describe('routes', () => {
  it('creates exactly one API Gateway route per entry of the route table', () => {
    api.resourceCountIs('AWS::ApiGatewayV2::Route', routeList.length);
  });

  it.each(routeList.map((r) => [routeKey(r), r] as const))('%s has its route key and authorizer', (key, r) => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: key,
      AuthorizationType: r.auth ? 'JWT' : 'NONE',
      AuthorizerId: r.auth ? Match.anyValue() : Match.absent(),
    });
  });

  it('leaves only GET /health without a JWT', () => {
    const open = Object.values(api.findResources('AWS::ApiGatewayV2::Route', { Properties: { AuthorizationType: 'NONE' } }));
    expect(open.map((r) => (r as Resource).Properties?.RouteKey)).toEqual(['GET /health']);
  });

  it.each(routeList.map((r) => [routeKey(r), r.fn] as const))('%s invokes the %s function', (key, fn) => {
    const target = new Capture();
    api.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: key,
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: target }]] },
    });
    const integration = api.findResources('AWS::ApiGatewayV2::Integration')[target.asString()] as Resource;
    expect(integration.Properties?.IntegrationUri).toEqual({
      'Fn::GetAtt': [logicalId(kansa.api, kansa.api.functions[fn]), 'Arn'],
    });
  });

  it('verifies JWTs issued by the user pool for the SPA client', () => {
    const pool = Object.keys(api.findResources('AWS::Cognito::UserPool'))[0];
    const client = Object.keys(api.findResources('AWS::Cognito::UserPoolClient'))[0];
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: { 'Fn::GetAtt': [pool, 'ProviderURL'] }, Audience: [{ Ref: client }] },
    });
  });

  it('serves the routes at the stage `api` (no CORS: the SPA calls its own origin) and writes access logs to a retained log group', () => {
    // The HTTP API itself is the web hosting stack's (test/infra/same-origin.test.ts).
    api.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    const logGroup = new Capture();
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'api',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logGroup, 'Arn'] }, Format: Match.stringLikeRegexp('routeKey') },
    });
    expect(api.findResources('AWS::Logs::LogGroup')[logGroup.asString()]).toMatchObject({
      Properties: { RetentionInDays: expect.any(Number) },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('table', () => {
  it('is on demand, point-in-time recoverable, deletion-protected and retained, with every GSI of tableDesign', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 1);
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: tableDesign.indexes.map((i) => ({
          IndexName: i.indexName,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    });
  });
});

describe('user pool', () => {
  it('is admin-only, signs in by email, requires TOTP MFA and a strong password, and is retained', () => {
    api.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: Match.anyValue(),
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        DeletionProtection: 'ACTIVE',
      }),
    });
    const policy = Object.values(api.findResources('AWS::Cognito::UserPool'))[0] as Resource;
    const minLength = (policy.Properties?.Policies as { PasswordPolicy: { MinimumLength: number } }).PasswordPolicy.MinimumLength;
    expect(minLength).toBeGreaterThanOrEqual(12);
  });

  it('carries custom:department as a mutable string', () => {
    api.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'department', AttributeDataType: 'String', Mutable: true })]),
    });
  });

  it('has one group per role, named by its code name', () => {
    api.resourceCountIs('AWS::Cognito::UserPoolGroup', roles.length);
    for (const role of roles) api.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
    // The 事務取扱担当者 (001 第3条第8号) is a group of its own, beside the 保護担当者.
    expect(roles).toHaveLength(9);
    api.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'affairStaff', Description: '事務取扱担当者' });
    api.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'sectionStaff', Description: '保護担当者' });
  });

  it('has a public SPA client: code grant only, no direct sign-in flow, 15-minute tokens', () => {
    api.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayEquals(['openid', 'email', 'profile']),
      CallbackURLs: [spaOrigin('/auth/callback')],
      LogoutURLs: [spaOrigin('/signed-out')],
      IdTokenValidity: 15,
      AccessTokenValidity: 15,
      TokenValidityUnits: Match.objectLike({ IdToken: 'minutes', AccessToken: 'minutes' }),
    });
  });

  it('lists the attributes users may write, explicitly: preferences only, never custom:department, name or email', () => {
    const clients = Object.values(api.findResources('AWS::Cognito::UserPoolClient')) as Resource[];
    expect(clients).toHaveLength(1);
    const props = clients[0]?.Properties ?? {};
    // Absent or empty would mean "every mutable attribute" to Cognito.
    expect(props.WriteAttributes).toEqual(['locale', 'zoneinfo']);
    expect([...(props.ReadAttributes as string[])].sort()).toEqual(['custom:department', 'email', 'email_verified', 'name']);
    expect(JSON.stringify(props.WriteAttributes)).not.toMatch(/custom:|"name"|email/);
    expect(props.AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
  });
});

const envOf = (fn: AnyFunction): Record<string, unknown> =>
  (
    (api.findResources('AWS::Lambda::Function')[logicalId(kansa.api, fnOf(fn))] as Resource).Properties?.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;

/** CDK's handler of the bucket-notification custom resource: the one function that is not ours. */
const notificationsHandlerId = (): string => {
  const ids = Object.keys(api.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('BucketNotificationsHandler'));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};

describe('functions', () => {
  it("are one per function spec and event function spec (plus CDK's bucket-notification handler), on arm64 and the chosen runtime, with source maps", () => {
    api.resourceCountIs('AWS::Lambda::Function', functionNames.length + Object.keys(eventFunctionSpecs).length + 1);
    for (const fn of allFunctionNames) {
      expect((api.findResources('AWS::Lambda::Function')[logicalId(kansa.api, fnOf(fn))] as Resource).Properties).toMatchObject({
        Architectures: ['arm64'],
        Runtime: functionRuntime.name,
        Handler: 'index.handler',
        Environment: {
          Variables: expect.objectContaining({
            NODE_OPTIONS: '--enable-source-maps',
            PROFILE_ID: cdkContext.profileId,
            PRACTICES_JSON: '{}',
          }),
        },
      });
    }
    expect(notificationsHandlerId()).toBeDefined();
  });

  it.each(allFunctionNames)('%s logs to its own log group with retention', (fn) => {
    const logGroup = new Capture();
    api.hasResourceProperties('AWS::Lambda::Function', {
      Description: allFunctionSpecs[fn].description,
      LoggingConfig: { LogGroup: { Ref: logGroup } },
    });
    expect(logGroup.asString()).toBe(logicalId(kansa.api, fnOf(fn).logGroup));
    expect(api.findResources('AWS::Logs::LogGroup')[logGroup.asString()]?.Properties).toMatchObject({
      RetentionInDays: expect.any(Number),
    });
  });

  it.each(allFunctionNames)('%s gets TABLE_NAME only when it uses the table', (fn) => {
    expect('TABLE_NAME' in envOf(fn)).toBe(allFunctionSpecs[fn].table !== 'none');
  });

  it.each(allFunctionNames)('%s gets EVIDENCE_BUCKET only when it uses the bucket, and EVIDENCE_MAX_BYTES only when it presigns', (fn) => {
    const vars = envOf(fn);
    const bucket = allFunctionSpecs[fn].bucket;
    if (bucket) expect(vars.EVIDENCE_BUCKET).toEqual(bucketNameRef());
    else expect(vars.EVIDENCE_BUCKET).toBeUndefined();
    if (bucket === 'presign') expect(vars.EVIDENCE_MAX_BYTES).toBe(String(cdkContext.evidenceMaxBytes));
    else expect(vars.EVIDENCE_MAX_BYTES).toBeUndefined();
  });

  it.each(allFunctionNames)("%s may put events, on the jobs stack's bus only, exactly when its spec publishes", (fn) => {
    const publishes = allFunctionSpecs[fn].events === 'publish';
    const policy = fnOf(fn).role?.node.tryFindChild('DefaultPolicy');
    const statements = policy
      ? (
          (api.findResources('AWS::IAM::Policy')[logicalId(kansa.api, policy as never)] as Resource).Properties?.PolicyDocument as {
            Statement: Statement[];
          }
        ).Statement
      : [];
    const puts = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('events:')));
    if (!publishes) {
      expect(envOf(fn).EVENT_BUS_NAME).toBeUndefined();
      expect(puts).toEqual([]);
      return;
    }
    expect(JSON.stringify(envOf(fn).EVENT_BUS_NAME)).toMatch(/KansaJobs.*Bus/);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.Action).toBe('events:PutEvents');
    expect(JSON.stringify(puts[0]?.Resource)).toMatch(/KansaJobs.*Bus.*Arn/);
  });

  it("use no AWS managed policy (only CDK's bucket-notification handler has the basic execution role)", () => {
    const handlerRole = (api.findResources('AWS::Lambda::Function')[notificationsHandlerId()] as Resource).Properties?.Role as {
      'Fn::GetAtt': [string, string];
    };
    for (const [id, role] of Object.entries(api.findResources('AWS::IAM::Role')) as [string, Resource][]) {
      if (id === handlerRole['Fn::GetAtt'][0]) {
        expect(JSON.stringify(role.Properties?.ManagedPolicyArns)).toMatch(/service-role\/AWSLambdaBasicExecutionRole"/);
        expect(role.Properties?.ManagedPolicyArns).toHaveLength(1);
      } else {
        expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      }
    }
  });
});

describe('IAM', () => {
  const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];
  const neverGranted = ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:Scan', 'dynamodb:*'];

  it('lets plans write the table with the actions its transactions need', () => {
    const actions = actionsOf(dynamoStatements('plans'));
    expect(actions).toEqual(expect.arrayContaining([...writes, 'dynamodb:GetItem', 'dynamodb:Query']));
    for (const a of neverGranted) expect(actions).not.toContain(a);
  });

  it('lets auditLog only read', () => {
    const actions = actionsOf(dynamoStatements('auditLog'));
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) expect(tableActions.read).toContain(a);
    for (const a of [...writes, ...neverGranted]) expect(actions).not.toContain(a);
  });

  it('gives system no DynamoDB access', () => {
    expect(dynamoStatements('system')).toEqual([]);
  });

  it('names each index instead of index/*', () => {
    for (const fn of allFunctionNames) {
      const resources = JSON.stringify(dynamoStatements(fn).map((s) => s.Resource));
      expect(resources).not.toContain('*');
      for (const i of allFunctionSpecs[fn].table === 'none' ? [] : tableDesign.indexes) {
        expect(resources).toContain(`/index/${i.indexName}`);
      }
    }
  });

  it('lets evidence (presign) only put objects under incoming/ and get objects under evidence/', () => {
    expect(s3Grants(roleStatements('evidence'))).toEqual([
      's3:GetObject on evidence/*',
      's3:PutObject on incoming/*',
      's3:PutObjectRetention on incoming/*',
    ]);
  });

  it('lets the verifier read uploads (in the version the event names), copy them to evidence/ or quarantine/, and remove only uploads', () => {
    expect(s3Grants(roleStatements('evidenceUploaded'))).toEqual(
      [
        's3:GetObject on incoming/*',
        's3:GetObjectVersion on incoming/*',
        's3:ListBucket on bucket',
        's3:PutObject on evidence/*',
        's3:PutObject on quarantine/*',
        's3:PutObjectRetention on quarantine/*',
        's3:DeleteObject on incoming/*',
        's3:DeleteObjectVersion on incoming/*',
        's3:BypassGovernanceRetention on incoming/*',
      ].sort(),
    );
  });

  it('lets the verifier list key names under incoming/ only (to tell a missing upload from a forbidden one)', () => {
    const listing = roleStatements('evidenceUploaded').filter((st) => [st.Action].flat().includes('s3:ListBucket'));
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatchObject({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': 'incoming/*' } } });
    expect(s3Scope(listing[0]?.Resource)).toBe('bucket');
  });

  it('lets auditLog read anchors and list the key names under anchors/entities/ only (GET /audit-log/verify)', () => {
    expect(s3Grants(roleStatements('auditLog'))).toEqual(['s3:GetObject on anchors/*', 's3:ListBucket on bucket']);
    const listing = roleStatements('auditLog').filter((st) => [st.Action].flat().includes('s3:ListBucket'));
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatchObject({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': 'anchors/entities/*' } } });
  });

  it.each(allFunctionNames.filter((fn) => !allFunctionSpecs[fn].bucket))('gives %s no S3 access', (fn) => {
    expect(s3Grants(roleStatements(fn))).toEqual([]);
  });

  it('grants delete, version delete and governance bypass to the verifier only, on incoming/* only; nothing but the break-glass role may delete evidence/', () => {
    const destructive = (g: string): boolean => /^(\*|s3:\*|s3:(Delete|Bypass|PutLifecycle|PutBucket|PutObjectLegalHold)\S*) on /.test(g);
    // Grants are compared per action and resource: minimizePolicies merges statements.
    expect(s3Grants(roleStatements('evidenceUploaded')).filter(destructive)).toEqual([
      's3:BypassGovernanceRetention on incoming/*',
      's3:DeleteObject on incoming/*',
      's3:DeleteObjectVersion on incoming/*',
    ]);
    // Across both stacks, the same three and CDK's notification handler setting the bucket's notifications.
    expect(s3Grants(allAllowStatements()).filter(destructive)).toEqual([
      's3:BypassGovernanceRetention on incoming/*',
      's3:DeleteObject on incoming/*',
      's3:DeleteObjectVersion on incoming/*',
      's3:PutBucketNotification on bucket',
    ]);
    expect(
      JSON.stringify(allAllowStatements().filter((st) => [st.Action].flat().some((a) => /^(\*|s3:\*|s3:Delete)/.test(a)))),
    ).not.toContain('/evidence/');
  });
});

describe('evidence bucket', () => {
  const bucketId = (): string => logicalId(kansa.data, kansa.data.evidenceBucket);
  const logBucketId = (): string => logicalId(kansa.data, kansa.data.accessLogBucket);
  const bucket = (id: string): Resource & { DeletionPolicy?: string; UpdateReplacePolicy?: string } =>
    data.findResources('AWS::S3::Bucket')[id] as Resource;
  const allBlocked = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };

  it('lives in the data stack only, with its access-log bucket', () => {
    data.resourceCountIs('AWS::S3::Bucket', 2);
    api.resourceCountIs('AWS::S3::Bucket', 0);
    expect(data.toJSON().Outputs[evidenceBucketNameOutput]).toEqual({ Value: { Ref: bucketId() } });
  });

  it('is versioned, Object-Locked with a GOVERNANCE default retention of the years from context, and retained', () => {
    expect(cdkContext.evidenceRetentionYears).toBe(10);
    expect(bucket(bucketId())).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Years: cdkContext.evidenceRetentionYears } },
        },
      },
    });
    expect(
      (bucket(bucketId()).Properties?.ObjectLockConfiguration as { Rule: { DefaultRetention: object } }).Rule.DefaultRetention,
    ).not.toHaveProperty('Days');
  });

  it('blocks public access, encrypts at rest with its customer-managed key (rotated, retained) and S3 Bucket Keys, and disables ACLs', () => {
    const keyId = logicalId(kansa.data, kansa.data.evidenceKey);
    expect(bucket(bucketId()).Properties).toMatchObject({
      PublicAccessBlockConfiguration: allBlocked,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
            BucketKeyEnabled: true,
          },
        ],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const key = data.findResources('AWS::KMS::Key')[keyId] as Resource & { DeletionPolicy?: string };
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true });
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('is named <authDomainPrefix>-evidence-<account>-<region>, so the SPA can name its host before it exists', () => {
    expect(bucket(bucketId()).Properties?.BucketName).toEqual({
      'Fn::Join': ['', [`${String(cdkContext.authDomainPrefix)}-evidence-`, { Ref: 'AWS::AccountId' }, `-${kansa.data.region}`]],
    });
    expect(() => evidenceBucketName('Kansa_Dev', 'ap-northeast-1')).toThrow(/lower-case/);
    expect(() => evidenceBucketName('k'.repeat(30), 'ap-northeast-1')).toThrow(/63 characters/);
  });

  it.each(['evidence', 'evidenceUploaded', 'auditLog'] as const)(
    'lets %s use the evidence key only through S3, with the KMS actions its bucket access needs',
    (fn) => {
      const kms = roleStatements(fn).filter((st) => [st.Action].flat().some((a) => a.startsWith('kms:')));
      expect(kms).toHaveLength(1);
      const access = [allFunctionSpecs[fn].bucket ?? []].flat();
      expect([kms[0]?.Action].flat().sort()).toEqual([...new Set(access.flatMap((a) => bucketKeyActions[a]))].sort());
      expect(kms[0]).toMatchObject({ Condition: { StringEquals: { 'kms:ViaService': `s3.${kansa.api.region}.amazonaws.com` } } });
      expect(JSON.stringify(kms[0]?.Resource)).toContain(evidenceKeyArnOutput);
    },
  );

  it.each(allFunctionNames.filter((fn) => !allFunctionSpecs[fn].bucket))('gives %s no use of the evidence key', (fn) => {
    expect(roleStatements(fn).filter((st) => [st.Action].flat().some((a) => a.startsWith('kms:')))).toEqual([]);
  });

  it.each([
    ['evidence', bucketId],
    ['access-log', logBucketId],
  ])('%s bucket denies requests without TLS', (_, id) => {
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: Match.arrayWith([{ 'Fn::GetAtt': [id(), 'Arn'] }]),
          }),
        ]),
      },
    });
  });

  it('allows CORS from the SPA origin only, for presigned POST uploads and GET downloads', () => {
    const rules = (
      bucket(bucketId()).Properties?.CorsConfiguration as { CorsRules: { AllowedOrigins: string[]; AllowedMethods: string[] }[] }
    ).CorsRules;
    expect(rules).toHaveLength(1);
    data.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: [spaOrigin()] })] },
    });
    expect([...(rules[0]?.AllowedMethods ?? [])].sort()).toEqual(['GET', 'POST']);
  });

  it('expires quarantine/ after 30 days and unverified incoming/ after 3 days (the daily evidence-pending duty sees them first), with their noncurrent versions, and aborts multipart uploads', () => {
    const rules = (bucket(bucketId()).Properties?.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Status: 'Enabled',
          Prefix: 'quarantine/',
          ExpirationInDays: 30,
          NoncurrentVersionExpiration: { NoncurrentDays: expect.any(Number) },
        }),
        expect.objectContaining({
          Status: 'Enabled',
          Prefix: 'incoming/',
          ExpirationInDays: 3,
          NoncurrentVersionExpiration: { NoncurrentDays: expect.any(Number) },
        }),
        expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      ]),
    );
    // No rule may expire anything under evidence/: every expiring rule is scoped to quarantine/ or incoming/.
    for (const rule of rules.filter((r) => 'ExpirationInDays' in r || 'NoncurrentVersionExpiration' in r || 'ExpirationDate' in r)) {
      expect(['quarantine/', 'incoming/']).toContain(rule.Prefix);
    }
  });

  it('writes server access logs to the separate log bucket, which the S3 logging service alone may write', () => {
    expect(bucket(bucketId()).Properties?.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logBucketId() },
      LogFilePrefix: expect.any(String),
    });
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId(), 'Arn'] } } }),
          }),
        ]),
      },
    });
  });

  it('keeps the access logs private, encrypted, retained and expiring after their retention', () => {
    const log = bucket(logBucketId());
    expect(log).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: allBlocked,
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      },
    });
    const rules = (log.Properties?.LifecycleConfiguration as { Rules: { ExpirationInDays?: number }[] }).Rules;
    expect(rules.some((r) => (r.ExpirationInDays ?? 0) >= 365)).toBe(true);
  });

  it('takes the retention from context (also as a string of digits from the CLI) and refuses anything but a positive integer', () => {
    const app = (evidenceRetentionYears: unknown): KansaApp =>
      createApp({ outdir, context: { ...cdkContext, evidenceRetentionYears, 'aws:cdk:bundling-stacks': [] } });
    const years = (k: KansaApp): unknown =>
      ((k.data.evidenceBucket.node.defaultChild as CfnBucket).objectLockConfiguration as { rule: { defaultRetention: { years: number } } })
        .rule.defaultRetention.years;
    expect(years(app('7'))).toBe(7);
    for (const bad of [0, -1, 1.5, '10y', '', true, 101]) expect(() => app(bad), String(bad)).toThrow(/evidenceRetentionYears/);
  });
});

describe('practices', () => {
  const app = (context: Record<string, unknown>): KansaApp =>
    createApp({ outdir, context: { ...cdkContext, ...context, 'aws:cdk:bundling-stacks': [] } });
  const practicesOf = (k: KansaApp): unknown[] =>
    Object.values(Template.fromStack(k.api).findResources('AWS::Lambda::Function')).map(
      (r) => ((r as Resource).Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.PRACTICES_JSON,
    );

  it("describes each role's group in the deployed regulation's words, and a role it lacks as such", () => {
    const groups = (k: KansaApp) =>
      Object.fromEntries(
        Object.values(Template.fromStack(k.api).findResources('AWS::Cognito::UserPoolGroup')).map((r) => [
          (r as Resource).Properties?.GroupName,
          (r as Resource).Properties?.Description,
        ]),
      );
    const koka = groups(app({ profileId: '003' }));
    expect([koka.chiefManager, koka.sectionManager, koka.affairStaff]).toEqual(['総括責任者', '事務取扱責任者', '事務取扱担当者']);
    expect([koka.auditLead, koka.sectionStaff]).toEqual(['監査責任者（この規程にない役職）', '保護担当者（この規程にない役職）']);
    expect(groups(app({ profileId: '003', practices: { audits: true } })).auditLead).toBe('監査責任者');
    expect(groups(app({ profileId: '004' })).affairStaff).toBe('事務取扱担当者（この規程にない役職）');
  });

  it('passes context `practices` (JSON from the CLI, or an object) to every function as PRACTICES_JSON', () => {
    // The bucket-notification handler of CDK has no environment of ours.
    const fromCli = practicesOf(app({ profileId: '003', practices: '{"audits":true}' })).filter((v) => v !== undefined);
    expect(fromCli).toHaveLength(allFunctionNames.length);
    expect(new Set(fromCli)).toEqual(new Set(['{"audits":true}']));
    expect(new Set(practicesOf(app({ profileId: '004', practices: { inspectionFrequency: 'yearly' } })))).toContain(
      '{"inspectionFrequency":"yearly"}',
    );
  });

  it('refuses practices that are not the schema’s, and one the regulation fixes', () => {
    for (const bad of ['{"audits":"yes"}', '{"audit":true}', 'not json', [1]])
      expect(() => app({ practices: bad }), JSON.stringify(bad)).toThrow(/cdk context "practices"/);
    // 001 has 監査 (第26条): a deployment cannot turn it off.
    expect(() => app({ profileId: '001', practices: { audits: false } })).toThrow(/PRACTICES_JSON/);
  });
});

describe('evidence notifications', () => {
  it('send ObjectCreated under incoming/ to the verifier, from the API stack, merged with other notifications', () => {
    api.resourceCountIs('Custom::S3BucketNotifications', 1);
    api.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: bucketNameRef(),
      Managed: false,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [logicalId(kansa.api, kansa.api.eventFunctions.evidenceUploaded), 'Arn'] },
          },
        ],
      },
    });
  });

  it('let only S3, for this bucket and account, invoke the verifier', () => {
    const verifier = logicalId(kansa.api, kansa.api.eventFunctions.evidenceUploaded);
    const permissions = (Object.values(api.findResources('AWS::Lambda::Permission')) as Resource[]).filter(
      (p) => JSON.stringify(p.Properties?.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [verifier, 'Arn'] }),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::Join': ['', [expect.stringMatching(/^arn:[^:]+:s3:::$/), bucketNameRef()]] },
    });
  });

  it('leave the data stack free of any reference to the API stack (no cycle)', () => {
    expect(JSON.stringify(data.toJSON())).not.toMatch(/KansaApi|Fn::ImportValue/);
    expect(kansa.api.dependencies).toContain(kansa.data);
    // Only the SPA's origin (evidence bucket CORS) comes from the web hosting stack, deployed first.
    expect(kansa.data.dependencies).toEqual([kansa.webHosting]);
  });
});

describe('evidence verifier failures', () => {
  const queueId = (): string => logicalId(kansa.api, kansa.api.verifierFailureQueue);
  const retry = eventFunctionSpecs.evidenceUploaded.asyncRetry;

  it('retry as the spec says, then go to an on-failure queue instead of being dropped', () => {
    expect(retry).toEqual({ attempts: 2, maxEventAgeMinutes: 60 });
    api.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(kansa.api, kansa.api.eventFunctions.evidenceUploaded) },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: retry.attempts,
      MaximumEventAgeInSeconds: retry.maxEventAgeMinutes * 60,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } } },
    });
    api.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    // Only the verifier may send to it.
    const senders = (Object.values(api.findResources('AWS::IAM::Policy')) as Resource[]).filter((p) =>
      ((p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement ?? []).some((st) =>
        JSON.stringify(st.Resource).includes(`"${queueId()}"`),
      ),
    );
    expect(senders.map((p) => JSON.stringify(p.Properties?.Roles))).toEqual([
      JSON.stringify([{ Ref: logicalId(kansa.api, fnOf('evidenceUploaded').role as never) }]),
    ]);
    expect(actionsOf(roleStatements('evidenceUploaded').filter((st) => JSON.stringify(st.Resource).includes(`"${queueId()}"`)))).toContain(
      'sqs:SendMessage',
    );
  });

  it('the queue is encrypted, SSL only, and keeps messages 14 days (its alarm: test/infra/monitoring.test.ts)', () => {
    expect((api.findResources('AWS::SQS::Queue')[queueId()] as Resource).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    api.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(api.toJSON().Outputs.EvidenceVerifierFailureQueueUrl).toMatchObject({ Value: { Ref: queueId() } });
  });
});

describe('cdk-nag AwsSolutions and Serverless', () => {
  it('reports no unacknowledged finding (error or warning) and no template validation finding', () => {
    // The one warning of cdk.json's context: no alarmEmail (test/infra/monitoring.test.ts).
    expect(validationFindings(assemblyDir, { ignore: ['Annotation::kansa:alarmEmail'] })).toEqual([]);
    expect(unacknowledgedRules(kansa.app)).toEqual([]);
  });

  it('acknowledges only the listed findings, each on its own resource, with a reason', () => {
    const acknowledged = [data, api].flatMap((t) =>
      Object.entries(t.toJSON().Resources as Record<string, Resource>).flatMap(([id, r]) => {
        const nag = r.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined;
        return (nag?.rules_to_suppress ?? []).map((rule) => ({ rule: rule.id, reason: rule.reason, resource: id }));
      }),
    );
    const health = Object.keys(api.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: 'GET /health' } }));
    const policyOf = (fn: AnyFunction): string => logicalId(kansa.api, fnOf(fn).role?.node.findChild('DefaultPolicy') as never);
    const handlerRole = (api.findResources('AWS::Lambda::Function')[notificationsHandlerId()] as Resource).Properties?.Role as {
      'Fn::GetAtt': [string, string];
    };
    const iam5 = (prefix: string) =>
      expect.stringMatching(
        new RegExp(
          `^AwsSolutions-IAM5\\[Resource::arn:[^:]+:s3:::\\{"Fn::GetStackOutput":.*"OutputName":"${evidenceBucketNameOutput}"\\}\\}/${prefix}/\\*\\]$`,
        ),
      );
    const reason = (text: RegExp) => expect.stringMatching(text);
    const expected = [
      { rule: 'AwsSolutions-APIG4', reason: reason(/^GET \/health: .{20,}/), resource: health[0] },
      { rule: 'AwsSolutions-S1', reason: reason(/access logs.{20,}/), resource: logicalId(kansa.data, kansa.data.accessLogBucket) },
      {
        rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: reason(/BucketNotificationsHandler.{20,}/),
        resource: handlerRole['Fn::GetAtt'][0],
      },
      {
        rule: iam5('incoming'),
        reason: reason(/^s3:PutObject, s3:PutObjectRetention on incoming\/\* only: .{20,}/),
        resource: policyOf('evidence'),
      },
      { rule: iam5('evidence'), reason: reason(/^s3:GetObject on evidence\/\* only: .{20,}/), resource: policyOf('evidence') },
      {
        rule: iam5('incoming'),
        reason: reason(
          /^s3:GetObject, s3:GetObjectVersion on incoming\/\* only: .{20,} s3:DeleteObject, s3:DeleteObjectVersion, s3:BypassGovernanceRetention on incoming\/\* only: .{20,}/,
        ),
        resource: policyOf('evidenceUploaded'),
      },
      {
        rule: 'AwsSolutions-SQS3',
        reason: reason(/^This queue IS a dead-letter queue: the evidence verifier's on-failure destination.{20,}/),
        resource: logicalId(kansa.api, kansa.api.verifierFailureQueue),
      },
      {
        rule: iam5('evidence'),
        reason: reason(/^s3:PutObject on evidence\/\* only: .{20,}/),
        resource: policyOf('evidenceUploaded'),
      },
      {
        rule: iam5('quarantine'),
        reason: reason(/^s3:PutObject, s3:PutObjectRetention on quarantine\/\* only: .{20,}/),
        resource: policyOf('evidenceUploaded'),
      },
      { rule: iam5('anchors'), reason: reason(/^s3:GetObject on anchors\/\* only: .{20,}/), resource: policyOf('auditLog') },
      // The break-glass role (test/infra/data-protection.test.ts): on evidence/* and anchors/*, each with its reason.
      ...['evidence', 'anchors'].map((prefix) => ({
        rule: `AwsSolutions-IAM5[Resource::<${logicalId(kansa.data, kansa.data.evidenceBucket)}.Arn>/${prefix}/*]`,
        reason: reason(new RegExp(`^Break-glass role, on ${prefix}/\\* only: .{20,}`)),
        resource: logicalId(kansa.data, kansa.data.breakGlassRole?.node.findChild('DefaultPolicy') as never),
      })),
      // AWS Backup's own policies on the backup role, each with its reason.
      ...[
        'service-role/AWSBackupServiceRolePolicyForBackup',
        'service-role/AWSBackupServiceRolePolicyForRestores',
        'AWSBackupServiceRolePolicyForS3Backup',
        'AWSBackupServiceRolePolicyForS3Restore',
      ].map((policy) => ({
        rule: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
        reason: reason(new RegExp(`^${policy.replace('service-role/', '')}: .{20,}`)),
        resource: logicalId(kansa.data, kansa.data.backup.role),
      })),
      {
        rule: 'Serverless-SQSRedrivePolicy',
        reason: reason(/^This queue is itself the last stop of failed verifier events.{20,}/),
        resource: logicalId(kansa.api, kansa.api.verifierFailureQueue),
      },
      // Every function: X-Ray's write actions on * (active tracing), and no DLQ: the HTTP functions are invoked
      // synchronously, the verifier's failed asynchronous invocations go to its on-failure queue.
      ...allFunctionNames.flatMap((fn) => [
        { rule: xrayAck.id, reason: xrayAck.reason, resource: policyOf(fn) },
        {
          rule: 'Serverless-LambdaDLQ',
          reason: reason(
            fn in functionSpecs
              ? /^Invoked only synchronously, by the HTTP API: .{20,}/
              : /^Asynchronous invocations that still fail .{20,}/,
          ),
          resource: logicalId(kansa.api, fnOf(fn)),
        },
      ]),
    ];
    expect(acknowledged).toHaveLength(expected.length);
    expect(acknowledged).toEqual(expect.arrayContaining(expected));
  });
});
