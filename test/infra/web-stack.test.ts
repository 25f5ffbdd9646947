import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cdkContext,
  noBundling,
  only,
  reportFindingsInsteadOfThrowing,
  type Resource,
  validationFindings,
  webDistStandIn,
} from '#test/support/infra.js';
import { createApp, type KansaApp } from '#cdk/app.js';
import { webOutputs } from '#cdk/stacks/web-stack.js';

let outdir: string;
let dist: string;
let kansa: KansaApp;
let hosting: Template;
let content: Template;
let api: Template;
let data: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'kansa-web-infra-'));
  // A stand-in for web/dist, so this test does not need a real build.
  dist = webDistStandIn();
  // Functions are not bundled (test/infra/stack.test.ts covers them): only the web stacks' assets are staged.
  kansa = createApp({ outdir, context: { ...cdkContext, webDist: dist, ...noBundling, ...reportFindingsInsteadOfThrowing } });
  kansa.app.synth();
  hosting = Template.fromStack(kansa.webHosting);
  content = Template.fromStack(kansa.webContent);
  api = Template.fromStack(kansa.api);
  data = Template.fromStack(kansa.data);
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  if (dist) rmSync(dist, { recursive: true, force: true });
});

/** The distribution's domain as another stack refers to it (CDK's weak cross-stack reference). */
const distributionDomainRef = Match.objectLike({
  'Fn::GetStackOutput': Match.objectLike({
    StackName: 'KansaWebHosting',
    OutputName: Match.stringLikeRegexp('^PublishOutputFnGetAttDistribution.*DomainName'),
  }),
});
const origin = (suffix = '') => ({ 'Fn::Join': ['', ['https://', distributionDomainRef, ...(suffix ? [suffix] : [])]] });

describe('web hosting: private bucket behind CloudFront', () => {
  it('keeps the site bucket private: Block Public Access, SSL only, encrypted, access-logged', () => {
    const site = hosting.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } }) as Record<
      string,
      Resource
    >;
    const [siteId, bucket] = Object.entries(site)[0] as [string, Resource];
    expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties?.BucketEncryption).toBeDefined();
    expect(bucket.Properties?.WebsiteConfiguration).toBeUndefined();
    hosting.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: siteId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          // Only CloudFront, signed with Origin Access Control, for this distribution, may read.
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    const statements = (Object.values(hosting.findResources('AWS::S3::BucketPolicy')) as Resource[]).flatMap(
      (p) => p.Properties?.PolicyDocument.Statement as { Effect: string; Principal: unknown }[],
    );
    expect(statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('"*"'))).toEqual([]);
  });

  it('reads the bucket through Origin Access Control (no OAI), HTTPS only, with index.html as root', () => {
    const [oacId, oac] = only(hosting, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties?.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const [, distribution] = only(hosting, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties?.DistributionConfig;
    // The site bucket and the HTTP API (/api/*, test/infra/same-origin.test.ts).
    expect(config.Origins).toHaveLength(2);
    const site = (config.Origins as { Id: string }[]).find((o) => o.Id === config.DefaultCacheBehavior.TargetOriginId) as Record<
      string,
      unknown
    >;
    expect(site.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(site.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Logging).toMatchObject({ Prefix: 'cloudfront/' });
  });

  it('answers a reload of an app route with index.html, by a function on the default behavior only (never on the API)', () => {
    const [fnId, fn] = only(hosting, 'AWS::CloudFront::Function');
    const [, distribution] = only(hosting, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties?.DistributionConfig;
    // Distribution-wide error responses would turn the API's 403 and 404 into the app's page.
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } },
    ]);
    expect(config.CacheBehaviors.map((b: Record<string, unknown>) => b.FunctionAssociations)).toEqual([undefined]);
    // The function's own code, run as CloudFront runs it: handler(event) → request.
    const handler = new Function(`${fn.Properties?.FunctionCode as string}; return handler;`)() as (e: unknown) => { uri: string };
    const uriOf = (uri: string) => handler({ request: { uri } }).uri;
    for (const app of ['/', '/plans/01HZZZZZZZZZZZZZZZZZZZZZZZ', '/auth/callback', '/signed-out'])
      expect(uriOf(app), app).toBe('/index.html');
    for (const file of ['/config.json', '/assets/index-AbC123.js', '/index.html', '/api']) expect(uriOf(file), file).toBe(file);
  });

  it('adds HSTS, a CSP limited to the app (with its API), Cognito and the evidence bucket, nosniff, frame DENY and a referrer policy', () => {
    const [policyId, policy] = only(hosting, 'AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties?.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true });
    // The evidence bucket's name holds the account id: the CSP is a join around it.
    const join = headers.ContentSecurityPolicy.ContentSecurityPolicy as { 'Fn::Join': [string, (string | { Ref: string })[]] };
    const csp = join['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : `<${p.Ref}>`)).join('');
    const directive = (name: string) =>
      csp
        .split('; ')
        .find((d) => d.startsWith(`${name} `))
        ?.split(' ')
        .slice(1);
    const region = kansa.webHosting.region;
    expect(directive('default-src')).toEqual(["'self'"]);
    expect(directive('script-src')).toEqual(["'self'"]);
    expect(directive('frame-ancestors')).toEqual(["'none'"]);
    const bucketHost = `https://${String(cdkContext.authDomainPrefix)}-evidence-<AWS::AccountId>-${region}.s3.${region}.amazonaws.com`;
    expect(directive('connect-src')).toEqual([
      "'self'",
      bucketHost,
      `https://cognito-idp.${region}.amazonaws.com`,
      `https://${String(cdkContext.authDomainPrefix)}.auth.${region}.amazoncognito.com`,
    ]);
    expect(directive('img-src')).toEqual(["'self'", 'data:', 'blob:', bucketHost]);
    expect(csp).not.toContain('*');
    const [, distribution] = only(hosting, 'AWS::CloudFront::Distribution');
    expect(distribution.Properties?.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });
});

describe('web content: the build and its config.json', () => {
  const deployments = () => Object.values(content.findResources('Custom::CDKBucketDeployment')) as Resource[];
  const staged = (key: string) => join(outdir, `asset.${key.replace(/\.zip$/, '')}`);

  it('deploys hashed assets cached for a year and the pages revalidated, into the site bucket, then invalidates', () => {
    const [assets, pages] = [...deployments()].sort((a) => (a.Properties?.DistributionId ? 1 : -1));
    const siteBucket = {
      'Fn::GetStackOutput': { StackName: 'KansaWebHosting', Region: kansa.webHosting.region, OutputName: webOutputs.siteBucketName },
    };
    expect(assets?.Properties).toMatchObject({
      DestinationBucketName: siteBucket,
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(pages?.Properties).toMatchObject({
      DestinationBucketName: siteBucket,
      Prune: false,
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/*'],
    });
    const [assetsDir] = (assets?.Properties?.SourceObjectKeys as string[]).map(staged);
    expect(readdirSync(assetsDir as string)).toEqual(['assets']);
    const [pagesDir] = (pages?.Properties?.SourceObjectKeys as string[]).map(staged);
    expect(readdirSync(pagesDir as string)).toEqual(['index.html']);
  });

  it("writes config.json with the API at /api of the same origin, the user pool issuer, the SPA client and Cognito's /logout and /oauth2/revoke, in the shape npm start serves", () => {
    const pages = deployments().find((d) => d.Properties?.SourceMarkers);
    const keys = pages?.Properties?.SourceObjectKeys as string[];
    const configDir = keys.map(staged).find((dir) => existsSync(join(dir, 'config.json')));
    expect(configDir).toBeDefined();
    const markers = (pages?.Properties?.SourceMarkers as Record<string, unknown>[])[
      keys.indexOf(`${(configDir as string).split('asset.')[1]}.zip`)
    ] as Record<string, unknown>;
    const raw = readFileSync(join(configDir as string, 'config.json'), 'utf8');
    const resolved = JSON.parse(
      raw.replace(/<<marker:0xbaba:\d+>>/g, (m) => `«${JSON.stringify(markers[m])}»`.replace(/"/g, "'")),
    ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- read back as JSON
    const apiOutput = (pattern: string) =>
      expect.stringMatching(new RegExp(`^«\\{'Fn::GetStackOutput':\\{'StackName':'KansaApi',.*'OutputName':'PublishOutput${pattern}`));
    expect(resolved).toEqual({
      apiBaseUrl: '/api',
      oidc: {
        authority: apiOutput('FnGetAttUserPool[0-9A-F]+ProviderURL'),
        clientId: apiOutput('RefUserPoolSpaClient'),
        scope: 'openid profile email',
        logoutEndpoint: expect.stringMatching(/^https:\/\/«.*RefUserPoolDomain.*»\.auth\.ap-northeast-1\.amazoncognito\.com\/logout$/),
        revocationEndpoint: expect.stringMatching(
          /^https:\/\/«.*RefUserPoolDomain.*»\.auth\.ap-northeast-1\.amazoncognito\.com\/oauth2\/revoke$/,
        ),
      },
      environment: 'aws',
    });
  });

  it('fails with a clear message when the SPA has not been built', () => {
    const missing = join(outdir, 'no-dist');
    expect(() => createApp({ outdir, context: { ...cdkContext, webDist: missing, 'aws:cdk:bundling-stacks': [] } })).toThrow(
      /index\.html is missing: build the SPA first with "npm run build"/,
    );
  });
});

describe('the SPA origin everywhere else', () => {
  it("is the API's own origin: the HTTP API allows no other (no CORS)", () => {
    const [, httpApi] = only(hosting, 'AWS::ApiGatewayV2::Api');
    expect(httpApi.Properties?.CorsConfiguration).toBeUndefined();
    api.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
  });

  it("is where Cognito returns after sign-in and sign-out, and the only origin of the evidence bucket's CORS", () => {
    api.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [origin('/auth/callback')],
      LogoutURLs: [origin('/signed-out')],
    });
    data.hasResourceProperties('AWS::S3::Bucket', { CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: [origin()] })] } });
  });
});

describe('cdk-nag AwsSolutions and Serverless on the web stacks', () => {
  it('reports no unacknowledged finding in them', () => {
    expect(validationFindings(outdir, { under: 'KansaWeb' })).toEqual([]);
  });

  it("acknowledges only CloudFront without WAF/geo restriction/custom certificate, the log bucket, and CDK's deployment handler (also its runtime, DLQ and tracing), each with a reason", () => {
    const acknowledged = [hosting, content].flatMap((t) =>
      Object.values(t.toJSON().Resources as Record<string, Resource>).flatMap((r) => {
        const nag = r.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined;
        return (nag?.rules_to_suppress ?? []).map((rule) => ({ type: r.Type, rule: rule.id, reason: rule.reason }));
      }),
    );
    for (const a of acknowledged) expect(a.reason.length, a.rule).toBeGreaterThan(40);
    const rules = acknowledged.map((a) => `${a.type} ${a.rule.replace(/\[.*\]$/, '')}`);
    expect([...new Set(rules)].sort()).toEqual([
      'AWS::CloudFront::Distribution AwsSolutions-CFR1',
      'AWS::CloudFront::Distribution AwsSolutions-CFR2',
      'AWS::CloudFront::Distribution AwsSolutions-CFR4',
      'AWS::IAM::Policy AwsSolutions-IAM5',
      'AWS::IAM::Role AwsSolutions-IAM4',
      'AWS::Lambda::Function AwsSolutions-L1',
      'AWS::Lambda::Function Serverless-LambdaDLQ',
      'AWS::Lambda::Function Serverless-LambdaLatestVersion',
      'AWS::Lambda::Function Serverless-LambdaTracing',
      'AWS::S3::Bucket AwsSolutions-S1',
    ]);
    expect(acknowledged.find((a) => a.rule === 'AwsSolutions-S1')?.reason).toMatch(/access logs/);
    expect(acknowledged.filter((a) => a.rule.startsWith('AwsSolutions-IAM5')).map((a) => a.reason)).toEqual(
      Array(8).fill(expect.stringMatching(/^CDK's BucketDeployment handler/)),
    );
  });
});
