// adapter → lib/app/evidence.verifyUpload (size, magic bytes, SHA-256) on S3 ObjectCreated
import { evidenceUploadedHandler } from '#lib/events/evidence-uploaded.js';

export const handler = evidenceUploadedHandler();
