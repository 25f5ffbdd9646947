import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/**
 * Prints the gzipped size of the SPA's initial JavaScript: the entry chunk and every
 * chunk it imports statically (lazy routes excluded). Exits 1 at or above the budget.
 */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

const BUDGET_KB = 100;
const dist = fileURLToPath(new URL('./dist/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${dist}.vite/manifest.json`, 'utf8')) as Record<string, ManifestChunk>;

const entries = Object.keys(manifest).filter((k) => manifest[k]?.isEntry);
const seen = new Set<string>();
const visit = (key: string): void => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const i of manifest[key]?.imports ?? []) visit(i);
};
entries.forEach(visit);

let bytes = 0;
for (const key of seen) {
  const file = manifest[key]?.file;
  if (file?.endsWith('.js')) bytes += gzipSync(readFileSync(`${dist}${file}`), { level: 9 }).length;
}
const kb = bytes / 1024;
console.log(`initial JS (gzip): ${kb.toFixed(1)} KB of ${BUDGET_KB} KB (${seen.size} chunk${seen.size === 1 ? '' : 's'})`);
if (kb >= BUDGET_KB) {
  console.error(`initial JS is over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
