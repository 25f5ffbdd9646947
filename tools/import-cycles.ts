import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/**
 * Import cycles among the modules that run: lib/, functions/ and web/src. A module that
 * reaches itself again through what it imports is a cycle, whatever kind of import each
 * step is: `import`, `import type`, `export … from` and `import()` alike. Imports are
 * resolved as the compiler resolves them, with the tsconfig.json nearest each module:
 * the package.json `imports` aliases (`#lib/*`, …) and `.js` naming the `.ts` file.
 * `npm run lint` runs this file; it fails listing each cycle.
 */

/** The directories whose modules run (tests, benchmarks and CDK code are not among them). */
export const runtimeDirs = ['lib', 'functions', 'web/src'] as const;

const moduleFile = /\.(?:ts|tsx|mts)$/;
/** Files bundlers import that are not modules of ours (styles, images). */
const assetFile = /\.(?:css|svg|png|jpe?g|webp|gif|ico|woff2?)(?:\?.*)?$/;

/** Every TypeScript module under `dir` (declaration files excluded). */
export function modulesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modulesUnder(path);
    return moduleFile.test(entry.name) && !entry.name.endsWith('.d.ts') ? [resolve(path)] : [];
  });
}

const optionsByConfig = new Map<string, ts.CompilerOptions>();

/** The compiler options of the tsconfig.json nearest `file`. */
function compilerOptionsOf(file: string): ts.CompilerOptions {
  const config = ts.findConfigFile(dirname(file), ts.sys.fileExists);
  if (!config) throw new Error(`no tsconfig.json above ${file}`);
  let options = optionsByConfig.get(config);
  if (!options) {
    const read = ts.readConfigFile(config, ts.sys.readFile);
    if (read.error) throw new Error(`${config}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
    options = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(config)).options;
    optionsByConfig.set(config, options);
  }
  return options;
}

/**
 * Which of `files` each of them imports. A relative or `#` import that resolves to no
 * file is an error (it would hide a cycle), unless it names an asset.
 */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files.map((f) => resolve(f)));
  const graph = new Map<string, string[]>();
  for (const file of known) {
    const options = compilerOptionsOf(file);
    const imported = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
    const targets = new Set<string>();
    for (const { fileName: specifier } of imported) {
      const found = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
      if (found) {
        const target = resolve(found.resolvedFileName);
        if (known.has(target)) targets.add(target);
      } else if (/^[.#]/.test(specifier) && !assetFile.test(specifier)) {
        throw new Error(`${file}: cannot resolve the import '${specifier}'`);
      }
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** The shortest way from `from` back to itself through `within` (a strongly connected set holding it). */
function loopThrough(graph: Map<string, string[]>, from: string, within: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    for (const next of graph.get(at) ?? []) {
      if (!within.has(next)) continue;
      if (next === from) {
        const loop = [from];
        for (let step: string | undefined = at; step !== from && step !== undefined; step = cameFrom.get(step)) loop.splice(1, 0, step);
        return [...loop, from];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
  }
  throw new Error(`${from} is on no cycle`);
}

/**
 * The cycles of `graph`: one per group of modules that import each other (a strongly
 * connected component with more than one module, or a module importing itself), given
 * as one loop through its first module: [a, b, …, a].
 */
export function importCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iterative so that a long chain of imports cannot exhaust the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, index.size);
    low.set(start, index.get(start) as number);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: string; next: number };
      const edges = graph.get(top.node) ?? [];
      if (top.next < edges.length) {
        const next = edges[top.next++] as string;
        if (!graph.has(next)) continue;
        if (!index.has(next)) {
          index.set(next, index.size);
          low.set(next, index.get(next) as number);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, next: 0 });
        } else if (onStack.has(next)) {
          low.set(top.node, Math.min(low.get(top.node) as number, index.get(next) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(top.node) as number));
      if (low.get(top.node) === index.get(top.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          group.push(member);
        } while (member !== top.node);
        if (group.length > 1 || edges.includes(top.node)) groups.push(group.sort());
      }
    }
  }
  return groups
    .map((group) => loopThrough(graph, group[0] as string, new Set(group)))
    .sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/** The cycles among the runtime modules under `root`, each as paths relative to it. */
export function runtimeCycles(root: string): string[][] {
  const files = runtimeDirs.flatMap((dir) => modulesUnder(join(root, dir)));
  return importCycles(importGraph(files)).map((cycle) => cycle.map((f) => relative(root, f)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const cycles = runtimeCycles(fileURLToPath(new URL('..', import.meta.url)));
  if (cycles.length > 0) {
    console.error(
      `Import cycles among ${runtimeDirs.join(', ')} (${cycles.length}); move what both sides need into a module of its own:\n` +
        cycles.map((c) => `  ${c.join(' → ')}`).join('\n'),
    );
    process.exitCode = 1;
  }
}
