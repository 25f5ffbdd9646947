// adapter → lib/app/audit-trail (監査証跡 of one entity)
import { api } from '#lib/http/operations/audit-log.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

// The access its spec grants: the table, and the bucket (it reads the trail's anchors), loaded on first use; no function without that access carries it.
export const handler = httpFunction(api, { table, bucket: () => import('#lib/store/bucket.js') });
