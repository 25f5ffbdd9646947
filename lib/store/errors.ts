import { OutcomeUnknown, Unavailable } from '#lib/domain/errors.js';

const transient = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  // A retried TransactWriteItems (same ClientRequestToken) while the first is still running.
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNREFUSED',
  'ECONNRESET',
]);

/**
 * Turns a throttling, timeout or service failure of AWS into a 503 that changed
 * nothing; anything else is rethrown as it is (a bug: 500).
 */
export function translateAwsError(err: unknown): never {
  if (err instanceof Error) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const code = (err as { code?: string }).code;
    if (transient.has(err.name) || (code !== undefined && transient.has(code)) || (status !== undefined && status >= 500)) {
      throw new Unavailable();
    }
  }
  throw err;
}

/** Refused before anything ran: the write certainly did not happen. */
const refused = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'ECONNREFUSED']);

/**
 * As {@link translateAwsError}, for a write: a timeout, a dropped connection or a
 * service failure after the request was sent leaves its outcome unknown, which the
 * caller must be told (503 outcome-unknown); a refusal (throttling, no connection)
 * changed nothing (503).
 */
export function translateWriteError(err: unknown): never {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    if (refused.has(err.name) || (code !== undefined && refused.has(code))) throw new Unavailable();
  }
  try {
    translateAwsError(err);
  } catch (translated) {
    throw translated instanceof Unavailable ? new OutcomeUnknown() : translated;
  }
}
