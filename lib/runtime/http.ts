import { type HttpApi, httpHandler } from '#lib/http/stack.js';
import type { FunctionName } from '#lib/functions.js';
import { type AdapterModules, deps, supplyAdapters } from './ports.js';

/**
 * The Lambda handler of one HTTP function: its operations on the one middy stack, with
 * this process's ports and the adapters its spec grants (none, the bucket, the bus).
 */
export function httpFunction<F extends FunctionName>(api: HttpApi<F>, adapters: Partial<AdapterModules> = {}) {
  supplyAdapters(adapters);
  return httpHandler(deps, api);
}
