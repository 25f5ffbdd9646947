// adapter → lib/app/evidence (presigned upload/download; bytes never pass through here)
import { evidenceOperations, evidenceReplays } from '#lib/http/operations/evidence.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('evidence', evidenceOperations, { replays: evidenceReplays });
