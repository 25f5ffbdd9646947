import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type BenchSection, renderSection } from './support/section.js';

/**
 * `npm run bench`: every bench, one after the other (timing needs a quiet machine),
 * each a section of ratios against a baseline measured in the same run. The table is
 * printed and written to bench/results.md.
 */
const benches: [name: string, load: () => Promise<{ run(): Promise<BenchSection> }>][] = [
  ['cold init and bundle size', () => import('./cold-init.js')],
  ['libraries: zod and telemetry', () => import('./libraries.js')],
  ['warm overhead', () => import('./warm.js')],
  ['round trips', () => import('./round-trips.js')],
  ['list scaling', () => import('./list-scaling.js')],
  ['evidence upload', () => import('./evidence-upload.js')],
  ['load', () => import('./load.js')],
  ['periodic duties', () => import('./duties.js')],
];

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const started = performance.now();
const sections: string[] = [];
let failed = false;
for (const [name, load] of benches) {
  if (only && !only.some((o) => name.includes(o))) continue;
  const t0 = performance.now();
  console.error(`bench: ${name} …`);
  try {
    const section = await (await load()).run();
    const md = renderSection(section);
    console.log(`\n${md}\n`);
    sections.push(md);
    console.error(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    failed = true;
    console.error(`bench: ${name} failed:`, err);
    sections.push(`## ${name}\n\nfailed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
const header = [
  '# kansa benchmarks',
  '',
  `Run ${new Date().toISOString()} on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}; ` +
    `each ratio is against a baseline measured in the same run (median of ≥ 30, plus p95).`,
  '',
].join('\n');
writeFileSync(new URL('./results.md', import.meta.url), `${header}\n${sections.join('\n\n')}\n`);
console.log(`written to bench/results.md in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
