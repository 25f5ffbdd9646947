import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  type CfnDistribution,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { Construct } from 'constructs';
import { apiStage } from '#lib/http/routes.js';
import { type SpaConfig, permissionsPolicy } from '#lib/web-config.js';
import { evidenceBucketHost } from './data-stack.js';

/** The hosting stack's outputs that the content stack reads by name. */
export const webOutputs = {
  siteBucketName: 'SiteBucketName',
  distributionId: 'DistributionId',
  distributionDomainName: 'DistributionDomainName',
} as const;

/** Props of {@link WebHostingStack}. */
export interface WebHostingStackProps extends StackProps {
  /** Prefix of the Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`), which the SPA calls for tokens. */
  authDomainPrefix: string;
}

/**
 * The hosts the SPA talks to besides its own origin (which serves the API under `/api`),
 * each exact: the evidence bucket's regional host (presigned POST uploads, previews and
 * downloads; its name is fixed, so no reference to the data stack), Cognito's user-pool
 * host (discovery, keys) and the pool's domain (token and revocation endpoints).
 */
export function spaConnectOrigins(region: string, authDomainPrefix: string): string[] {
  return [
    `https://${evidenceBucketHost(authDomainPrefix, region)}`,
    `https://cognito-idp.${region}.amazonaws.com`,
    `https://${authDomainPrefix}.auth.${region}.amazoncognito.com`,
  ];
}

/**
 * The SPA fallback on the app's paths: a path whose last segment has no file extension
 * (`/`, `/plans/01H…`, `/auth/callback`) is answered with `/index.html`; files
 * (`/config.json`, `/assets/*`) are asked of S3 as they are. On the viewer request of the
 * default behavior only, so it never touches `/api/*` (a distribution-wide custom error
 * response would turn the API's 403 and 404 into the app's page).
 */
const spaFallbackCode = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (request.uri !== '/${apiStage}' && last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * The SPA's hosting and the API's front door: a private bucket (no public access, SSL
 * only, encrypted, access logs) behind CloudFront with Origin Access Control, HTTPS only
 * (TLS 1.2+ where CloudFront lets us choose), security headers on every response, the SPA
 * fallback (a CloudFront Function: app paths → `/index.html`), and `/api/*` forwarded
 * unchanged to the HTTP API's stage `api` (no caching, every viewer header but Host),
 * so the SPA calls only its own origin and the API needs no CORS.
 *
 * The HTTP API itself (no routes, no stage, no CORS) is created here, not in the API
 * stack: the distribution needs its id, while the API stack needs the distribution's
 * origin (Cognito's redirect URLs) and the data stack (its functions). The API stack adds
 * the stage, authorizer, integrations and routes to it. Deployed first.
 */
export class WebHostingStack extends Stack {
  readonly bucket: IBucket;
  readonly distribution: Distribution;
  /** The bare HTTP API, the distribution's `/api/*` origin; the API stack adds its stage and routes. */
  readonly httpApi: HttpApi;
  /** `https://<distribution domain>`: the SPA's origin. */
  readonly origin: string;
  readonly logBucket: Bucket;

  constructor(scope: Construct, id: string, props: WebHostingStackProps) {
    super(scope, id, props);

    const logBucket = new Bucket(this, 'WebLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logBucket.node.defaultChild as CfnBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the access logs of the SPA bucket and of CloudFront; logging its own access would log the logs.',
    });

    const bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      versioned: false,
      // Only built files (BucketDeployment rewrites them): nothing to keep.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data: blob: https://${evidenceBucketHost(props.authDomainPrefix, this.region)}`,
      `connect-src 'self' ${spaConnectOrigins(this.region, props.authDomainPrefix).join(' ')}`,
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      'upgrade-insecure-requests',
    ].join('; ');
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'kansa SPA: HSTS, CSP, nosniff, frame DENY, referrer policy, permissions policy',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
      // Not among CloudFront's security headers: a custom header.
      customHeadersBehavior: { customHeaders: [{ header: 'Permissions-Policy', value: permissionsPolicy, override: true }] },
    });

    const httpApi = new HttpApi(this, 'HttpApi', { description: 'kansa API', createDefaultStage: false });
    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      comment: 'kansa SPA: app paths without a file extension get /index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(spaFallbackCode),
    });

    const distribution = new Distribution(this, 'Distribution', {
      comment: 'kansa SPA',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        // A reload on /plans/01H… would ask S3 for a key that does not exist: answer with the app.
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // The API, unchanged (`/api/plans` is route GET /plans of stage `api`), never cached,
        // with the viewer's Authorization, If-Match, Idempotency-Key and the rest (not Host,
        // which must be the API's own).
        [`/${apiStage}/*`]: {
          origin: new HttpOrigin(`${httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
          compress: false,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(distribution.node.defaultChild as CfnDistribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Staff of the local government sign in from their offices, from home and on business trips; access is limited by Cognito sign-in with MFA, not by country.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL by default: it must live in us-east-1 and is billed per deployment. The distribution serves the static SPA and forwards /api/* to the HTTP API, where every route but GET /health needs a Cognito JWT (MFA) and the stage throttles to 50 requests/s (burst 100); personal information is only returned to signed-in staff. A municipality that wants rate-based or managed rules attaches a web ACL to this distribution (webAclId).',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate does not let the minimum TLS version be chosen (CloudFront negotiates TLS 1.2+ with current browsers); set minimumProtocolVersion TLSv1.2_2021 together with a custom domain and its ACM certificate.',
      },
    );

    this.bucket = bucket;
    this.distribution = distribution;
    this.httpApi = httpApi;
    this.logBucket = logBucket;
    this.origin = `https://${distribution.distributionDomainName}`;
    new CfnOutput(this, 'AppUrl', { value: `${this.origin}/` });
    new CfnOutput(this, webOutputs.siteBucketName, { value: bucket.bucketName });
    new CfnOutput(this, webOutputs.distributionId, { value: distribution.distributionId });
    new CfnOutput(this, webOutputs.distributionDomainName, { value: distribution.distributionDomainName });
  }
}

/** Props of {@link WebContentStack}. */
export interface WebContentStackProps extends StackProps {
  hosting: WebHostingStack;
  /** The built SPA (`web/dist`, made by `npm run build`). */
  distDir: string;
  config: SpaConfig;
}

const deploymentHandler =
  "CDK's BucketDeployment handler (a singleton Lambda that copies the built SPA into the site bucket during deployments only; created by aws-cdk-lib, not invoked by users)";

/**
 * The SPA's files and its generated `config.json` (the API at `/api`, Cognito issuer and client),
 * deployed after the API stack so they can name its outputs. Hashed `/assets/*` are
 * cached for a year; `index.html` and `config.json` are revalidated on every load. The
 * distribution is invalidated after each deployment. The site bucket and distribution
 * are read from the hosting stack's fixed outputs (`Fn::GetStackOutput`), so the
 * handler's grants name them the same at construction and in the template.
 */
export class WebContentStack extends Stack {
  constructor(scope: Construct, id: string, props: WebContentStackProps) {
    super(scope, id, props);
    if (!existsSync(join(props.distDir, 'index.html'))) {
      throw new Error(`${props.distDir}/index.html is missing: build the SPA first with "npm run build" (the web stack deploys web/dist)`);
    }
    const { hosting } = props;
    this.addStackDependency(hosting, 'site bucket and distribution (Fn::GetStackOutput)');
    const output = (name: string) => Fn.getStackOutput(hosting.stackName, name, hosting.region);
    const bucket = Bucket.fromBucketAttributes(this, 'SiteRef', { bucketName: output(webOutputs.siteBucketName) });
    const distribution = Distribution.fromDistributionAttributes(this, 'DistributionRef', {
      distributionId: output(webOutputs.distributionId),
      domainName: output(webOutputs.distributionDomainName),
    });

    const assets = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(props.distDir, { exclude: ['*', '!assets', '!assets/**'] })],
      destinationBucket: bucket,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
      memoryLimit: 256,
    });
    const pages = new BucketDeployment(this, 'Pages', {
      sources: [
        Source.asset(props.distDir, { exclude: ['assets', 'assets/**', '.vite', '.vite/**', 'config.json'] }),
        Source.jsonData('config.json', props.config),
      ],
      destinationBucket: bucket,
      cacheControl: [CacheControl.noCache()],
      prune: false,
      distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    // index.html names the hashed assets: they must be there first.
    pages.node.addDependency(assets);

    // Both deployments share CDK's singleton handler (same memory size): one function, one role.
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const role = pages.handlerRole.node.defaultChild;
    const policy = pages.handlerRole.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (!handler?.node.defaultChild || !role || !policy) throw new Error("CDK's BucketDeployment handler or its role was not found");
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${deploymentHandler}: the basic execution role lets it write only its CloudWatch logs.`,
    });
    Validations.of(handler.node.defaultChild).acknowledge(
      { id: 'AwsSolutions-L1', reason: `${deploymentHandler}: its Python runtime is chosen by aws-cdk-lib and updated with it.` },
      {
        id: 'Serverless-LambdaLatestVersion',
        reason: `${deploymentHandler}: its Python runtime is chosen by aws-cdk-lib and updated with it.`,
      },
      {
        id: 'Serverless-LambdaDLQ',
        reason: `${deploymentHandler}: CloudFormation invokes it during a deployment and waits for its answer; when it fails, the deployment fails and is rolled back, so a dead-letter queue would only keep the request of a deployment that is already over.`,
      },
      {
        id: 'Serverless-LambdaTracing',
        reason: `${deploymentHandler}: runs only during deployments, which CloudFormation's events and the handler's own logs already trace; aws-cdk-lib offers no tracing setting for it.`,
      },
    );
    const assetsBucket = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
      '${Qualifier}',
      DefaultStackSynthesizer.DEFAULT_QUALIFIER,
    )
      .replace('${AWS::AccountId}', '<AWS::AccountId>')
      .replace('${AWS::Region}', this.region);
    const acks: [string, string][] = [
      ['Action::s3:GetObject*', 'read the uploaded build from the CDK assets bucket and the objects of the site bucket'],
      ['Action::s3:GetBucket*', 'read the location and settings of the two buckets it copies between'],
      ['Action::s3:List*', 'list the objects it replaces in the site bucket'],
      ['Action::s3:DeleteObject*', 'replace objects of the site bucket (prune is off: it deletes nothing else)'],
      ['Action::s3:Abort*', 'abort its own multipart uploads to the site bucket'],
      [`Resource::arn:aws:s3:::${assetsBucket}/*`, "the objects of the account's CDK assets bucket, where `cdk deploy` uploads the build"],
      [`Resource::${flattenCfnReference(this.resolve(bucket.arnForObjects('*')))}`, 'the objects of the site bucket only'],
      ['Resource::*', 'cloudfront:CreateInvalidation and GetInvalidation, which aws-cdk-lib grants on every distribution'],
    ];
    for (const [what, why] of acks)
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${what}]`, reason: `${deploymentHandler}: ${why}.` });
  }
}
