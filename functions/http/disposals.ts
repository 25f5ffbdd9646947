// adapter → lib/app/disposals (消去・廃棄の記録, 第18条)
import { api } from '#lib/http/operations/disposals.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

export const handler = httpFunction(api, { table });
