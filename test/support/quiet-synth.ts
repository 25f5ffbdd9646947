/**
 * Runs CDK work that bundles assets (constructing the stacks: bundling happens there) with its progress lines ("Bundling asset …", written straight to
 * stderr where vitest does not collect them) held back: printed only when the synth throws.
 */
export function quietly<T>(work: () => T): T {
  const held: (string | Uint8Array)[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    held.push(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return work();
  } catch (err) {
    for (const chunk of held) write.call(process.stderr, chunk);
    throw err;
  } finally {
    process.stderr.write = write;
  }
}
