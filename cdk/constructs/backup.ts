import { ArnFormat, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupSelection, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Props of {@link DataBackup}. */
export interface DataBackupProps {
  table: ITable;
  evidenceBucket: IBucket;
  /** How long each daily recovery point is kept (the evidence retention); also the vault lock's minimum. */
  retention: Duration;
  /** The vault in another region every recovery point is copied to, by region and fixed name; none by default. */
  copyTo?: { region: string; vaultName: string } | undefined;
}

/**
 * How long a recovery point stays warm before it moves to cold storage: DynamoDB's (with
 * AWS Backup's advanced DynamoDB features); AWS Backup ignores it for S3, which has no cold tier.
 */
export const backupColdAfter = Duration.days(30);

/** Cold storage keeps a recovery point at least this long (AWS Backup), so the retention must exceed {@link backupColdAfter} by it. */
const coldMinimum = Duration.days(90);

/**
 * The AWS managed policies of the backup role: backing up and restoring the table
 * (DynamoDB's advanced backup) and the evidence bucket (S3 needs its own two), with the
 * reason of each AwsSolutions-IAM4 acknowledgement.
 */
export const backupManagedPolicies: readonly { name: string; why: string }[] = [
  {
    name: 'service-role/AWSBackupServiceRolePolicyForBackup',
    why: 'the policy AWS Backup documents for backing up the DynamoDB table; it follows the service as AWS changes what a backup needs, which a hand-written copy would not',
  },
  {
    name: 'service-role/AWSBackupServiceRolePolicyForRestores',
    why: 'the policy AWS Backup documents for restoring a DynamoDB recovery point (to a new table), kept with the role so the README restore commands can name this role',
  },
  {
    name: 'AWSBackupServiceRolePolicyForS3Backup',
    why: 'S3 backups need this policy besides the general one (AWS Backup documentation): reading every object version, and kms:Decrypt only through S3 (kms:ViaService s3.*), which is how the evidence objects under the customer-managed key are read',
  },
  {
    name: 'AWSBackupServiceRolePolicyForS3Restore',
    why: 'S3 restores need this policy besides the general one (AWS Backup documentation): writing the restored objects into a new or the same bucket, with kms:GenerateDataKey only through S3; the evidence bucket policy still denies deletion under evidence/ and anchors/ to this role',
  },
];

/**
 * Daily AWS Backup of the table and the evidence bucket into a vault under a key of its own,
 * with Vault Lock (governance mode: the lock can be lifted only by whoever may call
 * backup:DeleteBackupVaultLockConfiguration, and CloudTrail records it), each recovery point
 * kept for {@link DataBackupProps.retention}, DynamoDB's moved to cold storage after
 * {@link backupColdAfter}, and optionally copied to a vault in another region.
 */
export class DataBackup extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: DataBackupProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // A key of its own rather than the evidence key: a backup must stay readable when the
    // evidence key is disabled or scheduled for deletion, which is what it is a backup against.
    const key = new Key(this, 'BackupKey', {
      description: 'kansa: encrypts the backups of the table and the evidence bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new BackupVault(this, 'Vault', {
      encryptionKey: key,
      // Governance mode (no changeableFor), like the evidence bucket's Object Lock: a recovery
      // point kept shorter than the retention is refused, and none can be deleted before it ends.
      lockConfiguration: { minRetention: props.retention },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    if (props.retention.toDays() < backupColdAfter.toDays() + coldMinimum.toDays()) {
      throw new Error(`the backup retention must be at least ${backupColdAfter.toDays() + coldMinimum.toDays()} days`);
    }
    const copyActions = props.copyTo
      ? [
          {
            destinationBackupVault: BackupVault.fromBackupVaultArn(
              this,
              'CopyVault',
              stack.formatArn({
                service: 'backup',
                region: props.copyTo.region,
                resource: 'backup-vault',
                resourceName: props.copyTo.vaultName,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ),
            deleteAfter: props.retention,
            moveToColdStorageAfter: backupColdAfter,
          },
        ]
      : undefined;

    this.plan = new BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'daily',
          // 02:00 in Japan, after the night's duties (the last, audit-anchor, runs at 00:40).
          scheduleExpression: Schedule.cron({ hour: '2', minute: '0' }),
          scheduleExpressionTimezone: TimeZone.ASIA_TOKYO,
          deleteAfter: props.retention,
          moveToColdStorageAfter: backupColdAfter,
          ...(copyActions ? { copyActions } : {}),
        }),
      ],
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('backup.amazonaws.com'),
      description: 'kansa: AWS Backup backs up and restores the table and the evidence bucket with this role',
      managedPolicies: backupManagedPolicies.map((p) => ManagedPolicy.fromAwsManagedPolicyName(p.name)),
    });
    for (const p of backupManagedPolicies) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p.name}]`,
        reason: `${p.name.replace(/^service-role\//, '')}: ${p.why}.`,
      });
    }
    new BackupSelection(this, 'Selection', {
      backupPlan: this.plan,
      role: this.role,
      disableDefaultBackupPolicy: true,
      resources: [BackupResource.fromDynamoDbTable(props.table), BackupResource.fromArn(props.evidenceBucket.bucketArn)],
    });
  }
}
