// adapter → lib/app/contractors (use cases) → lib/domain/contractor (第22条 委託先)
import { api } from '#lib/http/operations/contractors.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

// The access its spec grants: the table, and the bus (it announces events), loaded on first use; no function without that access carries it.
export const handler = httpFunction(api, { table, bus: () => import('#lib/jobs/event-bus.js') });
