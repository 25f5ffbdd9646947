// adapter → lib/app/evidence.verifyUpload (malware scan tag, size, magic bytes, SHA-256) on GuardDuty's scan result, or S3 ObjectCreated without scanning
import * as table from '#lib/store/tables.js';
import { evidenceUploadedHandler } from '#lib/events/evidence-uploaded.js';

export const handler = evidenceUploadedHandler({ table, bucket: () => import('#lib/store/bucket.js') });
