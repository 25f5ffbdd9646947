import type { Clock } from './ports.js';

/** How often a call site tries, and how long it waits between tries: data, one per site. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait after the n-th failed try: `stepMs × n`, plus up to `jitterMs` at random (so racing writers spread out). */
  stepMs: number;
  jitterMs: number;
}

/**
 * Runs `work` until it succeeds, fails with an error `retryable` refuses, or has been
 * tried `policy.attempts` times (then its last error is thrown). The waits go through
 * the clock, so tests run them instantly. `retryable` may read (a stale entity read
 * again) before it answers.
 */
export async function retrying<T>(
  clock: Clock,
  policy: RetryPolicy,
  retryable: (err: unknown) => boolean | Promise<boolean>,
  work: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (err) {
      if (attempt >= policy.attempts || !(await retryable(err))) throw err;
      await clock.sleep(policy.stepMs * attempt + Math.random() * policy.jitterMs);
    }
  }
}
