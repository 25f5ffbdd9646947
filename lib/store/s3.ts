import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { EvidenceObjects, MalwareScanner } from '#lib/app/ports.js';
import { contentDisposition } from '#lib/domain/content-disposition.js';
import {
  type GuardDutyScanStatus,
  guardDutyScanStatuses,
  guardDutyScanTag,
  type ObservedUpload,
  type ScanReport,
  type UploadVersion,
} from '#lib/domain/evidence.js';
import { translateAwsError } from './errors.js';

/** Presigned links live at most this long (≤ 5 minutes). */
export const presignSeconds = 300;
/** Rejected uploads are kept this long in quarantine/, then expire (lifecycle). */
const quarantineDays = 30;
/** Uploads under incoming/ are locked this long (GOVERNANCE), not the bucket's years. */
const uploadLockDays = 2;
/** Bytes of the head read for the type by magic bytes (xlsx needs its zip entries). */
const headBytes = 64 * 1024;

/** A missing key or version: nothing to verify. */
function isMissing(err: unknown): boolean {
  const name = (err as { name?: string }).name;
  return err instanceof NoSuchKey || name === 'NoSuchKey' || name === 'NoSuchVersion';
}

/** S3 notifications carry the ETag bare, GetObject answers it quoted; If-Match headers take it quoted. */
export function quotedETag(eTag: string): string {
  return `"${eTag.replace(/^"|"$/g, '')}"`;
}

/** The one way to build an S3 client: path style and the emulator's keys locally. */
export function createS3Client(opts: { region: string; endpoint?: string | undefined }): S3Client {
  return new S3Client({
    region: opts.region,
    // Under the functions' timeouts: 1 s to connect, 5 s without a byte (not the whole transfer).
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 },
    // Checksums only where S3 requires them: the emulator stores aws-chunked framing otherwise.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(opts.endpoint
      ? { endpoint: opts.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
      : {}),
  });
}

/** The evidence bucket through S3's own presigned POST/GET, copy and delete. */
export class S3EvidenceObjects implements EvidenceObjects {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async presignUpload(key: string, file: { contentType: string; size: number; sha256: string }) {
    const checksum = Buffer.from(file.sha256, 'hex').toString('base64');
    // Uploads are locked only briefly: verification copies good ones to evidence/ (the
    // bucket's default retention) and removes the upload; one never verified can expire.
    const lockedUntil = new Date(this.clock.now().getTime() + uploadLockDays * 86_400_000).toISOString();
    const post = await createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [
        ['content-length-range', file.size, file.size],
        ['eq', '$Content-Type', file.contentType],
        ['eq', '$x-amz-checksum-algorithm', 'SHA256'],
        ['eq', '$x-amz-checksum-sha256', checksum],
        ['eq', '$x-amz-object-lock-mode', 'GOVERNANCE'],
        ['eq', '$x-amz-object-lock-retain-until-date', lockedUntil],
      ],
      Fields: {
        'Content-Type': file.contentType,
        'x-amz-checksum-algorithm': 'SHA256',
        'x-amz-checksum-sha256': checksum,
        'x-amz-object-lock-mode': 'GOVERNANCE',
        'x-amz-object-lock-retain-until-date': lockedUntil,
      },
      Expires: presignSeconds,
    });
    return { url: post.url, fields: post.fields, expiresAt: new Date(this.clock.now().getTime() + presignSeconds * 1000).toISOString() };
  }

  async presignDownload(key: string, file: { fileName: string; contentType: string }) {
    const url = await getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: contentDisposition(file.fileName),
        ResponseContentType: file.contentType,
      }),
      { expiresIn: presignSeconds },
    );
    return { url, expiresAt: new Date(this.clock.now().getTime() + presignSeconds * 1000).toISOString() };
  }

  async inspect(key: string, version: UploadVersion = {}): Promise<(ObservedUpload & UploadVersion) | undefined> {
    // Without a version (no notification: the evidence-pending duty) the key may well be
    // gone, and S3 answers a GetObject of a missing key with 403, not 404, to a role that
    // may not list the bucket: the role may list incoming/ only, so ask that first.
    if (!version.versionId && !(await this.listed(key))) return undefined;
    let body: AsyncIterable<Uint8Array>;
    let read: UploadVersion;
    try {
      // The version the notification names (the bucket is versioned: a later upload to the
      // same key, or a delete marker, does not change what this event is about).
      const out = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(version.versionId ? { VersionId: version.versionId } : {}) }),
      );
      body = out.Body as AsyncIterable<Uint8Array>;
      read = { versionId: out.VersionId ?? version.versionId, eTag: out.ETag ?? version.eTag };
    } catch (err) {
      if (isMissing(err)) return undefined;
      return translateAwsError(err);
    }
    // One pass: hash every byte, keep only the head for the magic bytes.
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headLength = 0;
    let size = 0;
    for await (const chunk of body) {
      hash.update(chunk);
      size += chunk.length;
      if (headLength < headBytes) {
        head.push(Buffer.from(chunk.subarray(0, headBytes - headLength)));
        headLength += Math.min(chunk.length, headBytes - headLength);
      }
    }
    // Loaded on first use (lib/store/file-type.ts): only verification reads magic bytes.
    const { fileTypeFromBuffer } = await import('#lib/store/file-type.js');
    const detected = await fileTypeFromBuffer(Buffer.concat(head));
    return { size, sha256: hash.digest('hex'), detectedType: detected?.mime, ...read };
  }

  /** Whether the key is there (its current version is not a delete marker): one ListObjectsV2 of its own prefix. */
  private async listed(key: string): Promise<boolean> {
    const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1 })).catch(translateAwsError);
    return (out.Contents ?? []).some((o) => o.Key === key);
  }

  async copy(
    from: string,
    to: string,
    retention: 'default' | 'quarantine',
    version: UploadVersion = {},
  ): Promise<{ sourceVersionId?: string }> {
    const until = new Date(this.clock.now().getTime() + quarantineDays * 86_400_000);
    const out = await this.s3
      .send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          // Exactly the version that was judged, and only while it is still the bytes that were hashed.
          CopySource: `${this.bucket}/${from}${version.versionId ? `?versionId=${encodeURIComponent(version.versionId)}` : ''}`,
          ...(version.eTag ? { CopySourceIfMatch: quotedETag(version.eTag) } : {}),
          Key: to,
          // Not the upload's tags (GuardDuty's scan result, kept on the evidence record): copying
          // tags would need s3:GetObjectTagging and s3:PutObjectTagging, which the verifier lacks.
          TaggingDirective: 'REPLACE',
          ...(retention === 'quarantine' ? { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until } : {}),
        }),
      )
      .catch(translateAwsError);
    return out.CopySourceVersionId ? { sourceVersionId: out.CopySourceVersionId } : {};
  }

  async remove(key: string, versionId?: string): Promise<void> {
    // The bucket is versioned: delete the very version that was copied, not just add a
    // delete marker. Uploads are under GOVERNANCE retention; only incoming/ may bypass it (IAM).
    await this.s3
      .send(
        new DeleteObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
          BypassGovernanceRetention: true,
        }),
      )
      .catch(translateAwsError);
  }
}

/**
 * GuardDuty Malware Protection for S3's result on an upload: the `GuardDutyMalwareScanStatus`
 * tag it puts on each object it scanned under `incoming/`, read from exactly the version
 * asked for (GetObjectTagging with its versionId). No tag yet: undefined (not scanned
 * yet). A value GuardDuty does not document is an error, not a guess.
 */
export class S3GuardDutyScanResults implements MalwareScanner {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async reportOf(key: string, version: UploadVersion): Promise<ScanReport | undefined> {
    const out = await this.s3
      .send(new GetObjectTaggingCommand({ Bucket: this.bucket, Key: key, ...(version.versionId ? { VersionId: version.versionId } : {}) }))
      .catch(translateAwsError);
    const value = (out.TagSet ?? []).find((t) => t.Key === guardDutyScanTag)?.Value;
    if (value === undefined) return undefined;
    if (!(guardDutyScanStatuses as readonly string[]).includes(value)) {
      throw new Error(`${key} has an unknown ${guardDutyScanTag} tag value: ${value}`);
    }
    return { scanner: 'GuardDuty', status: value as GuardDutyScanStatus };
  }
}
