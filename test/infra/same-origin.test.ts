import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdkContext, noBundling, only, reportFindingsInsteadOfThrowing, type Resource, webDistStandIn } from '#test/support/infra.js';
import { quietly } from '#test/support/quiet-synth.js';
import { createApp, type KansaApp } from '#cdk/app.js';
import { routeList } from '#lib/http/routes.js';

/**
 * The same-origin SPA: CloudFront serves the app and forwards `/api/*` to the HTTP API's
 * stage `api`; the bare HTTP API lives in the hosting stack (deployed first), the API
 * stack adds its stage and routes; no CORS on the API; the CSP names exact hosts only;
 * Permissions-Policy restricts the camera to the app.
 */
let outdir: string;
let dist: string;
let kansa: KansaApp;
let hosting: Template;
let api: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'kansa-same-origin-'));
  dist = webDistStandIn();
  kansa = quietly(() =>
    createApp({ outdir, context: { ...cdkContext, webDist: dist, ...noBundling, ...reportFindingsInsteadOfThrowing } }),
  );
  kansa.app.synth();
  hosting = Template.fromStack(kansa.webHosting);
  api = Template.fromStack(kansa.api);
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  if (dist) rmSync(dist, { recursive: true, force: true });
});

const resources = (t: Template, type: string): [string, Resource][] => Object.entries(t.findResources(type) as Record<string, Resource>);

/** The hosting stack's HTTP API id as the API stack reads it (CDK's weak cross-stack reference). */
const hostedApiId = () => {
  const [apiId] = only(hosting, 'AWS::ApiGatewayV2::Api');
  return {
    'Fn::GetStackOutput': {
      StackName: 'KansaWebHosting',
      Region: kansa.webHosting.region,
      OutputName: expect.stringMatching(new RegExp(`^PublishOutputRef${apiId}`)),
    },
  };
};

describe('the HTTP API: created bare in the hosting stack, staged and routed by the API stack', () => {
  it('lives in the hosting stack without CORS, routes or stages', () => {
    const [, httpApi] = only(hosting, 'AWS::ApiGatewayV2::Api');
    expect(httpApi.Properties).toMatchObject({ ProtocolType: 'HTTP' });
    expect(httpApi.Properties?.CorsConfiguration).toBeUndefined();
    hosting.resourceCountIs('AWS::ApiGatewayV2::Route', 0);
    hosting.resourceCountIs('AWS::ApiGatewayV2::Stage', 0);
    api.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
  });

  it('has the one stage `api` (no $default), throttled and access-logged, in the API stack', () => {
    const [, stage] = only(api, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({
      ApiId: hostedApiId(),
      StageName: 'api',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] }, Format: expect.stringContaining('routeKey') },
    });
  });

  it('carries every route, the JWT authorizer and every integration on that API', () => {
    const routes = resources(api, 'AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(routeList.length);
    for (const type of ['AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Authorizer', 'AWS::ApiGatewayV2::Integration']) {
      for (const [id, r] of resources(api, type)) expect(r.Properties?.ApiId, `${type} ${id}`).toEqual(hostedApiId());
    }
  });

  it('outputs the stage URL <endpoint>/api', () => {
    const apiUrl = (api.toJSON().Outputs as Record<string, { Value: unknown }>).ApiUrl?.Value;
    expect(apiUrl).toEqual({
      'Fn::Join': [
        '',
        [
          {
            'Fn::GetStackOutput': expect.objectContaining({
              StackName: 'KansaWebHosting',
              OutputName: expect.stringMatching(/^PublishOutputFnGetAttHttpApi[0-9A-F]+ApiEndpoint/),
            }),
          },
          '/api',
        ],
      ],
    });
  });
});

describe('CloudFront in front of both', () => {
  it('forwards /api/* unchanged to the HTTP API over HTTPS only, uncached, with every viewer header but Host and every method', () => {
    const [apiId] = only(hosting, 'AWS::ApiGatewayV2::Api');
    const [headersId] = only(hosting, 'AWS::CloudFront::ResponseHeadersPolicy');
    const [, distribution] = only(hosting, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties?.DistributionConfig;
    expect(config.CacheBehaviors).toHaveLength(1);
    const behavior = config.CacheBehaviors[0];
    expect(behavior).toMatchObject({
      PathPattern: '/api/*',
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      // The same security headers as the app's responses.
      ResponseHeadersPolicyId: { Ref: headersId },
    });
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: headersId });
    const origin = (config.Origins as { Id: string }[]).find((o) => o.Id === behavior.TargetOriginId) as Record<string, unknown>;
    expect(origin).toEqual({
      Id: behavior.TargetOriginId,
      DomainName: { 'Fn::Join': ['', [{ Ref: apiId }, `.execute-api.${kansa.webHosting.region}.`, { Ref: 'AWS::URLSuffix' }]] },
      // No OriginPath: /api/plans reaches stage `api`, route GET /plans.
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
  });

  it('restricts the camera to the app and turns off what it never uses (Permissions-Policy)', () => {
    const [, policy] = only(hosting, 'AWS::CloudFront::ResponseHeadersPolicy');
    const custom = policy.Properties?.ResponseHeadersPolicyConfig.CustomHeadersConfig.Items as Record<string, unknown>[];
    const header = custom.find((h) => h.Header === 'Permissions-Policy');
    expect(header?.Override).toBe(true);
    const features = String(header?.Value).split(', ');
    expect(features).toEqual(expect.arrayContaining(['camera=(self)', 'microphone=()', 'geolocation=()', 'payment=()', 'usb=()']));
  });

  it('lets the CSP name no wildcard host, and no API host but its own origin', () => {
    const [, policy] = only(hosting, 'AWS::CloudFront::ResponseHeadersPolicy');
    const csp = JSON.stringify(policy.Properties?.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);
    expect(csp).not.toContain('*');
    expect(csp).not.toContain('execute-api');
  });
});
