import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type KansaApp } from '#cdk/app.js';
import { functionRuntime, repoRoot, tableActions } from '#cdk/constructs/app-function.js';
import { roles } from '#lib/domain/roles.js';
import { functionNames, functionSpecs, type FunctionName, routeKey, routeList } from '#lib/http/routes.js';
import { tableDesign } from '#lib/store/table-design.js';

type Resource = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const cdkContext = (JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
  .context;

let outdir: string;
let kansa: KansaApp;
let assemblyDir: string;
let api: Template;
let data: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'kansa-infra-'));
  const reportFindingsInsteadOfThrowing = { '@aws-cdk/core:failSynthOnValidationErrors': false };
  kansa = createApp({ outdir, context: { ...cdkContext, ...reportFindingsInsteadOfThrowing } });
  assemblyDir = kansa.app.synth().directory;
  api = Template.fromStack(kansa.api);
  data = Template.fromStack(kansa.data);
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** The dynamodb statements of every policy attached to a function's role. */
function dynamoStatements(fn: FunctionName): Statement[] {
  const role = kansa.api.functions[fn].role;
  if (!role) throw new Error(`${fn} has no role`);
  const roleId = logicalId(kansa.api, role);
  const policies = Object.values(api.findResources('AWS::IAM::Policy')) as Resource[];
  return policies
    .filter((p) => JSON.stringify(p.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
}

const actionsOf = (statements: Statement[]): string[] => [...new Set(statements.flatMap((s) => [s.Action].flat()))].sort();

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

  it('allows CORS from the SPA origin only and writes access logs to a retained log group', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [cdkContext.spaOrigin],
        AllowHeaders: Match.arrayWith(['authorization', 'if-match']),
        ExposeHeaders: Match.arrayWith(['etag']),
      }),
    });
    const logGroup = new Capture();
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
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
  });

  it('has a public SPA client: code grant only, no direct sign-in flow, no attribute the user could write', () => {
    api.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayEquals(['openid', 'email', 'profile']),
      CallbackURLs: cdkContext.callbackUrls,
      LogoutURLs: cdkContext.logoutUrls,
      WriteAttributes: [],
    });
  });
});

describe('functions', () => {
  it('are one per function spec, on arm64 and the chosen runtime, with source maps', () => {
    api.resourceCountIs('AWS::Lambda::Function', functionNames.length);
    api.allResourcesProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: functionRuntime.name,
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps', PROFILE_ID: cdkContext.profileId }),
      },
    });
  });

  it.each([...functionNames])('%s logs to its own log group with retention', (fn) => {
    const logGroup = new Capture();
    api.hasResourceProperties('AWS::Lambda::Function', {
      Description: functionSpecs[fn].description,
      LoggingConfig: { LogGroup: { Ref: logGroup } },
    });
    expect(logGroup.asString()).toBe(logicalId(kansa.api, kansa.api.functions[fn].logGroup));
    expect(api.findResources('AWS::Logs::LogGroup')[logGroup.asString()]?.Properties).toMatchObject({
      RetentionInDays: expect.any(Number),
    });
  });

  it.each([...functionNames])('%s gets TABLE_NAME only when it uses the table', (fn) => {
    const fnId = logicalId(kansa.api, kansa.api.functions[fn]);
    const vars = (api.findResources('AWS::Lambda::Function')[fnId] as Resource).Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    expect('TABLE_NAME' in vars.Variables).toBe(functionSpecs[fn].table !== 'none');
  });

  it('use no AWS managed policy', () => {
    for (const role of Object.values(api.findResources('AWS::IAM::Role')) as Resource[]) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
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
    for (const fn of functionNames) {
      const resources = JSON.stringify(dynamoStatements(fn).map((s) => s.Resource));
      expect(resources).not.toContain('*');
      for (const i of functionSpecs[fn].table === 'none' ? [] : tableDesign.indexes) {
        expect(resources).toContain(`/index/${i.indexName}`);
      }
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  interface Report {
    pluginReports: {
      pluginName: string;
      violations: { ruleName: string; severity?: string; violatingConstructs?: { constructPath: string }[] }[];
    }[];
  }

  it('reports no unacknowledged finding (error or warning) and no template validation finding', () => {
    const file = join(assemblyDir, 'validation-report.json');
    expect(existsSync(file)).toBe(true);
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    const findings = report.pluginReports.flatMap((p) =>
      p.violations.map((v) => `${p.pluginName} ${v.severity ?? ''} ${v.ruleName} at ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`),
    );
    expect(findings).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(kansa.app).violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('acknowledges only APIG4 on the GET /health route, with a reason', () => {
    const acknowledged = [data, api].flatMap((t) =>
      Object.entries(t.toJSON().Resources as Record<string, Resource>).flatMap(([id, r]) => {
        const nag = r.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined;
        return (nag?.rules_to_suppress ?? []).map((rule) => ({ rule: rule.id, reason: rule.reason, resource: id }));
      }),
    );
    const health = Object.keys(api.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: 'GET /health' } }));
    expect(acknowledged).toEqual([
      { rule: 'AwsSolutions-APIG4', reason: expect.stringMatching(/^GET \/health: .{20,}/), resource: health[0] },
    ]);
  });
});
