// adapter → lib/app/tasks (use cases) → lib/domain/task (the inbox of periodic duties)
import { api } from '#lib/http/operations/tasks.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

export const handler = httpFunction(api, { table });
