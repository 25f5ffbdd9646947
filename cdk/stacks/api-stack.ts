import { Annotations, type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnRoute,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpApi,
  type IHttpRouteAuthorizer,
  type IHttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Department } from '#lib/domain/organisation.js';
import { roles, roleTitles } from '#lib/domain/roles.js';
import { eventFunctionSpecs, type FunctionName, functionNames, type FunctionSpec, functionSpecs } from '#lib/functions.js';
import { apiStage, routeKey, routeList } from '#lib/http/routes.js';
import { scanResultDetailType } from '#lib/domain/evidence.js';
import { type PracticeOverrides, practisedProfile } from '#lib/profiles/practices.js';
import { AppFunction, type AppFunctionProps } from '../constructs/app-function.js';
import { bindEvidenceBucket } from '../constructs/evidence-access.js';
import { MalwareScan } from '../constructs/malware-scan.js';
import { evidenceBucketIn, evidencePrefixes } from './data-stack.js';

/** Props of {@link ApiStack}. */
export interface ApiStackProps extends StackProps {
  /** The single table from the data stack. */
  table: ITable;
  /**
   * The evidence bucket from the data stack. Read here by name from the data stack's
   * `EvidenceBucketName` output (see {@link evidenceBucketIn}).
   */
  evidenceBucket: IBucket;
  /** `EVIDENCE_MAX_BYTES`: the largest evidence file a presigned upload accepts. */
  evidenceMaxBytes: number;
  /** Regulation profile id (`PROFILE_ID`). */
  profileId: string;
  /** The deployment's practice over the profile's defaults (`PRACTICES_JSON`). */
  practices: PracticeOverrides;
  /**
   * The bare HTTP API from the web hosting stack (the distribution's `/api/*` origin): this
   * stack adds its stage `api`, the JWT authorizer, the integrations and the routes.
   */
  httpApi: IHttpApi;
  /** Where Cognito may redirect after sign-in (authorization code flow). */
  callbackUrls: string[];
  /** Where Cognito may redirect after sign-out. */
  logoutUrls: string[];
  /** Prefix of the Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`); unique per region. */
  authDomainPrefix: string;
  /** `POWERTOOLS_LOG_LEVEL` of every function. */
  logLevel: string;
  /** The organisation's 部 and 課 (`DEPARTMENTS_JSON`): who a 保護責任者 oversees. */
  departments: readonly Department[];
  /** The jobs stack's events bus: functions whose spec says `events: 'publish'` put kansa.TaskCreated there. */
  eventBus: IEventBus;
  /**
   * Context `malwareScan`: GuardDuty Malware Protection for S3 scans `incoming/` and its
   * scan result (not the upload) invokes the verifier (`MALWARE_SCAN=guardduty`); false
   * where GuardDuty is not available: the upload invokes it and the scan is recorded as skipped. Default true.
   */
  malwareScan?: boolean;
}

/** Access-log fields of the HTTP API: who called which route, and how it ended. */
const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  error: '$context.error.message',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
};

/**
 * Why a route without a JWT is acceptable. A route with `auth: false` that is not
 * listed here stays a cdk-nag AwsSolutions-APIG4 error.
 */
const publicRoutes: Record<string, string> = {
  health: 'liveness probe without a token by design; returns a constant status and reads no data.',
};

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Event functions by name (`eventFunctionSpecs`). */
export type EventFunctionName = keyof typeof eventFunctionSpecs;

/**
 * The one cdk-nag finding on the bucket-notification custom resource's handler (CDK's
 * BucketNotificationsHandler singleton, not ours), acknowledged on its role only.
 */
const notificationsHandlerAck = {
  id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  reason:
    'CDK-provided BucketNotificationsHandler (sets the incoming/ notification during deployments only): the basic execution role lets it write ' +
    'only its CloudWatch logs; aws-cdk-lib creates this role and policy itself, so they cannot be replaced by a customer-managed policy here.',
};

/**
 * The only attributes a user may write through the SPA's client: preferences kansa never
 * reads. Cognito takes an empty or absent WriteAttributes as "every mutable attribute",
 * so the list must name something; `name` (shown in the audit trail), `email` (the
 * sign-in) and `custom:department` (what the user may see and do) are administrators' alone.
 */
export const spaClientWritable = { locale: true, timezone: true } as const;

/**
 * How long the SPA's ID and access tokens last. API Gateway cannot revoke an ID token it
 * has verified: after a 課 transfer or a sign-out everywhere, an ID token already issued
 * still works until it expires, so this is the longest the old 課 or roles can be used.
 * The SPA renews silently with the refresh token, which global sign-out does revoke.
 */
export const spaTokenValidity = Duration.minutes(15);

/** What cdk-nag cannot see about the verifier's failure queue, acknowledged on the queue only. */
const verifierFailureQueueAck = {
  id: 'AwsSolutions-SQS3',
  reason:
    "This queue IS a dead-letter queue: the evidence verifier's on-failure destination for S3 events its asynchronous invocations still failed " +
    'on after their retries; cdk-nag only recognizes DLQs named in an SQS redrive policy.',
};

/** Why the verifier's failure queue has no redrive policy (cdk-nag Serverless-SQSRedrivePolicy), acknowledged on the queue only. */
const verifierFailureQueueRedriveAck = {
  id: 'Serverless-SQSRedrivePolicy',
  reason:
    'This queue is itself the last stop of failed verifier events (kept 14 days, with an alarm to the alarm topic): nothing consumes it, so ' +
    'no message can fail processing and be redriven; a redrive policy would only name yet another queue.',
};

/**
 * The stateless stack: Cognito user pool and SPA client, the HTTP API with its JWT
 * authorizer, one function per entry of `functionSpecs` and one route per entry of
 * `routeList` (the only route table), and the evidence verifier invoked by the
 * bucket's ObjectCreated notifications on `incoming/`.
 *
 * Users are created by an administrator, sign in with email, password and TOTP through
 * the managed login (authorization code flow; the SPA is a public client and sends a
 * PKCE challenge), and get ID tokens with `cognito:groups` and `custom:department`.
 * The client has no direct sign-in flow (refresh only), reads only the attributes the API
 * uses and may write only {@link spaClientWritable}: groups and department decide what a
 * user may do, so users never set them.
 */
export class ApiStack extends Stack {
  /** The functions by name, for tests and wiring. */
  readonly functions: Record<FunctionName, AppFunction>;
  /** The event functions by name. */
  readonly eventFunctions: Record<EventFunctionName, AppFunction>;
  /** The user pool: its issuer URL is the SPA's OIDC authority (web stack's config.json). */
  readonly userPool: UserPool;
  /** The SPA's app client id (web stack's config.json). */
  readonly userPoolClientId: string;
  /** The API's stage URL without a trailing slash (`https://<id>.execute-api.<region>.amazonaws.com/api`); the SPA calls `/api` of its own origin. */
  readonly apiUrl: string;
  /** Cognito's domain (`https://<prefix>.auth.<region>.amazoncognito.com`): its /logout and /oauth2/revoke (web stack's config.json). */
  readonly authBaseUrl: string;
  /** The verifier's on-failure destination: S3 events it still failed on after Lambda's retries. */
  readonly verifierFailureQueue: Queue;
  /** The HTTP API's stage: its 5xx and Count metrics (dimensions ApiId and Stage) feed the monitoring stack's alarm. */
  readonly httpStage: IHttpStage;
  /** GuardDuty Malware Protection for S3 on `incoming/` (absent with `-c malwareScan=off`). */
  readonly malwareScan?: MalwareScan;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    const userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      userInvitation: {
        emailSubject: '個人情報保護監査システム: アカウントのご案内',
        emailBody:
          '個人情報保護監査システムのアカウントを作成しました。ユーザー名: {username} 仮パスワード: {####} ' +
          '初回サインイン時にパスワードの変更と認証アプリ (TOTP) の登録を行ってください。',
      },
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: true, mutable: true },
      },
      customAttributes: {
        department: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Every role has its group, described in the deployed regulation's words; a role that
    // regulation lacks says so, and its group is left empty.
    const { roleTitles: titles } = practisedProfile(props.profileId, props.practices);
    for (const role of roles) {
      const description = titles[role] ?? `${roleTitles[role]}（この規程にない役職）`;
      userPool.addGroup(`${pascal(role)}Group`, { groupName: role, description });
    }

    const domain = userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.authDomainPrefix } });

    const client = userPool.addClient('SpaClient', {
      generateSecret: false,
      authFlows: { user: false, userSrp: false, userPassword: false, adminUserPassword: false, custom: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: spaTokenValidity,
      accessTokenValidity: spaTokenValidity,
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('department'),
      writeAttributes: new ClientAttributes().withStandardAttributes(spaClientWritable),
    });

    // The API as this stack sees it: no CORS (the SPA calls its own origin, CloudFront
    // forwards /api/* here), served at the stage `api` only.
    const api = HttpApi.fromHttpApiAttributes(this, 'HttpApi', {
      httpApiId: props.httpApi.apiId,
      apiEndpoint: props.httpApi.apiEndpoint,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = new HttpStage(this, 'ApiStage', {
      httpApi: api,
      stageName: apiStage,
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    const jwt = new HttpJwtAuthorizer('CognitoJwt', userPool.userPoolProviderUrl, {
      jwtAudience: [client.userPoolClientId],
    });
    const none = new HttpNoneAuthorizer();

    // The evidence bucket as this stack sees it (by name from the data stack's output);
    // the notification is set from here, so the data stack never refers to this stack.
    const evidenceBucket = evidenceBucketIn(this, props.evidenceBucket);

    const makeFunction = (name: string, spec: FunctionSpec, sizing?: Pick<AppFunctionProps, 'memorySize' | 'timeout'>): AppFunction => {
      const fn = new AppFunction(this, `${pascal(name)}Function`, {
        entry: spec.entry,
        description: spec.description,
        profileId: props.profileId,
        practices: props.practices,
        serviceName: 'kansa',
        logLevel: props.logLevel,
        departmentsJson: JSON.stringify(props.departments),
        chunks: spec.chunks,
        ...sizing,
      });
      if (spec.table !== 'none') fn.bindTable(props.table, spec.table);
      if (spec.bucket) bindEvidenceBucket(fn, evidenceBucket, spec.bucket);
      if (spec.bucket === 'presign') fn.addEnvironment('EVIDENCE_MAX_BYTES', String(props.evidenceMaxBytes));
      if (spec.events === 'publish') {
        fn.addEnvironment('EVENT_BUS_NAME', props.eventBus.eventBusName);
        props.eventBus.grantPutEventsTo(fn);
      }
      return fn;
    };

    const functions = {} as Record<FunctionName, AppFunction>;
    const integrations = {} as Record<FunctionName, HttpLambdaIntegration>;
    for (const name of functionNames) {
      const fn = makeFunction(name, functionSpecs[name]);
      functions[name] = fn;
      integrations[name] = new HttpLambdaIntegration(`${pascal(name)}Integration`, fn);
      fn.invokedSynchronously('the HTTP API');
    }
    this.functions = functions;

    // The verifier streams up to EVIDENCE_MAX_BYTES through SHA-256 and copies the object.
    const verifierSpec = eventFunctionSpecs.evidenceUploaded;
    // With malware scanning it also reads GuardDuty's result tag on the upload it verifies.
    const verifierAccess: FunctionSpec =
      (props.malwareScan ?? true) ? { ...verifierSpec, bucket: [verifierSpec.bucket, 'scanResult'] } : verifierSpec;
    const verifier = makeFunction('evidenceUploaded', verifierAccess, {
      memorySize: 1024,
      timeout: Duration.minutes(1),
    });
    verifier.addEnvironment('MALWARE_SCAN', (props.malwareScan ?? true) ? 'guardduty' : 'off');
    this.eventFunctions = { evidenceUploaded: verifier };

    // S3 invokes the verifier asynchronously: an event still failing after Lambda's retries
    // is kept in this queue (alarm in the monitoring stack) instead of being dropped; the daily
    // evidence-pending duty then verifies the upload, or expires the evidence with a task.
    this.verifierFailureQueue = new Queue(this, 'EvidenceVerifierFailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.verifierFailureQueue.node.defaultChild as CfnElement).acknowledge(
      verifierFailureQueueAck,
      verifierFailureQueueRedriveAck,
    );
    verifier.configureAsyncInvoke({
      retryAttempts: verifierSpec.asyncRetry.attempts,
      maxEventAge: Duration.minutes(verifierSpec.asyncRetry.maxEventAgeMinutes),
      onFailure: new SqsDestination(this.verifierFailureQueue),
    });

    if (props.malwareScan ?? true) {
      // GuardDuty scans every upload under incoming/ and tags it; its scan result on the
      // default bus (not the upload itself) invokes the verifier, asynchronously like S3 did
      // (the same retries and on-failure queue), so no upload is verified before its scan.
      // An event EventBridge could not hand to Lambda at all goes to the same queue.
      this.malwareScan = new MalwareScan(this, 'EvidenceMalwareScan', { bucket: evidenceBucket, prefix: evidencePrefixes.incoming });
      new Rule(this, 'EvidenceScanResultRule', {
        description: 'GuardDuty Malware Protection scan results of evidence uploads (incoming/) → the evidence verifier',
        eventPattern: {
          source: ['aws.guardduty'],
          detailType: [scanResultDetailType],
          detail: {
            s3ObjectDetails: { bucketName: [evidenceBucket.bucketName], objectKey: Match.prefix(evidencePrefixes.incoming) },
          },
        },
        targets: [new LambdaFunction(verifier, { deadLetterQueue: this.verifierFailureQueue })],
      });
    } else {
      Annotations.of(this).addWarningV2(
        'kansa:malwareScanOff',
        'Malware scanning is off (-c malwareScan=off): evidence uploads are verified without a virus scan, and each is recorded ' +
          'as "ウイルス検査: 未実施". Deploy with malwareScan on where GuardDuty Malware Protection for S3 is available.',
      );
      // ObjectCreated on incoming/ → the verifier, in the classic S3 event shape (Records[].s3).
      // On the imported bucket, the custom resource, its handler and the Lambda permission live
      // in this stack, and the resource is `Managed: false`: it merges this notification with
      // any other on the bucket instead of replacing them.
      evidenceBucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(verifier), { prefix: evidencePrefixes.incoming });
      const notificationsHandlerRole = this.node
        .tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834')
        ?.node.tryFindChild('Role');
      if (!notificationsHandlerRole) throw new Error("the role of CDK's BucketNotificationsHandler was not found");
      Validations.of(notificationsHandlerRole).acknowledge(notificationsHandlerAck);
    }

    for (const route of routeList) {
      const authorizer: IHttpRouteAuthorizer = route.auth ? jwt : none;
      const httpRoute = new HttpRoute(this, `${pascal(route.id)}Route`, {
        httpApi: api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.fn],
        authorizer,
      });
      const publicReason = publicRoutes[route.id];
      if (!route.auth && publicReason) {
        Validations.of(httpRoute.node.defaultChild as CfnRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)}: ${publicReason}`,
        });
      }
    }

    this.userPool = userPool;
    this.userPoolClientId = client.userPoolClientId;
    this.apiUrl = `${api.apiEndpoint}/${apiStage}`;
    this.authBaseUrl = domain.baseUrl();
    this.httpStage = stage;
    new CfnOutput(this, 'ApiUrl', { value: this.apiUrl });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'AuthBaseUrl', { value: domain.baseUrl() });
    new CfnOutput(this, 'Issuer', { value: userPool.userPoolProviderUrl });
    new CfnOutput(this, 'EvidenceVerifierFailureQueueUrl', {
      value: this.verifierFailureQueue.queueUrl,
      description:
        'Events (GuardDuty scan results, or S3 uploads without scanning) the evidence verifier still failed on after its retries',
    });
  }
}
