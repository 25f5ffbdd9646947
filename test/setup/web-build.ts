import { ensureWebBuilt } from '#lib/local/web.js';

/**
 * The built SPA (web/dist) for the run: the end-to-end tests serve it and the CDK app
 * deploys it. Built once here when missing or older than web/src, as `npm start` does.
 */
export default async function setup(): Promise<void> {
  await ensureWebBuilt((line) => console.log(line));
}
