// adapter → lib/app/findings (use cases) → lib/domain/scopes (第7条の2第3項)
import { api } from '#lib/http/operations/findings.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

export const handler = httpFunction(api, { table });
