import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { S3Event } from 'aws-lambda';
import { verifyUpload } from '#lib/app/evidence.js';
import { logger } from '#lib/logger.js';
import { deps } from '#lib/store/deps.js';

/** S3 keys arrive URL-encoded in notifications, with spaces as '+'. */
export function objectKeyOf(record: S3Event['Records'][number]): string {
  return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
}

/**
 * The S3 ObjectCreated handler: verifies each uploaded object. A failure is thrown so
 * the asynchronous invocation is retried; verification is idempotent.
 */
export function evidenceUploadedHandler() {
  return middy<S3Event, void>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      for (const record of event.Records) {
        const key = objectKeyOf(record);
        const outcome = await verifyUpload(deps(), key);
        logger.info('evidence upload checked', { key, outcome });
      }
    });
}
