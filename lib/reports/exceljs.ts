/**
 * exceljs as the reports function loads it: on the first XLSX asked for, from a file of
 * its own beside the function's bundle (functionSpecs.reports.chunks), never at cold start.
 */
export { default } from 'exceljs';
