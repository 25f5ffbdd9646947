import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Chromium and the Japanese font are installed first when e2e tests are in the run (or the run stops naming the command);
    // the SPA is built (if missing or stale) before DynamoDB Local starts: e2e tests serve it, the CDK app deploys it.
    globalSetup: ['test/setup/browser.ts', 'test/setup/web-build.ts', 'test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/setup/test-console.ts'],
    // A run prints its report: what a passing test logs is dropped, a failing test's is shown with it.
    silent: 'passed-only',
    env: {
      // The logger writes through the console (not its own stdout stream), where vitest keeps each test's output.
      POWERTOOLS_DEV: 'true',
      // Events are recorded (MemoryPublisher), not printed as JSON lines: the tests read them there.
      LOCAL_EVENTS: 'memory',
      // Node 20 here; the Lambda runtime is Node 24 (the SDK's notice is for the runtime, not the tests).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
