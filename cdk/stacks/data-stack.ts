import {
  Aws,
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { AttributeType, BillingMode, type ITable, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, AnyPrincipal, Effect, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
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
import { DataBackup } from '../constructs/backup.js';
import { nagResource } from '../constructs/evidence-access.js';
import { backupCopyVaultName } from './backup-copy-stack.js';

/** Props of {@link DataStack}. */
export interface DataStackProps extends StackProps {
  /** Origin of the SPA: the only origin the evidence bucket's CORS allows (presigned POST uploads, downloads). */
  spaOrigin: string;
  /** Object Lock default retention (GOVERNANCE) of every evidence object, in years. */
  evidenceRetentionYears: number;
  /** Prefix of the Cognito domain, unique per region: it also names the evidence bucket (see {@link evidenceBucketName}). */
  authDomainPrefix: string;
  /**
   * ARN of an existing role, the only principal the evidence bucket policy lets delete or
   * unlock evidence and anchors (context `breakGlassRoleArn`); absent: the stack creates
   * `EvidenceBreakGlassRole`. See {@link checkBreakGlassRoleArn}.
   */
  breakGlassRoleArn?: string | undefined;
  /** Region of the vault every backup is copied to (context `backupCopyRegion`, its stack is `BackupCopyStack`); none by default. */
  backupCopyRegion?: string | undefined;
}

/**
 * Context `breakGlassRoleArn`: an IAM role's ARN (`arn:<partition>:iam::<account>:role/<path/name>`),
 * of this account when the account is known at synth. Refused at synth otherwise: the
 * bucket policy's exemption names the role exactly, and an ARN of the wrong shape would
 * exempt nobody (or, worse, the wrong principal).
 */
export function checkBreakGlassRoleArn(arn: string, account: string): string {
  const match = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/.exec(arn);
  if (!match) {
    throw new Error(`cdk context "breakGlassRoleArn" must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${arn}"`);
  }
  if (!Token.isUnresolved(account) && match[1] !== account) {
    throw new Error(`cdk context "breakGlassRoleArn" must be a role of this account ${account}, got one of ${match[1]}`);
  }
  return arn;
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
 * `quarantine/` (rejected) and removes the upload; the audit trail's daily anchors go to `anchors/`.
 */
export const evidencePrefixes = { incoming: 'incoming/', evidence: 'evidence/', quarantine: 'quarantine/', anchors: 'anchors/' } as const;

/**
 * Logical id of the data stack's output holding the evidence bucket's name. The API stack
 * reads it with `Fn::GetStackOutput` (what CDK's weak cross-stack references do) under
 * this fixed name, so the bucket's ARN renders the same at construction and in the template.
 */
export const evidenceBucketNameOutput = 'EvidenceBucketName';

/**
 * The role CloudFormation deploys this stack with (CDK's bootstrap `cfn-exec-role`), when
 * the stack is synthesized for it. It is exempt from the deny on the bucket's Object Lock
 * configuration only: CloudFormation may set a bucket's whole configuration again on any
 * update of it, and a deny would then refuse every later change of the bucket (its CORS,
 * its lifecycle). It grants nothing: that role can rewrite this bucket policy anyway, and
 * the deny on deleting and unlocking evidence still applies to it.
 */
function deploymentRoleArns(stack: Stack): string[] {
  // The synthesizer names it with ${AWS::Partition} and ${AWS::AccountId}, as Fn::Sub reads them.
  return stack.synthesizer instanceof DefaultStackSynthesizer ? [Fn.sub(stack.synthesizer.cloudFormationExecutionRoleArn)] : [];
}

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
 * The evidence retention in days (a year of 365.25 days, rounded up), for what is kept as
 * long as the evidence: the access logs and the backups. Refused unless 1 to 100 years.
 */
export function evidenceRetention(years: number): Duration {
  if (!Number.isInteger(years) || years < 1 || years > 100) {
    throw new Error(`evidenceRetentionYears must be an integer from 1 to 100, got ${years}`);
  }
  return Duration.days(Math.ceil(365.25 * years));
}

/**
 * What the evidence bucket policy denies to every principal but the break-glass role: on
 * the objects under {@link protectedPrefixes}, deleting them or their tags (any version),
 * changing or bypassing their retention, and setting a legal hold; on the bucket, changing
 * its Object Lock configuration. The break-glass role is allowed exactly these (and reading).
 */
export const breakGlassActions = {
  objects: ['s3:DeleteObject*', 's3:PutObjectRetention', 's3:BypassGovernanceRetention', 's3:PutObjectLegalHold'],
  bucket: ['s3:PutBucketObjectLockConfiguration'],
} as const;

/** The prefixes whose objects stay: verified evidence and the audit trail's anchors. */
export const protectedPrefixes = [evidencePrefixes.evidence, evidencePrefixes.anchors] as const;

/**
 * The actions `s3:DeleteObject*` covers, which the break-glass role is granted by name:
 * the object, a version, and the tags of either.
 */
const deleteObjectActions = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'];

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
  /** The one principal the evidence bucket policy lets delete or unlock evidence and anchors. */
  readonly breakGlassRoleArn: string;
  /** The break-glass role, when this stack creates it (no context `breakGlassRoleArn`). */
  readonly breakGlassRole: Role | undefined;
  /** Daily backups of the table and the evidence bucket (vault, plan, role). */
  readonly backup: DataBackup;

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
    const retention = evidenceRetention(years);

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
        { id: 'access-log-retention', expiration: retention },
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

    // Evidence that stays: nobody but the break-glass role may delete a verified file or an
    // anchor, change or bypass its retention, put a legal hold on it, or change the bucket's
    // Object Lock configuration; not the functions, not an administrator with s3:*, not the
    // account's root user (aws:PrincipalArn is the role's ARN for each of its sessions).
    if (props.breakGlassRoleArn) {
      this.breakGlassRoleArn = checkBreakGlassRoleArn(props.breakGlassRoleArn, this.account);
      this.breakGlassRole = undefined;
    } else {
      const role = new Role(this, 'EvidenceBreakGlassRole', {
        description:
          'kansa: the only principal that may delete or unlock evidence and anchors in the evidence bucket (a deletion or correction the law requires); assumable with MFA only, for an hour',
        assumedBy: new AccountRootPrincipal().withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
        maxSessionDuration: Duration.hours(1),
      });
      this.breakGlassRole = role;
      this.breakGlassRoleArn = role.roleArn;
      const objectArns = protectedPrefixes.map((p) => evidenceBucket.arnForObjects(`${p}*`));
      role.addToPolicy(
        new PolicyStatement({
          actions: [...deleteObjectActions, ...breakGlassActions.objects.filter((a) => a !== 's3:DeleteObject*')],
          resources: objectArns,
        }),
      );
      role.addToPolicy(new PolicyStatement({ actions: [...breakGlassActions.bucket], resources: [evidenceBucket.bucketArn] }));
      // To find what to delete or correct: the objects, their versions and their locks.
      role.addToPolicy(
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
          resources: objectArns,
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketObjectLockConfiguration'],
          resources: [evidenceBucket.bucketArn],
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [evidenceKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
        }),
      );
      const policy = role.node.findChild('DefaultPolicy');
      for (const [i, prefix] of protectedPrefixes.entries()) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${nagResource(this, objectArns[i] ?? '')}]`,
          reason:
            `Break-glass role, on ${prefix}* only: deletes, unlocks or reads the one file or anchor that a deletion or correction ` +
            '(個人情報保護法 第98条 利用停止, 第90条 訂正) requires, whose key is known only when the request comes; each session of the role (MFA, one hour) is an AssumeRole event in CloudTrail.',
        });
      }
    }
    evidenceBucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EvidenceStaysObjects',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...breakGlassActions.objects],
        resources: protectedPrefixes.map((p) => evidenceBucket.arnForObjects(`${p}*`)),
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.breakGlassRoleArn } },
      }),
    );
    evidenceBucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EvidenceStaysLockConfiguration',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...breakGlassActions.bucket],
        resources: [evidenceBucket.bucketArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [this.breakGlassRoleArn, ...deploymentRoleArns(this)] } },
      }),
    );

    this.backup = new DataBackup(this, 'Backup', {
      table,
      evidenceBucket,
      retention,
      copyTo: props.backupCopyRegion
        ? { region: props.backupCopyRegion, vaultName: backupCopyVaultName(props.authDomainPrefix) }
        : undefined,
    });

    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, evidenceBucketNameOutput, { value: evidenceBucket.bucketName });
    new CfnOutput(this, evidenceKeyArnOutput, { value: evidenceKey.keyArn });
    new CfnOutput(this, 'EvidenceBreakGlassRoleArn', { value: this.breakGlassRoleArn });
    new CfnOutput(this, 'BackupVaultName', { value: this.backup.vault.backupVaultName });
    new CfnOutput(this, 'BackupRoleArn', { value: this.backup.role.roleArn });
  }
}
