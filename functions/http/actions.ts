// adapter → lib/app/actions (use cases) → lib/domain/action (第28条 follow-up lifecycle)
import { api } from '#lib/http/operations/actions.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

export const handler = httpFunction(api, { table });
