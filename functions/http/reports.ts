// adapter → lib/app/reports → lib/reports (XLSX, printable HTML, CSV)
import { api } from '#lib/http/operations/reports.js';
import { httpFunction } from '#lib/runtime/http.js';

export const handler = httpFunction(api);
