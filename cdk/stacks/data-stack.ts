import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Token, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type ITable, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { tableDesign } from '#lib/store/table-design.js';

/** Props of {@link DataStack}. */
export interface DataStackProps extends StackProps {
  /** Origin of the SPA: the only origin the evidence bucket's CORS allows (presigned POST uploads, downloads). */
  spaOrigin: string;
  /** Object Lock default retention (GOVERNANCE) of every evidence object, in years. */
  evidenceRetentionYears: number;
  /** Prefix of the Cognito domain, unique per region: it also names the evidence bucket (see {@link evidenceBucketName}). */
  authDomainPrefix: string;
}

/**
 * The evidence bucket's name: `<authDomainPrefix>-evidence-<account>-<region>`. Fixed rather
 * than generated so that a stack deployed before the data stack (the SPA's hosting, whose
 * CSP names the bucket's exact host) can name it without a reference, while the data stack
 * names the SPA's origin in the bucket's CORS. Refused at synth when it cannot be a bucket
 * name (63 characters at most, lower-case letters, digits and hyphens).
 */
export function evidenceBucketName(authDomainPrefix: string, region: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(authDomainPrefix)) {
    throw new Error(
      `authDomainPrefix "${authDomainPrefix}" must be lower-case letters, digits and hyphens (it names the evidence bucket too)`,
    );
  }
  const length =
    authDomainPrefix.length + '-evidence-'.length + 12 + 1 + (Token.isUnresolved(region) ? 'ap-northeast-1'.length : region.length);
  if (length > 63) {
    throw new Error(
      `authDomainPrefix "${authDomainPrefix}" is too long: the evidence bucket's name <prefix>-evidence-<account>-<region> must fit in 63 characters`,
    );
  }
  return `${authDomainPrefix}-evidence-${Aws.ACCOUNT_ID}-${region}`;
}

/** The evidence bucket's regional virtual-hosted host, where presigned POST uploads and GET downloads go (the SPA's CSP names it). */
export function evidenceBucketHost(authDomainPrefix: string, region: string): string {
  return `${evidenceBucketName(authDomainPrefix, region)}.s3.${region}.amazonaws.com`;
}

/**
 * Key prefixes of the evidence bucket (lib/domain/evidence.ts builds the keys):
 * uploads land in `incoming/`, the verifier copies them to `evidence/` (verified) or
 * `quarantine/` (rejected) and removes the upload.
 */
export const evidencePrefixes = { incoming: 'incoming/', evidence: 'evidence/', quarantine: 'quarantine/' } as const;

/**
 * Logical id of the data stack's output holding the evidence bucket's name. The API stack
 * reads it with `Fn::GetStackOutput` (what CDK's weak cross-stack references do) under
 * this fixed name, so the bucket's ARN renders the same at construction and in the template.
 */
export const evidenceBucketNameOutput = 'EvidenceBucketName';

/** Logical id of the data stack's output holding the ARN of the evidence bucket's KMS key (read like {@link evidenceBucketNameOutput}). */
export const evidenceKeyArnOutput = 'EvidenceKeyArn';

/**
 * The evidence bucket as another stack (API, jobs) sees it: by name from the data stack's
 * fixed output (Fn::GetStackOutput, as CDK's weak references do), not through an automatic
 * reference, whose generated output name would leak into the IAM5 acknowledgements.
 * Grants go to the roles only and notifications are set from the other stack, so the
 * data stack never refers to it (no cycle). Makes `stack` depend on the data stack.
 */
export function evidenceBucketIn(stack: Stack, bucket: IBucket): IBucket {
  const dataStack = Stack.of(bucket);
  if (!dataStack.node.tryFindChild(evidenceBucketNameOutput)) {
    throw new Error(`${dataStack.node.path} has no output "${evidenceBucketNameOutput}" with the evidence bucket's name`);
  }
  stack.addStackDependency(dataStack, 'evidence bucket name and key (Fn::GetStackOutput)');
  return Bucket.fromBucketAttributes(stack, 'EvidenceBucketRef', {
    bucketName: Fn.getStackOutput(dataStack.stackName, evidenceBucketNameOutput, dataStack.region),
    encryptionKey: Key.fromKeyArn(stack, 'EvidenceKeyRef', Fn.getStackOutput(dataStack.stackName, evidenceKeyArnOutput, dataStack.region)),
  });
}

/** How long rejected uploads stay in `quarantine/` for inspection. */
export const quarantineDays = 30;

/**
 * How long an upload may stay in `incoming/` unverified. Verification normally takes
 * seconds; an upload whose notification was lost waits for the daily `evidence-pending`
 * duty (up to about 25 hours), and a failed run of it for the next day's: three days.
 */
export const incomingDays = 3;

/**
 * The stateful stack: the single table, built from `tableDesign` (the same design the
 * local runtime creates and the store queries), and the evidence bucket with its
 * access-log bucket. All retained; deployed separately from the stateless API stack.
 */
export class DataStack extends Stack {
  /** The single table, handed to the API stack through its props. */
  readonly table: ITable;
  /** The evidence bucket, handed to the API stack through its props. */
  readonly evidenceBucket: IBucket;
  /** The customer-managed key the evidence bucket is encrypted with (rotated yearly). */
  readonly evidenceKey: IKey;
  /** Where the evidence bucket's server access logs go. */
  readonly accessLogBucket: IBucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    const table = new Table(this, 'Table', {
      partitionKey: { name: tableDesign.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDesign.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableDesign.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    this.table = table;

    const years = props.evidenceRetentionYears;
    if (!Number.isInteger(years) || years < 1 || years > 100) {
      throw new Error(`evidenceRetentionYears must be an integer from 1 to 100, got ${years}`);
    }

    // Server access logs of the evidence bucket: who read or wrote which evidence, kept
    // as long as the evidence itself. SSE-S3, because S3 log delivery cannot write to a
    // bucket whose default encryption is SSE-KMS.
    const accessLogBucket = new Bucket(this, 'EvidenceAccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'access-log-retention', expiration: Duration.days(Math.ceil(365.25 * years)) },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    Validations.of(accessLogBucket.node.defaultChild as CfnBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket is the target of the evidence bucket's server access logs; logging it in turn would need another log bucket without end. " +
        'Writes to it come only from the S3 logging service (bucket policy), and Block Public Access and SSL-only apply.',
    });
    this.accessLogBucket = accessLogBucket;

    // Evidence (and the trail's anchors) under a key of the municipality's own: its key
    // policy and CloudTrail's record of every use say who could read which file. S3 Bucket
    // Keys keep the KMS requests (and their cost) per bucket rather than per object.
    const evidenceKey = new Key(this, 'EvidenceKey', {
      description: 'kansa: encrypts the evidence bucket (evidence files, quarantined uploads, audit-trail anchors)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.evidenceKey = evidenceKey;

    const evidenceBucket = new Bucket(this, 'EvidenceBucket', {
      bucketName: evidenceBucketName(props.authDomainPrefix, this.region),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.KMS,
      encryptionKey: evidenceKey,
      bucketKeyEnabled: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: accessLogBucket,
      serverAccessLogsPrefix: 'evidence-bucket/',
      cors: [
        {
          // Presigned POST form uploads from the browser (the bytes go straight to S3) and presigned GET downloads.
          allowedOrigins: [props.spaOrigin],
          allowedMethods: [HttpMethods.POST, HttpMethods.GET],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        {
          // Rejected uploads are kept for inspection, then removed (their copies carry a short explicit retention).
          id: 'quarantine-expiry',
          prefix: evidencePrefixes.quarantine,
          expiration: Duration.days(quarantineDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          // The verifier moves an upload within seconds; one that is still here after a day was never verified.
          id: 'incoming-unverified-expiry',
          prefix: evidencePrefixes.incoming,
          expiration: Duration.days(incomingDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'abort-incomplete-multipart-and-expired-delete-markers',
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
    });
    // Default retention in years (a calendar period), not CDK's days: GOVERNANCE, so only
    // a principal granted s3:BypassGovernanceRetention (the verifier, on incoming/ only) can
    // shorten it or delete a locked version.
    (evidenceBucket.node.defaultChild as CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'GOVERNANCE', years } },
    };
    this.evidenceBucket = evidenceBucket;

    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, evidenceBucketNameOutput, { value: evidenceBucket.bucketName });
    new CfnOutput(this, evidenceKeyArnOutput, { value: evidenceKey.keyArn });
  }
}
