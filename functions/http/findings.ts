// adapter → lib/app/findings (use cases) → lib/domain/scopes (第7条の2第3項)
import { findingOperations, findingReplays } from '#lib/http/operations/findings.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('findings', findingOperations, { replays: findingReplays });
