import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Clock, TrailAnchors } from '#lib/app/ports.js';
import { type RetryPolicy, retrying } from '#lib/app/retry.js';
import { translateAwsError } from './errors.js';

const statusOf = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** A put that met another conditional put of its key: 3 tries, 100 ms more each time. */
const conflictRetry: RetryPolicy = { attempts: 3, stepMs: 100, jitterMs: 0 };

/**
 * The audit trail's anchors in the evidence bucket, under `anchors/` (lib/domain/anchor.ts).
 *
 * Written with `If-None-Match: *`: S3 refuses (412) to put a key that exists, so an
 * anchor is written once and a repeated run changes nothing; the bucket's Object Lock
 * (default GOVERNANCE retention, versioning) keeps every version for years, and the
 * jobs function may only PutObject under `anchors/` (no delete, no retention bypass).
 * Each body carries its SHA-256 (`x-amz-checksum-sha256`): S3 wants an integrity
 * checksum on every put into a bucket with Object Lock.
 *
 * Locally the S3 emulator (s3rver) has neither Object Lock nor conditional writes: the
 * same calls, and a repeated run writes the same bytes again (the content of an anchor
 * depends only on its day's events).
 */
export class S3TrailAnchors implements TrailAnchors {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly clock: Clock,
  ) {}

  async putOnce(key: string, body: string): Promise<boolean> {
    const checksum = createHash('sha256').update(body).digest('base64');
    try {
      // 409 ConditionalRequestConflict: another conditional put of the key is in flight.
      await retrying(
        this.clock,
        conflictRetry,
        (err) => statusOf(err) === 409,
        () =>
          this.s3.send(
            new PutObjectCommand({
              Bucket: this.bucket,
              Key: key,
              Body: body,
              ContentType: 'application/json',
              ChecksumSHA256: checksum,
              IfNoneMatch: '*',
            }),
          ),
      );
      return true;
    } catch (err) {
      if (statusOf(err) === 412) return false;
      return translateAwsError(err);
    }
  }

  async latest(prefix: string): Promise<{ key: string; body: unknown } | undefined> {
    let newest: string | undefined;
    let token: string | undefined;
    do {
      const out = await this.s3
        .send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }))
        .catch(translateAwsError);
      for (const o of out.Contents ?? []) if (o.Key && (newest === undefined || o.Key > newest)) newest = o.Key;
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    if (newest === undefined) return undefined;
    return { key: newest, body: await this.get(newest) };
  }

  async get(key: string): Promise<unknown> {
    let text: string;
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      text = (await out.Body?.transformToString('utf8')) ?? '';
    } catch (err) {
      // Not there (404; 403 where the role may not list the prefix): no such object.
      if (statusOf(err) === 404 || statusOf(err) === 403 || (err as { name?: string }).name === 'NoSuchKey') return undefined;
      return translateAwsError(err);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
}
