// adapter → lib/app/reports → lib/reports (XLSX, printable HTML, CSV)
import { api } from '#lib/http/operations/reports.js';
import { httpFunction } from '#lib/runtime/http.js';
import * as table from '#lib/store/tables.js';

export const handler = httpFunction(api, { table });
