// adapter → lib/app/trainings (use cases) → lib/domain/training (第11条 教育研修)
import { api } from '#lib/http/operations/trainings.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

export const handler = httpFunction(api, { table });
