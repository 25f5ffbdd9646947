import { startDynamoDbLocal } from '#lib/local/dynamodb-local.js';
import { type InProcessStack, startInProcessStack } from '#lib/local/stack.js';

/**
 * Undo steps run last-in first-out, once: on close, on a failure or on a signal.
 */
export class Teardown {
  private readonly steps: (() => Promise<void> | void)[] = [];
  private running: Promise<void> | undefined;

  constructor() {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: stopping`);
        void this.run().finally(() => process.exit(code));
      });
    }
  }

  /** True once teardown has begun: later failures are its consequences, not news. */
  get begun(): boolean {
    return this.running !== undefined;
  }

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch (err) {
          console.error('teardown step failed:', err);
        }
      }
    })();
    return this.running;
  }
}

/**
 * The local stack outside vitest: an in-memory DynamoDB Local and the same in-process
 * stack the tests use (lib/local/stack.ts), all registered with `teardown`.
 */
export type BenchStack = InProcessStack;

export async function startBenchStack(teardown: Teardown): Promise<BenchStack> {
  const db = await startDynamoDbLocal();
  teardown.add(() => db.stop());
  const stack = await startInProcessStack({ dynamoEndpoint: db.endpoint, tableName: 'kansa-bench', logLevel: 'ERROR' });
  teardown.add(() => stack.close());
  return stack;
}
