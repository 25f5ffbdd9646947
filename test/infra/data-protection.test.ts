import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cdkContext,
  logicalId,
  noBundling,
  reportFindingsInsteadOfThrowing,
  type Resource,
  type Statement,
  validationFindings,
} from '#test/support/infra.js';
import { quietly } from '#test/support/quiet-synth.js';
import { createApp, type KansaApp } from '#cdk/app.js';
import { backupColdAfter, backupManagedPolicies } from '#cdk/constructs/backup.js';
import { checkBackupCopyRegion } from '#cdk/stacks/backup-copy-stack.js';
import { breakGlassActions, checkBreakGlassRoleArn } from '#cdk/stacks/data-stack.js';

const givenBreakGlass = 'arn:aws:iam::123456789012:role/security/kansa-break-glass';

/** The default app (cdk.json's context), and one with a copy region, an existing break-glass role and 7 years' retention. */
let outdirs: string[] = [];
let plain: KansaApp;
let options: KansaApp;
let optionsAssembly: string;
let data: Template;
let dataWithOptions: Template;

function build(context: Record<string, unknown>): KansaApp {
  const outdir = mkdtempSync(join(tmpdir(), 'kansa-data-protection-'));
  outdirs.push(outdir);
  return quietly(() => createApp({ outdir, context: { ...cdkContext, ...reportFindingsInsteadOfThrowing, ...noBundling, ...context } }));
}

beforeAll(() => {
  plain = build({});
  data = Template.fromStack(plain.data);
  options = build({
    backupCopyRegion: 'ap-northeast-3',
    breakGlassRoleArn: givenBreakGlass,
    evidenceRetentionYears: '7',
    alarmEmail: 'kansa-alarms@city.example.lg.jp',
  });
  optionsAssembly = options.app.synth().directory;
  dataWithOptions = Template.fromStack(options.data);
}, 180_000);

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  outdirs = [];
});

const getAttArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const objectsUnder = (bucketId: string, prefix: string) => ({ 'Fn::Join': ['', [getAttArn(bucketId), `/${prefix}*`]] });
const days = (years: number): number => Math.ceil(365.25 * years);

/** The evidence bucket policy's statements. */
function bucketStatements(t: Template, app: KansaApp): Statement[] {
  const bucketId = logicalId(app.data, app.data.evidenceBucket);
  const policies = Object.values(t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } })) as Resource[];
  expect(policies).toHaveLength(1);
  return (policies[0]?.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
}

describe('evidence that stays: the bucket policy', () => {
  it('denies deleting (any version, any tags), changing or bypassing retention and legal holds on evidence/* and anchors/* to all but the break-glass role', () => {
    const bucketId = logicalId(plain.data, plain.data.evidenceBucket);
    const roleId = logicalId(plain.data, plain.data.breakGlassRole as never);
    const deny = bucketStatements(data, plain).filter((s) => s.Effect === 'Deny' && [s.Action].flat().includes('s3:DeleteObject*'));
    expect(deny).toHaveLength(1);
    expect([deny[0]?.Action].flat().sort()).toEqual(
      ['s3:BypassGovernanceRetention', 's3:DeleteObject*', 's3:PutObjectLegalHold', 's3:PutObjectRetention'].sort(),
    );
    expect(deny[0]?.Principal).toEqual({ AWS: '*' });
    expect([deny[0]?.Resource].flat()).toEqual(
      expect.arrayContaining([objectsUnder(bucketId, 'evidence/'), objectsUnder(bucketId, 'anchors/')]),
    );
    expect([deny[0]?.Resource].flat()).toHaveLength(2);
    expect(deny[0]?.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': getAttArn(roleId) } });
  });

  /** CDK's bootstrap role CloudFormation deploys with, as the template names it. */
  const deploymentRole = () => ({
    'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-\${AWS::AccountId}-${plain.data.region}`,
  });

  it("denies changing the bucket's Object Lock configuration to all but the break-glass role and CloudFormation's deployment role", () => {
    const bucketId = logicalId(plain.data, plain.data.evidenceBucket);
    const roleId = logicalId(plain.data, plain.data.breakGlassRole as never);
    const deny = bucketStatements(data, plain).filter(
      (s) => s.Effect === 'Deny' && [s.Action].flat().includes('s3:PutBucketObjectLockConfiguration'),
    );
    expect(deny).toHaveLength(1);
    expect(deny[0]).toMatchObject({
      Action: 's3:PutBucketObjectLockConfiguration',
      Principal: { AWS: '*' },
      Resource: getAttArn(bucketId),
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [getAttArn(roleId), deploymentRole()] } },
    });
  });

  it('leaves incoming/ and quarantine/ out of the deny (the verifier removes uploads, the lifecycle rules expire both)', () => {
    const text = JSON.stringify(
      bucketStatements(data, plain).filter((s) => s.Effect === 'Deny' && s.Condition && 'ArnNotEquals' in (s.Condition as object)),
    );
    expect(text).not.toMatch(/incoming\/|quarantine\//);
  });

  it('exempts the role named by context breakGlassRoleArn instead, and creates none', () => {
    const exemptions = bucketStatements(dataWithOptions, options)
      .filter((s) => s.Effect === 'Deny' && s.Condition && 'ArnNotEquals' in (s.Condition as object))
      .map((s) => s.Condition);
    expect(exemptions).toEqual([
      { ArnNotEquals: { 'aws:PrincipalArn': givenBreakGlass } },
      { ArnNotEquals: { 'aws:PrincipalArn': [givenBreakGlass, deploymentRole()] } },
    ]);
    expect(options.data.breakGlassRole).toBeUndefined();
    expect(JSON.stringify(dataWithOptions.findResources('AWS::IAM::Role'))).not.toContain('aws:MultiFactorAuthPresent');
    expect(dataWithOptions.toJSON().Outputs.EvidenceBreakGlassRoleArn).toEqual({ Value: givenBreakGlass });
  });
});

describe('evidence that stays: the break-glass role', () => {
  it('is assumable only by principals of this account with MFA, for an hour at most', () => {
    const roleId = logicalId(plain.data, plain.data.breakGlassRole as never);
    const role = data.findResources('AWS::IAM::Role')[roleId] as Resource;
    expect(role.Properties?.MaxSessionDuration).toBe(3600);
    expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    });
    expect(data.toJSON().Outputs.EvidenceBreakGlassRoleArn).toEqual({ Value: getAttArn(roleId) });
  });

  it('may do exactly what the bucket policy denies to others, and read, on evidence/* and anchors/* and the bucket only', () => {
    const bucketId = logicalId(plain.data, plain.data.evidenceBucket);
    const roleId = logicalId(plain.data, plain.data.breakGlassRole as never);
    const policies = Object.values(data.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify((p as Resource).Properties?.Roles).includes(`"${roleId}"`),
    ) as Resource[];
    expect(policies).toHaveLength(1);
    const statements = (policies[0]?.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    const onObjects = statements.filter((s) => JSON.stringify(s.Resource).includes('/evidence/*'));
    expect(onObjects).toHaveLength(1);
    expect([onObjects[0]?.Resource].flat()).toEqual(
      expect.arrayContaining([objectsUnder(bucketId, 'evidence/'), objectsUnder(bucketId, 'anchors/')]),
    );
    expect([onObjects[0]?.Resource].flat()).toHaveLength(2);
    const deleteActions = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'];
    const denied = breakGlassActions.objects.flatMap((a) => (a === 's3:DeleteObject*' ? deleteActions : [a]));
    const reads = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention', 's3:GetObjectLegalHold'];
    expect([onObjects[0]?.Action].flat().sort()).toEqual([...denied, ...reads].sort());
    const onBucket = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(getAttArn(bucketId)));
    expect(onBucket.flatMap((s) => [s.Action].flat()).sort()).toEqual(
      ['s3:PutBucketObjectLockConfiguration', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketObjectLockConfiguration'].sort(),
    );
    const kms = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
    expect(kms).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: getAttArn(logicalId(plain.data, plain.data.evidenceKey)),
        Condition: { StringEquals: { 'kms:ViaService': `s3.${plain.data.region}.amazonaws.com` } },
      },
    ]);
    expect(statements).toHaveLength(onObjects.length + onBucket.length + kms.length);
  });
});

describe('break-glass and copy-region context', () => {
  it('accepts an IAM role ARN (with a path) of this account, and refuses anything else with a clear error', () => {
    expect(checkBreakGlassRoleArn(givenBreakGlass, '123456789012')).toBe(givenBreakGlass);
    expect(() => checkBreakGlassRoleArn('arn:aws:iam::123456789012:user/alice', '123456789012')).toThrow(/must be an IAM role ARN/);
    expect(() => checkBreakGlassRoleArn('kansa-break-glass', '123456789012')).toThrow(/must be an IAM role ARN/);
    expect(() => checkBreakGlassRoleArn('arn:aws:iam::210987654321:role/kansa-break-glass', '123456789012')).toThrow(
      /must be a role of this account 123456789012/,
    );
  });

  it('refuses a malformed breakGlassRoleArn at synth', () => {
    expect(() => build({ breakGlassRoleArn: 'arn:aws:s3:::some-bucket' })).toThrow(/"breakGlassRoleArn" must be an IAM role ARN/);
  });

  it('refuses a backupCopyRegion that is not a region name, or is the data region itself', () => {
    expect(() => build({ backupCopyRegion: 'osaka' })).toThrow(/"backupCopyRegion" must be a region name/);
    expect(() => build({ backupCopyRegion: plain.data.region })).toThrow(/"backupCopyRegion" must differ/);
    expect(checkBackupCopyRegion('ap-northeast-3', 'ap-northeast-1')).toBe('ap-northeast-3');
  });
});

describe('backups', () => {
  it('back up the table and the evidence bucket daily at 02:00 Japan time, kept for the retention years from context, DynamoDB cold after 30 days', () => {
    const plans = Object.values(data.findResources('AWS::Backup::BackupPlan')) as Resource[];
    expect(plans).toHaveLength(1);
    const rules = (plans[0]?.Properties?.BackupPlan as { BackupPlanRule: Record<string, unknown>[] }).BackupPlanRule;
    expect(rules).toEqual([
      {
        RuleName: 'daily',
        ScheduleExpression: 'cron(0 2 * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Tokyo',
        Lifecycle: {
          DeleteAfterDays: days(Number(cdkContext.evidenceRetentionYears)),
          MoveToColdStorageAfterDays: backupColdAfter.toDays(),
        },
        TargetBackupVault: { 'Fn::GetAtt': [logicalId(plain.data, plain.data.backup.vault), 'BackupVaultName'] },
      },
    ]);
    expect(backupColdAfter.toDays()).toBe(30);
  });

  it('take the retention from context evidenceRetentionYears (7 years → 2557 days)', () => {
    dataWithOptions.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 2557, MoveToColdStorageAfterDays: 30 } })] },
    });
    dataWithOptions.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 2557 } });
  });

  it('select both the table and the evidence bucket, with the backup role', () => {
    data.resourceCountIs('AWS::Backup::BackupSelection', 1);
    data.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupPlanId: { 'Fn::GetAtt': [logicalId(plain.data, plain.data.backup.plan), 'BackupPlanId'] },
      BackupSelection: {
        IamRoleArn: getAttArn(logicalId(plain.data, plain.data.backup.role)),
        Resources: [
          getAttArn(logicalId(plain.data, plain.data.table as never)),
          getAttArn(logicalId(plain.data, plain.data.evidenceBucket)),
        ],
        ListOfTags: Match.absent(),
      },
    });
  });

  it('go into a vault under a key of its own (rotated, retained), locked in governance mode at the retention', () => {
    const vaults = data.findResources('AWS::Backup::BackupVault') as Record<string, Resource & { DeletionPolicy?: string }>;
    expect(Object.keys(vaults)).toEqual([logicalId(plain.data, plain.data.backup.vault)]);
    const vault = Object.values(vaults)[0];
    expect(vault?.DeletionPolicy).toBe('Retain');
    // No ChangeableForDays: governance mode, the lock can be lifted by a principal allowed to.
    expect(vault?.Properties?.LockConfiguration).toEqual({ MinRetentionDays: days(Number(cdkContext.evidenceRetentionYears)) });
    const keyRef = (vault?.Properties?.EncryptionKeyArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(keyRef).not.toBe(logicalId(plain.data, plain.data.evidenceKey));
    const key = data.findResources('AWS::KMS::Key')[keyRef] as Resource & { DeletionPolicy?: string };
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it("use a role AWS Backup alone assumes, with AWS Backup's own policies for DynamoDB and S3 backups and restores", () => {
    const role = data.findResources('AWS::IAM::Role')[logicalId(plain.data, plain.data.backup.role)] as Resource;
    expect(role.Properties?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'backup.amazonaws.com' } }],
    });
    const arns = (role.Properties?.ManagedPolicyArns as { 'Fn::Join': [string, unknown[]] }[]).map((a) => String(a['Fn::Join'][1][2]));
    expect(arns.sort()).toEqual(
      [
        ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
        ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
        ':iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup',
        ':iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
      ].sort(),
    );
    expect(backupManagedPolicies).toHaveLength(4);
    expect(data.toJSON().Outputs.BackupRoleArn).toEqual({ Value: getAttArn(logicalId(plain.data, plain.data.backup.role)) });
  });

  it('are not copied to another region, and no copy stack exists, unless backupCopyRegion is set', () => {
    expect(plain.backupCopy).toBeUndefined();
    expect(plain.app.node.tryFindChild('KansaBackupCopy')).toBeUndefined();
    expect(JSON.stringify(data.findResources('AWS::Backup::BackupPlan'))).not.toContain('CopyActions');
  });

  it('with backupCopyRegion, are copied to a locked vault of a fixed name in that region, kept as long, named by ARN (no cross-region reference)', () => {
    const copy = options.backupCopy;
    expect(copy?.region).toBe('ap-northeast-3');
    expect(copy?.stackName).toBe('KansaBackupCopy');
    const copyTemplate = Template.fromStack(copy as Stack);
    const vaultName = `${String(cdkContext.authDomainPrefix)}-backup-copy`;
    copyTemplate.resourceCountIs('AWS::Backup::BackupVault', 1);
    copyTemplate.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: {
        BackupVaultName: vaultName,
        LockConfiguration: { MinRetentionDays: 2557 },
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      },
    });
    copyTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dataWithOptions.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            CopyActions: [
              {
                DestinationBackupVaultArn: {
                  'Fn::Join': ['', ['arn:aws:backup:ap-northeast-3:', { Ref: 'AWS::AccountId' }, `:backup-vault:${vaultName}`]],
                },
                Lifecycle: { DeleteAfterDays: 2557, MoveToColdStorageAfterDays: 30 },
              },
            ],
          }),
        ],
      },
    });
    expect(options.data.dependencies).toContain(copy);
    expect(JSON.stringify(dataWithOptions.toJSON())).not.toMatch(/KansaBackupCopy|Fn::ImportValue/);
  });
});

describe('cdk-nag AwsSolutions with every option of this part set', () => {
  it('reports no unacknowledged finding, in the copy stack either', () => {
    expect(validationFindings(optionsAssembly)).toEqual([]);
    expect(existsSync(join(optionsAssembly, 'KansaBackupCopy.template.json'))).toBe(true);
  });
});
