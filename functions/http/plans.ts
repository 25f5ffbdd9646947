// adapter → lib/app/plans (use cases) → lib/domain/plan (state machine, 第26条)
import { api } from '#lib/http/operations/plans.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

export const handler = httpFunction(api, { table });
