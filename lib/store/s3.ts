import { createHash } from 'node:crypto';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { fileTypeFromBuffer } from 'file-type';
import type { EvidenceObjects } from '#lib/app/ports.js';
import { contentDisposition, type ObservedUpload } from '#lib/domain/evidence.js';
import { translateAwsError } from './errors.js';

/** Presigned links live at most this long (≤ 5 minutes). */
export const presignSeconds = 300;
/** Rejected uploads are kept this long in quarantine/, then expire (lifecycle). */
const quarantineDays = 30;
/** Uploads under incoming/ are locked this long (GOVERNANCE), not the bucket's years. */
const uploadLockDays = 2;
/** Bytes of the head read for the type by magic bytes (xlsx needs its zip entries). */
const headBytes = 64 * 1024;

/** The one way to build an S3 client: path style and the emulator's keys locally. */
export function createS3Client(opts: { region: string; endpoint?: string | undefined }): S3Client {
  return new S3Client({
    region: opts.region,
    // Under the functions' timeouts: 1 s to connect, 5 s without a byte (not the whole transfer).
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 },
    // Checksums only where S3 requires them: the emulator stores aws-chunked framing otherwise.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(opts.endpoint ? { endpoint: opts.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } } : {}),
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
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: contentDisposition(file.fileName), ResponseContentType: file.contentType }),
      { expiresIn: presignSeconds },
    );
    return { url, expiresAt: new Date(this.clock.now().getTime() + presignSeconds * 1000).toISOString() };
  }

  async inspect(key: string): Promise<ObservedUpload | undefined> {
    let body: AsyncIterable<Uint8Array>;
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      body = out.Body as AsyncIterable<Uint8Array>;
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
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
    const detected = await fileTypeFromBuffer(Buffer.concat(head));
    return { size, sha256: hash.digest('hex'), detectedType: detected?.mime };
  }

  async copy(from: string, to: string, retention: 'default' | 'quarantine'): Promise<{ sourceVersionId?: string }> {
    const until = new Date(this.clock.now().getTime() + quarantineDays * 86_400_000);
    const out = await this.s3
      .send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          CopySource: `${this.bucket}/${from}`,
          Key: to,
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
      .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}), BypassGovernanceRetention: true }))
      .catch(translateAwsError);
  }
}
