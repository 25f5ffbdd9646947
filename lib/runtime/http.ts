import { type HttpApi, httpHandler } from '#lib/http/stack.js';
import type { FunctionName } from '#lib/functions.js';
import { deps } from './ports.js';

/** The Lambda handler of one HTTP function: its operations on the one middy stack, with this process's ports. */
export function httpFunction<F extends FunctionName>(api: HttpApi<F>) {
  return httpHandler(deps, api);
}
