// adapter → lib/app/inspections (use cases) → lib/domain/inspection (第27条 点検)
import { api } from '#lib/http/operations/inspections.js';
import { httpFunction } from '#lib/runtime/http.js';

export const handler = httpFunction(api);
