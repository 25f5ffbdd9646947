// adapter → lib/app/evidence (presigned upload/download; bytes never pass through here)
import { api } from '#lib/http/operations/evidence.js';
import { httpFunction } from '#lib/runtime/http.js';

export const handler = httpFunction(api);
