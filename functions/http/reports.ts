// adapter → lib/app/reports → lib/reports (XLSX, printable HTML, CSV)
import { reportOperations } from '#lib/http/operations/reports.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('reports', reportOperations);
