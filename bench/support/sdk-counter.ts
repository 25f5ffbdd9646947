import { performance } from 'node:perf_hooks';
import type { DeserializeMiddleware, HandlerExecutionContext, InitializeMiddleware, MiddlewareStack } from '@smithy/types';

/**
 * Counts the AWS SDK calls a client makes, with an SDK middleware pair on its stack:
 * one at `initialize` (one per `send`, named by its command, timed end to end) and one
 * at `deserialize`, which runs once per HTTP attempt (inside the retry loop) and never
 * for a presigned URL (the presigner answers before the request is signed and sent).
 * So `attempts` are real round trips, and a call with 0 attempts was only presigned.
 *
 * It observes only: it passes every argument and result through unchanged.
 */
export interface SdkCall {
  service: string;
  /** The low-level command, e.g. `GetItemCommand`, `TransactWriteItemsCommand`. */
  command: string;
  /** HTTP requests sent for it (1, more after retries, 0 when presigned). */
  attempts: number;
  /** From `send` to its result (or error). */
  ms: number;
  failed: boolean;
}

/** Anything with a middleware stack: an SDK client or a document client (which shares its client's stack). */
export interface Instrumentable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any client's stack, whatever its input and output types
  middlewareStack: MiddlewareStack<any, any>;
}

const initName = 'benchSdkCounterCall';
const wireName = 'benchSdkCounterAttempt';
const callOf = Symbol('benchSdkCall');

type CountedContext = HandlerExecutionContext & { [callOf]?: SdkCall };

export class SdkCounter {
  readonly calls: SdkCall[] = [];
  private readonly attached: Instrumentable[] = [];

  /** Adds the two middlewares to `client` (again: replaced, not doubled). */
  attach(client: Instrumentable, service: string): void {
    const calls = this.calls;
    const onCall: InitializeMiddleware<object, object> = (next, context: CountedContext) => async (args) => {
      const call: SdkCall = { service, command: context.commandName ?? 'unknown', attempts: 0, ms: 0, failed: false };
      context[callOf] = call;
      calls.push(call);
      const t0 = performance.now();
      try {
        return await next(args);
      } catch (err) {
        call.failed = true;
        throw err;
      } finally {
        call.ms = performance.now() - t0;
      }
    };
    const onAttempt: DeserializeMiddleware<object, object> = (next, context: CountedContext) => (args) => {
      const call = context[callOf];
      if (call) call.attempts += 1;
      return next(args);
    };
    client.middlewareStack.add(onCall, { step: 'initialize', priority: 'high', name: initName, override: true });
    client.middlewareStack.add(onAttempt, { step: 'deserialize', priority: 'low', name: wireName, override: true });
    if (!this.attached.includes(client)) this.attached.push(client);
  }

  /** A mark to pass to {@link since}. */
  mark(): number {
    return this.calls.length;
  }

  /** The calls sent after `mark`. */
  since(mark: number): SdkCall[] {
    return this.calls.slice(mark);
  }

  /** Removes the middlewares from every client it was attached to. */
  detach(): void {
    for (const client of this.attached.splice(0)) {
      client.middlewareStack.remove(initName);
      client.middlewareStack.remove(wireName);
    }
  }
}

/** Round trips (HTTP attempts) of `service` among `calls`. */
export const roundTrips = (calls: readonly SdkCall[], service: string): number =>
  calls.filter((c) => c.service === service).reduce((n, c) => n + c.attempts, 0);

/** `GetItem ×2, TransactWriteItems` — the commands in order, repeats folded. */
export function describeCalls(calls: readonly SdkCall[]): string {
  const names = calls.map(
    (c) =>
      `${c.command.replace(/Command$/, '')}${c.attempts === 0 ? ' (presigned, not sent)' : c.attempts > 1 ? ` (${c.attempts} attempts)` : ''}`,
  );
  const out: string[] = [];
  for (let i = 0; i < names.length;) {
    let j = i;
    while (j < names.length && names[j] === names[i]) j++;
    out.push(j - i > 1 ? `${names[i]} ×${j - i}` : (names[i] as string));
    i = j;
  }
  return out.length === 0 ? 'none' : out.join(', ');
}
