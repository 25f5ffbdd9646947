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
    env: {
      // Events are recorded (MemoryPublisher), not printed as JSON lines: the tests read them there.
      LOCAL_EVENTS: 'memory',
    },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
