// adapter → lib/app/evidence (presigned upload/download; bytes never pass through here)
import { api } from '#lib/http/operations/evidence.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

// The access its spec grants: the table, and the bucket (it presigns uploads and downloads), loaded on first use; no function without that access carries it.
export const handler = httpFunction(api, { table, bucket: () => import('#lib/store/bucket.js') });
