// adapter → health, the caller (/me) and the OpenAPI document
import { api } from '#lib/http/operations/system.js';
import { httpFunction } from '#lib/runtime/http.js';

export const handler = httpFunction(api);
