import type { MalwareScanner } from '#lib/app/ports.js';

/**
 * Where nothing scans uploads for malware (locally, and a deployment with
 * `-c malwareScan=off`): every upload is reported as not scanned, so the verifier
 * records the scan as `skipped` (「未実施」), never as clean.
 */
export const noMalwareScanner: MalwareScanner = {
  reportOf: async () => ({ scanner: 'none' }),
};
