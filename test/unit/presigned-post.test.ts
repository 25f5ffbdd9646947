import { describe, expect, it } from 'vitest';
import { createS3Client, S3EvidenceObjects } from '#lib/store/s3.js';
import { jpeg, sha256 } from '#test/fixtures/files.js';

/**
 * The presigned POST policy as data: the S3 emulator does not enforce it, so what S3
 * will enforce in AWS is checked here, from the signed policy document itself.
 */
describe('presigned POST policy of an evidence upload', () => {
  const now = new Date('2026-11-20T01:00:00Z');
  const objects = new S3EvidenceObjects(createS3Client({ region: 'ap-northeast-1' }), 'kansa-evidence', { now: () => now });
  const key = 'incoming/action/01KANSA0000000000000000001/01KANSA0000000000000000002';

  async function policy() {
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
    const post = await objects.presignUpload(key, { contentType: 'image/jpeg', size: jpeg.length, sha256: sha256(jpeg) });
    const doc = JSON.parse(Buffer.from(post.fields.Policy as string, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    return { post, doc };
  }

  it('pins the exact key (never the file name), the exact size, the content type and the SHA-256', async () => {
    const { post, doc } = await policy();
    expect(post.fields.key).toBe(key);
    expect(doc.conditions).toContainEqual({ key });
    expect(doc.conditions).toContainEqual(['content-length-range', jpeg.length, jpeg.length]);
    expect(doc.conditions).toContainEqual(['eq', '$Content-Type', 'image/jpeg']);
    expect(doc.conditions).toContainEqual(['eq', '$x-amz-checksum-algorithm', 'SHA256']);
    expect(doc.conditions).toContainEqual(['eq', '$x-amz-checksum-sha256', Buffer.from(sha256(jpeg), 'hex').toString('base64')]);
    expect(doc.conditions).toContainEqual({ bucket: 'kansa-evidence' });
  });

  it('expires within 5 minutes and locks the upload only briefly', async () => {
    const { post, doc } = await policy();
    const expiresIn = new Date(doc.expiration).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60 * 1000);
    expect(new Date(post.expiresAt).getTime() - now.getTime()).toBeLessThanOrEqual(5 * 60 * 1000);
    expect(doc.conditions).toContainEqual(['eq', '$x-amz-object-lock-mode', 'GOVERNANCE']);
    const until = post.fields['x-amz-object-lock-retain-until-date'] as string;
    expect(new Date(until).getTime() - now.getTime()).toBe(2 * 86_400_000);
  });

  it('signs with SigV4 and carries every pinned field in the form', async () => {
    const { post } = await policy();
    expect(post.fields).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'Content-Type': 'image/jpeg',
      'x-amz-checksum-algorithm': 'SHA256',
    });
    expect(post.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });
});
