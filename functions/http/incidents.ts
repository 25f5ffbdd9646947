// adapter → lib/app/incidents (use cases) → lib/domain/incident (第23条–第25条 事案)
import { api } from '#lib/http/operations/incidents.js';
import { httpFunction } from '#lib/runtime/http.js';

export const handler = httpFunction(api);
