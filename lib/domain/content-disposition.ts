/**
 * RFC 6266/5987 `Content-Disposition` that keeps a Japanese file name: for the documents
 * the API answers (lib/http/stack.ts) and the evidence downloads S3 answers (lib/store/s3.ts).
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
