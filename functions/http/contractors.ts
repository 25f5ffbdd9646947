// adapter → lib/app/contractors (use cases) → lib/domain/contractor (第22条 委託先)
import { api } from '#lib/http/operations/contractors.js';
import { httpFunction } from '#lib/runtime/http.js';

export const handler = httpFunction(api);
