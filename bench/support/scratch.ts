import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary directory for a bench section's work, removed at the end, on failure and on
 * Ctrl-C or SIGTERM. On a signal, `stopped()` names it so the section can stop at its next
 * check; run alone (no other handler), the process exits there and then.
 */
export async function inScratchDir<T>(
  prefix: string,
  work: (dir: string, stopped: () => NodeJS.Signals | undefined) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  let stopped: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stopped = signal;
    cleanUp();
    // Alone (run directly), stop here; under a runner with its own handlers, let them finish.
    if (process.listenerCount(signal) === 0) process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(dir, () => stopped);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    cleanUp();
  }
}
