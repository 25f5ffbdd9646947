import { ensureWebBuilt } from '#lib/local/web.js';

/**
 * The built SPA (web/dist) for the run, once, before any test file starts: the
 * end-to-end tests serve it and the CDK app deploys it. Built when missing or older than
 * web/src, as `npm start` does. A build that fails (the app mid-edit) does not stop the
 * other tests: it is reported here, and the e2e and infra tests then fail on their own.
 */
export default async function setup(): Promise<void> {
  try {
    await ensureWebBuilt((line) => console.log(line));
  } catch (err) {
    console.warn(`web/dist could not be built; e2e and infra tests will fail: ${err instanceof Error ? err.message : String(err)}`);
  }
}
