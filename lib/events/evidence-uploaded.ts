import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { S3Event } from 'aws-lambda';
import { verifyUpload } from '#lib/app/evidence.js';
import type { UploadVersion } from '#lib/domain/evidence.js';
import { logger } from '#lib/logger.js';
import { deps } from '#lib/runtime/ports.js';

/** S3 keys arrive URL-encoded in notifications, with spaces as '+'. */
export function objectKeyOf(record: S3Event['Records'][number]): string {
  return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
}

/**
 * The version the notification is about: S3 names it (`versionId`, `eTag`) in a
 * versioned bucket; the local emulator keeps no versions and sends no `versionId`.
 */
export function uploadVersionOf(record: S3Event['Records'][number]): UploadVersion {
  const { versionId, eTag } = record.s3.object as { versionId?: string; eTag?: string };
  return { ...(versionId ? { versionId } : {}), ...(eTag ? { eTag } : {}) };
}

/**
 * The S3 ObjectCreated handler: verifies each uploaded object, in the version the event
 * names. A failure is thrown so the asynchronous invocation is retried (verification is
 * idempotent); after the retries Lambda sends the event to the verifier's on-failure
 * queue (an alarm), and the daily `evidence-pending` duty verifies the upload then, or
 * marks the evidence expired and asks its uploader to upload again.
 */
export function evidenceUploadedHandler() {
  return middy<S3Event, void>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      for (const record of event.Records) {
        const key = objectKeyOf(record);
        const version = uploadVersionOf(record);
        const outcome = await verifyUpload(deps(), key, version);
        logger.info('evidence upload checked', { key, ...version, outcome });
      }
    });
}
