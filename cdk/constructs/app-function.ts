import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, type EventInvokeConfigOptions, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type ChunkKind, type ChunkSpecifier, chunksOf } from '#lib/functions.js';
import type { PracticeOverrides } from '#lib/profiles/practices.js';
import { chunkCommand, functionBuildOptions } from '../function-chunks.js';
import { tableDesign } from '#lib/store/table-design.js';

/** The repository root: esbuild resolves `#lib/*` from its package.json and bundles against its lock file. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The newest Node.js runtime aws-cdk-lib knows (cdk-nag AwsSolutions-L1). */
export const functionRuntime = Runtime.NODEJS_24_X;

/** How long function logs are kept. */
export const functionLogRetention = RetentionDays.ONE_YEAR;

/**
 * Why the X-Ray write actions of active tracing are on `*` (cdk-nag AwsSolutions-IAM5),
 * acknowledged on each function's role policy.
 */
export const xrayAck = {
  id: 'AwsSolutions-IAM5[Resource::*]',
  reason:
    'xray:PutTraceSegments and xray:PutTelemetryRecords on * only, added by active tracing: X-Ray has no resource-level permissions for ' +
    'these write actions, so they cannot name a resource; the role may read or change nothing through them.',
};

/** How a function may use the table. */
export type TableAccess = 'read' | 'readWrite';

/**
 * The DynamoDB actions on the table of each access level. lib/store reads with GetItem
 * and Query and writes only through TransactWriteItems, which is authorized per item
 * (Put → PutItem, Update → UpdateItem, ConditionCheck → ConditionCheckItem). DeleteItem,
 * BatchWriteItem and Scan are never granted: the audit trail is append-only and lists
 * are queries. On the indexes both levels may only Query.
 */
export const tableActions: Record<TableAccess, readonly string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  readWrite: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
};

/** Props of {@link AppFunction}. */
export interface AppFunctionProps {
  /** Entry file, relative to the repository root (`functions/http/plans.ts`). */
  entry: string;
  description: string;
  /** Regulation profile id (`PROFILE_ID`). */
  profileId: string;
  /** `SERVICE_NAME` of logs and metrics. */
  serviceName: string;
  /** `POWERTOOLS_LOG_LEVEL`. */
  logLevel: string;
  /** `DEPARTMENTS_JSON`: the organisation's 部 and 課. */
  departmentsJson: string;
  /** `PRACTICES_JSON`: the deployment's practice (運用) over the profile's defaults (lib/profiles/practices.ts). */
  practices: PracticeOverrides;
  memorySize?: number;
  timeout?: Duration;
  /** Modules built into files of their own beside the bundle (FunctionSpec.chunks; every function also has chunksOf's). */
  chunks?: Readonly<Record<ChunkSpecifier, ChunkKind>> | undefined;
}

/**
 * A Lambda function with the project's fixed defaults: newest Node.js runtime, arm64,
 * active X-Ray tracing (Lambda samples invocations itself: no tracer in the bundle),
 * an ESM bundle with source maps built by the local esbuild (no Docker; the AWS SDK is
 * bundled, so the function runs the SDK version the store is tested with), its own log
 * group with retention and its own role that may write only to that log group
 * (no AWS managed policy). Table access is added with {@link AppFunction.bindTable}.
 * The log group and role are created beside the function, as `<id>Logs` and `<id>Role`.
 */
export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: functionLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${id}: writes its own log group; table access via bindTable`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: `${repoRoot}${props.entry}`,
      handler: 'handler',
      description: props.description,
      runtime: functionRuntime,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      tracing: Tracing.ACTIVE,
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        SERVICE_NAME: props.serviceName,
        PROFILE_ID: props.profileId,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        DEPARTMENTS_JSON: props.departmentsJson,
        PRACTICES_JSON: JSON.stringify(props.practices),
      },
      // functionBuildOptions (cdk/function-chunks.ts) in CDK's words: the bench builds with those options too.
      bundling: {
        format: OutputFormat.ESM,
        target: functionBuildOptions.target,
        mainFields: [...functionBuildOptions.mainFields],
        minify: functionBuildOptions.minify,
        keepNames: functionBuildOptions.keepNames,
        sourceMap: functionBuildOptions.sourcemap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: functionBuildOptions.sourcesContent,
        bundleAwsSDK: true,
        // esbuild's warnings and errors only: bundle sizes are the bench's (npm run bench), not every synth's.
        logLevel: LogLevel.WARNING,
        banner: functionBuildOptions.banner.js,
        ...chunkBundling(chunksOf(props), props),
      },
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error(`${id}: active tracing added no policy to the role`);
    Validations.of(policy).acknowledge(xrayAck);
  }

  /**
   * Lambda's asynchronous invocation settings, and the cdk-nag Serverless-LambdaDLQ finding
   * acknowledged with the reason when `onFailure` is set: failed events go to that destination.
   */
  override configureAsyncInvoke(options: EventInvokeConfigOptions): void {
    super.configureAsyncInvoke(options);
    if (options.onFailure)
      Validations.of(this.node.defaultChild as CfnFunction).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Asynchronous invocations that still fail after their retries go to the on-failure destination (an SQS queue with an alarm), ' +
          'which keeps the event with its error and context; a dead-letter queue as well would be a second place for the same events.',
      });
  }

  /**
   * Acknowledge cdk-nag Serverless-LambdaDLQ for a function only ever invoked synchronously
   * (`by`, e.g. API Gateway): the caller receives the error, and a dead-letter queue receives nothing.
   */
  invokedSynchronously(by: string): this {
    Validations.of(this.node.defaultChild as CfnFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: `Invoked only synchronously, by ${by}: the caller receives the error as the response; Lambda sends only asynchronous invocations to a dead-letter queue, so one would never receive anything.`,
    });
    return this;
  }

  /**
   * Set `TABLE_NAME` and grant {@link tableActions} of `access` on the table, and Query
   * on each index of `tableDesign` named one by one (no `index/*` wildcard).
   */
  bindTable(table: ITable, access: TableAccess): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    Grant.addToPrincipal({ grantee: this, actions: [...tableActions[access]], resourceArns: [table.tableArn] });
    const indexArns = tableDesign.indexes.map((i) => `${table.tableArn}/index/${i.indexName}`);
    if (indexArns.length > 0) Grant.addToPrincipal({ grantee: this, actions: ['dynamodb:Query'], resourceArns: indexArns });
    if (table.encryptionKey) {
      if (access === 'read') table.encryptionKey.grantDecrypt(this);
      else table.encryptionKey.grantEncryptDecrypt(this);
    }
    return this;
  }
}

/**
 * The bundling of a function with chunks: each chunk's specifier left external in
 * index.mjs, then cdk/function-chunks.ts (run by tsx, as `npx cdk synth` runs the app)
 * builds the chunks beside it, a `prebuilt` one for this function's profile and practice.
 */
function chunkBundling(chunks: Readonly<Record<ChunkSpecifier, ChunkKind>>, props: Pick<AppFunctionProps, 'profileId' | 'practices'>) {
  return {
    externalModules: Object.keys(chunks),
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) => [chunkCommand(outputDir, chunks, props)],
    },
  };
}
