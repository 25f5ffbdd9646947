// adapter → lib/app/evidence.verifyUpload (malware scan tag, size, magic bytes, SHA-256) on GuardDuty's scan result, or S3 ObjectCreated without scanning
import { evidenceUploadedHandler } from '#lib/events/evidence-uploaded.js';

export const handler = evidenceUploadedHandler();
