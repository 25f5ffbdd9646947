import { CfnOutput, type Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { BackupVault } from 'aws-cdk-lib/aws-backup';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * The name of the vault in the copy region: `<authDomainPrefix>-backup-copy`. Fixed, so the
 * data stack's backup plan can name its ARN without a cross-region reference. Refused at
 * synth when it cannot be a vault name (2–50 letters, digits, hyphens, underscores).
 */
export function backupCopyVaultName(authDomainPrefix: string): string {
  const name = `${authDomainPrefix}-backup-copy`;
  if (!/^[a-zA-Z0-9\-_]{2,50}$/.test(name)) {
    throw new Error(`authDomainPrefix "${authDomainPrefix}" is too long: the backup copy vault's name ${name} must fit in 50 characters`);
  }
  return name;
}

/**
 * A region for the backup copy (context `backupCopyRegion`): a region name such as
 * `ap-northeast-3`, other than the region of the data itself. Refused at synth otherwise.
 */
export function checkBackupCopyRegion(copyRegion: string, dataRegion: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(copyRegion)) {
    throw new Error(`cdk context "backupCopyRegion" must be a region name such as ap-northeast-3, got "${copyRegion}"`);
  }
  if (copyRegion === dataRegion) {
    throw new Error(
      `cdk context "backupCopyRegion" must differ from the data's own region ${dataRegion}: a copy in the same region adds nothing`,
    );
  }
  return copyRegion;
}

/** Props of {@link BackupCopyStack}. */
export interface BackupCopyStackProps extends StackProps {
  /** Prefix of the Cognito domain: names the vault (see {@link backupCopyVaultName}). */
  authDomainPrefix: string;
  /** How long copies are kept: the vault's lock refuses a copy kept any shorter. */
  retention: Duration;
}

/**
 * The vault in a second region that the data stack's backup plan copies every recovery
 * point to (context `backupCopyRegion`): under a key of its own in that region (KMS keys
 * are regional), with Vault Lock in governance mode at the same minimum retention as the
 * primary vault. Deployed before the data stack, which names it by its fixed name.
 */
export class BackupCopyStack extends Stack {
  /** The vault copies go to. */
  readonly vault: BackupVault;

  constructor(scope: Construct, id: string, props: BackupCopyStackProps) {
    super(scope, id, props);
    const key = new Key(this, 'BackupCopyKey', {
      description: 'kansa: encrypts the copies of the backups of the table and the evidence bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new BackupVault(this, 'BackupCopyVault', {
      backupVaultName: backupCopyVaultName(props.authDomainPrefix),
      encryptionKey: key,
      lockConfiguration: { minRetention: props.retention },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, 'BackupCopyVaultName', { value: this.vault.backupVaultName });
  }
}
