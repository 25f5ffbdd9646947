import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { BucketAccessLevel } from '#lib/functions.js';
import type { IConstruct } from 'constructs';
import type { AppFunction } from './app-function.js';

/** How a function may use the evidence bucket (`FunctionSpec.bucket`). */
export type BucketAccess = BucketAccessLevel;

/** One grant: these actions on the objects under these key prefixes, and why. */
export interface BucketGrant {
  actions: readonly string[];
  prefixes: readonly ('incoming/' | 'evidence/' | 'quarantine/' | 'anchors/')[];
  /** Why the role needs it: the reason of the AwsSolutions-IAM5 acknowledgement of each `<prefix>*` resource. */
  why: string;
  /** IAM conditions of the grant (e.g. a put allowed only with `If-None-Match`). */
  conditions?: Record<string, Record<string, unknown>>;
}

/**
 * The KMS actions on the evidence bucket's key each access level needs, only through S3
 * (`kms:ViaService`): reading an object decrypts its data key; writing one (a presigned
 * POST signed by the role, a copy, an anchor) generates a data key.
 */
export const bucketKeyActions: Record<BucketAccess, readonly string[]> = {
  presign: ['kms:GenerateDataKey', 'kms:Decrypt'],
  verify: ['kms:GenerateDataKey', 'kms:Decrypt'],
  anchorRead: ['kms:Decrypt'],
  anchorWrite: ['kms:GenerateDataKey'],
  // Object tags are not encrypted with the object's data key.
  scanResult: [],
};

/**
 * The S3 actions of each access level, object-level and per key prefix; on the bucket
 * itself only {@link bucketListing} (no PutBucket*). No function may delete under
 * `evidence/`: verified evidence is never overwritten or removed (and Object Lock keeps
 * every version for the default retention anyway).
 */
export const bucketGrants: Record<BucketAccess, readonly BucketGrant[]> = {
  presign: [
    {
      actions: ['s3:PutObject', 's3:PutObjectRetention'],
      prefixes: ['incoming/'],
      why: 'signs presigned POST policies for browser uploads (with a two-day retention, so an upload never verified is not locked for years); the key is incoming/<targetType>/<targetId>/<evidenceId>, made per upload, so only the prefix can be named',
    },
    {
      actions: ['s3:GetObject'],
      prefixes: ['evidence/'],
      why: 'signs presigned GET URLs for downloads of verified evidence, whose keys evidence/<targetType>/<targetId>/<evidenceId> are per file, so only the prefix can be named',
    },
  ],
  verify: [
    {
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      prefixes: ['incoming/'],
      why: 'reads each new upload (size, magic bytes, SHA-256) in the version the S3 event names (GetObject and CopyObject of a versionId need GetObjectVersion); the key of the upload comes in the S3 event',
    },
    {
      actions: ['s3:PutObject'],
      prefixes: ['evidence/'],
      why: "CopyObject destination of a verified upload, under the bucket's default retention (no explicit retention: the bucket policy denies s3:PutObjectRetention on evidence/ to every role but the break-glass one); keys are per file",
    },
    {
      actions: ['s3:PutObject', 's3:PutObjectRetention'],
      prefixes: ['quarantine/'],
      why: 'CopyObject destination of a rejected upload, with a short explicit retention (30 days, then the lifecycle rule removes it); keys are per file',
    },
    {
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention'],
      prefixes: ['incoming/'],
      why: 'removes the upload after copying it; uploads carry the default GOVERNANCE retention, so removing the version needs the bypass, granted on incoming/ only',
    },
  ],
  scanResult: [
    {
      actions: ['s3:GetObjectTagging', 's3:GetObjectVersionTagging'],
      prefixes: ['incoming/'],
      why: "reads GuardDuty Malware Protection's GuardDutyMalwareScanStatus tag on the upload, in the version it verifies, before accepting it; the key of the upload comes in the scan-result event",
    },
  ],
  anchorRead: [
    {
      actions: ['s3:GetObject'],
      prefixes: ['anchors/'],
      why: 'reads the newest anchor of the audit trail of the entity being verified, anchors/entities/<type>/<id>/<date>.json, and the manifest of that day, anchors/<date>.json, it must be a leaf of: keys are per entity and day, so only the prefix can be named',
    },
  ],
  anchorWrite: [
    {
      actions: ['s3:PutObject'],
      prefixes: ['anchors/'],
      why: "writes the audit trail's daily anchors (anchors/<date>.json and anchors/entities/<type>/<id>/<date>.json, per day and entity) once each: only with If-None-Match (the s3:if-none-match condition), so an existing anchor can never be replaced; no delete, no retention change, no bypass, so Object Lock keeps every anchor",
      // S3 refuses the put of an existing key under If-None-Match: the role cannot overwrite an anchor.
      conditions: { Null: { 's3:if-none-match': 'false' } },
    },
  ],
};

/**
 * Listing of the bucket, by access level: only the key names under one prefix
 * (`s3:prefix` condition), never the whole bucket.
 */
export const bucketListing: Partial<Record<BucketAccess, { prefix: 'incoming/' | 'anchors/entities/'; why: string }>> = {
  verify: {
    prefix: 'incoming/',
    why: 'tells whether an upload is still there before reading it when no S3 event names its version (the evidence-pending duty); without s3:ListBucket S3 answers 403 for a missing key, not 404',
  },
  anchorRead: {
    prefix: 'anchors/entities/',
    why: "finds an entity's newest anchor by listing its own prefix: nothing in the table points to it, since whoever could rewrite the table could rewrite such a pointer too",
  },
};

/**
 * Set `EVIDENCE_BUCKET` and grant the {@link bucketGrants} of `access` (one level, or
 * several) and the {@link bucketKeyActions} on the bucket's key to the function's role, with one AwsSolutions-IAM5 acknowledgement per `<prefix>*` resource on the role's
 * policy, giving the reason of each grant on it. The statements go only to the role, never
 * to the bucket policy: the bucket lives in the data stack and must not depend on the API
 * stack. `bucket` must be a reference local to the function's stack (see {@link nagResource}).
 */
export function bindEvidenceBucket(fn: AppFunction, bucket: IBucket, access: BucketAccess | readonly BucketAccess[]): void {
  const levels: readonly BucketAccess[] = typeof access === 'string' ? [access] : access;
  fn.addEnvironment('EVIDENCE_BUCKET', bucket.bucketName);
  const reasons = new Map<string, string[]>();
  for (const grant of levels.flatMap((l) => bucketGrants[l])) {
    const resourceArns = grant.prefixes.map((p) => bucket.arnForObjects(`${p}*`));
    Grant.addToPrincipal({
      grantee: fn,
      actions: [...grant.actions],
      resourceArns,
      ...(grant.conditions ? { conditions: grant.conditions } : {}),
    });
    grant.prefixes.forEach((prefix, i) => {
      const id = `AwsSolutions-IAM5[Resource::${nagResource(fn, resourceArns[i] ?? '')}]`;
      reasons.set(id, [...(reasons.get(id) ?? []), `${grant.actions.join(', ')} on ${prefix}* only: ${grant.why}.`]);
    });
  }
  const keyActions = [...new Set(levels.flatMap((l) => bucketKeyActions[l]))].sort();
  if (!bucket.encryptionKey) throw new Error(`the evidence bucket given to ${fn.node.path} has no encryption key`);
  Grant.addToPrincipal({
    grantee: fn,
    actions: keyActions,
    resourceArns: [bucket.encryptionKey.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(fn).region}.amazonaws.com` } },
  });
  for (const listing of levels.flatMap((l) => bucketListing[l] ?? [])) {
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': `${listing.prefix}*` } },
    });
  }
  const policy = fn.role?.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`${fn.node.path} has no role policy`);
  for (const [id, why] of reasons) Validations.of(policy).acknowledge({ id, reason: why.join(' ') });
}

/**
 * An ARN as cdk-nag writes it in a finding id (its own flattener over the resolved
 * value). Exact only for ARNs that resolve at construction time the same as in the
 * template, i.e. not through an automatic cross-stack reference, whose output name CDK
 * generates later, at synthesis.
 */
export function nagResource(scope: IConstruct, arn: string): string {
  return flattenCfnReference(Stack.of(scope).resolve(arn));
}
