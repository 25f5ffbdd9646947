import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { type VerifyOutcome, verifyUpload } from '#lib/app/evidence.js';
import { type ScanReport, type UploadVersion, guardDutyScanStatuses, scanResultDetailType } from '#lib/domain/evidence.js';
import * as z from '#lib/domain/zod.js';
import { config } from '#lib/config.js';
import { injectLambdaContext, logger } from '#lib/logger.js';
import { type AdapterModules, deps, supplyAdapters } from '#lib/runtime/ports.js';

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

/** GuardDuty's scan-result event, the fields the verifier reads (the key is not URL-encoded, as in EventBridge's S3 events). */
const scanResultEventSchema = z.object({
  source: z.literal('aws.guardduty'),
  'detail-type': z.literal(scanResultDetailType),
  detail: z.object({
    s3ObjectDetails: z.object({
      bucketName: z.string().check(z.minLength(1)),
      objectKey: z.string().check(z.minLength(1)),
      versionId: z.optional(z.string().check(z.minLength(1))),
      eTag: z.optional(z.string().check(z.minLength(1))),
    }),
    scanResultDetails: z.object({
      scanResultStatus: z.enum(guardDutyScanStatuses),
      threats: z.nullish(z.array(z.object({ name: z.string() }))),
    }),
  }),
});
export type ScanResultEvent = z.infer<typeof scanResultEventSchema>;

/** The upload a scan-result event is about: its key, the version scanned and GuardDuty's report with the threat names. */
export function scanResultOf(event: ScanResultEvent): { bucket: string; key: string; version: UploadVersion; report: ScanReport } {
  const o = event.detail.s3ObjectDetails;
  const r = event.detail.scanResultDetails;
  return {
    bucket: o.bucketName,
    key: o.objectKey,
    version: { ...(o.versionId ? { versionId: o.versionId } : {}), ...(o.eTag ? { eTag: o.eTag } : {}) },
    report: { scanner: 'GuardDuty', status: r.scanResultStatus, threats: (r.threats ?? []).map((t) => t.name) },
  };
}

/** An upload the scanner has not reported on yet: thrown so the asynchronous invocation is retried. */
export class ScanNotReported extends Error {
  constructor(key: string) {
    super(`no malware scan result on ${key} yet: retried`);
    this.name = 'ScanNotReported';
  }
}

function settled(key: string, version: UploadVersion, outcome: VerifyOutcome): void {
  logger.info('evidence upload checked', { key, ...version, outcome });
  if (outcome === 'scanPending') throw new ScanNotReported(key);
}

/**
 * The verifier's handler, for either event that starts it: S3 ObjectCreated on
 * `incoming/` (locally, and in AWS without malware scanning), or GuardDuty's scan
 * result of an upload under `incoming/` (AWS with `malwareScan` on; the rule invokes it
 * only then, so no upload is verified before its scan). Each verifies the upload in the
 * version the event names. A failure, or an upload without a scan result yet, is thrown
 * so the asynchronous invocation is retried (verification is idempotent); after the
 * retries Lambda sends the event to the verifier's on-failure queue (an alarm), and the
 * daily `evidence-pending` duty verifies the upload then, or marks the evidence expired
 * and asks its uploader to upload again.
 */
export function evidenceUploadedHandler(adapters: Pick<AdapterModules, 'table' | 'bucket'>) {
  supplyAdapters(adapters);
  return middy<S3Event | ScanResultEvent, void>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      if (!('Records' in event)) {
        const scan = scanResultOf(scanResultEventSchema.parse(event));
        if (scan.bucket !== config().EVIDENCE_BUCKET) {
          logger.warn('scan result of another bucket ignored', { bucket: scan.bucket, key: scan.key });
          return;
        }
        settled(scan.key, scan.version, await verifyUpload(deps(), scan.key, scan.version, undefined, scan.report));
        return;
      }
      for (const record of event.Records) {
        const key = objectKeyOf(record);
        const version = uploadVersionOf(record);
        settled(key, version, await verifyUpload(deps(), key, version));
      }
    });
}
