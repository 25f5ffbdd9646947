// adapter → lib/app/evidence (presigned upload/download; bytes never pass through here)
import { evidenceOperations } from '#lib/http/operations/evidence.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('evidence', evidenceOperations);
