import type { Reporter, SerializedError, TestCase, TestModule, TestSpecification, TestSuite, Vitest } from 'vitest/node';

/**
 * Ends a run with the plain line `N passed, N failed, N skipped` that any CI can read,
 * agreeing with the exit code: a test that never ran because its file or suite failed
 * first (an import error, a failing `beforeAll`) counts as failed, not skipped; a file
 * that failed with no test of its own failing (nothing collected, a failing `afterAll`)
 * or never ran at all (global set-up failed) counts as one failed, and so does each
 * error outside any test.
 */
export default class SummaryReporter implements Reporter {
  private specifications: readonly TestSpecification[] = [];
  private sharded = false;

  onInit(vitest: Vitest): void {
    // With --shard every file is announced but only this shard's run.
    this.sharded = Boolean(vitest.config.shard);
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.specifications = [...specifications];
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules) {
      let failedHere = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed' || (state === 'skipped' && t.options.mode === 'run' && brokenAbove(t))) failedHere++;
        else counts.skipped++;
      }
      counts.failed += m.state() === 'failed' ? Math.max(failedHere, 1) : failedHere;
    }
    // Files that never ran: the run stopped before them (a global set-up that threw).
    const ran = new Set(modules.map((m) => m.moduleId));
    if (!this.sharded) counts.failed += this.specifications.filter((s) => !ran.has(s.moduleId)).length;
    counts.failed += unhandledErrors.length;
    console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}

/** True when a suite or the file around the test failed on its own (a hook or collection error). */
function brokenAbove(t: TestCase): boolean {
  for (let p: TestSuite | TestModule | undefined = t.parent; p; p = p.type === 'module' ? undefined : p.parent) {
    if (p.errors().length > 0) return true;
  }
  return false;
}
