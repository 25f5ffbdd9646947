// adapter → health, the caller (/me) and the OpenAPI document
import { systemOperations } from '#lib/http/operations/system.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('system', systemOperations);
