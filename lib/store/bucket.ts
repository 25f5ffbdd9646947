/**
 * The evidence bucket's adapters in one module: the S3 client, the evidence objects
 * (presigned upload and download, inspection, copy), GuardDuty's scan results and the
 * audit trail's anchors. Only functions whose spec grants bucket access carry it (their
 * entry supplies it to lib/runtime/ports.ts), so the S3 client, the presigners and
 * file-type are in no other function's bundle.
 */
export { createS3Client, S3EvidenceObjects, S3GuardDutyScanResults } from './s3.js';
export { S3TrailAnchors } from './anchor-store.js';
