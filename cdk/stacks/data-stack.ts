import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type ITable, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
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
  stack.addStackDependency(dataStack, 'evidence bucket name (Fn::GetStackOutput)');
  return Bucket.fromBucketAttributes(stack, 'EvidenceBucketRef', {
    bucketName: Fn.getStackOutput(dataStack.stackName, evidenceBucketNameOutput, dataStack.region),
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

    const evidenceBucket = new Bucket(this, 'EvidenceBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
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
  }
}
