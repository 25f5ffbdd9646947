import nodeConsole from 'node:console';

/**
 * vitest keeps each test's console output (and drops a passing test's), but code that took
 * Node's own console before vitest put its own in place writes past it: happy-dom does, for
 * each failed fetch (`GET … 404 (Not Found)`, a refused connection). Send Node's console
 * through the test's, so a passing test prints nothing and a failing one shows these lines.
 */
if (nodeConsole !== console) {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    nodeConsole[method] = (...args: unknown[]) => console[method](...args);
  }
}
