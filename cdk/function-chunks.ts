import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import type { ChunkKind, ChunkSpecifier } from '#lib/functions.js';
import type { PracticeOverrides } from '#lib/profiles/practices.js';

/**
 * The chunks of a function (FunctionSpec.chunks): modules it loads with `await import()`
 * on first use, built into `chunks/` beside its index.mjs, with a package.json whose
 * `imports` maps each specifier to its file, so the bundle's `import('#lib/…')` (left
 * external) finds it as the repository's package.json finds the source. CDK runs this
 * after bundling each function that has chunks (AppFunction's afterBundling hook), and
 * the bench runs it on the bundles it measures, so both measure and deploy the same files:
 *
 *   tsx cdk/function-chunks.ts <out dir> '<chunks as JSON>'
 *
 * with PROFILE_ID and PRACTICES_JSON set as the function's are and KANSA_BUILD_PROFILE_ID
 * to its profile (a `prebuilt` chunk is evaluated here, for that profile alone).
 */

/** The esbuild options of a function's bundle and of its chunks (AppFunction's `bundling`, as CDK turns it into esbuild arguments). */
export const functionBuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  keepNames: true,
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  mainFields: ['module', 'main'],
} as const satisfies BuildOptions;

/** A word for bash, quoted. */
function shellWord(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The bash command that builds a function's chunks into `outDir` for its profile and
 * practice: AppFunction's afterBundling hook runs it, and so does the bench.
 */
export function chunkCommand(
  outDir: string,
  chunks: Readonly<Record<ChunkSpecifier, ChunkKind>>,
  fn: { profileId: string; practices: PracticeOverrides },
): string {
  const root = fileURLToPath(new URL('../', import.meta.url));
  // A clean environment but PATH: what the deployer's shell holds (a stray DYNAMODB_ENDPOINT, a test's PROFILE_ID) cannot change or break the build.
  return [
    'env -i PATH="$PATH"',
    `PROFILE_ID=${shellWord(fn.profileId)}`,
    `PRACTICES_JSON=${shellWord(JSON.stringify(fn.practices))}`,
    `KANSA_BUILD_PROFILE_ID=${shellWord(fn.profileId)}`,
    shellWord(`${root}node_modules/.bin/tsx`),
    shellWord(`${root}cdk/function-chunks.ts`),
    shellWord(outDir),
    shellWord(JSON.stringify(chunks)),
  ].join(' ');
}

/** Where a chunk's file lives in the function's asset, relative to index.mjs. */
export function chunkPath(specifier: ChunkSpecifier): string {
  return `./chunks/${basename(specifier, '.js')}.mjs`;
}

/** Build `chunks` into `outDir` (beside the function's index.mjs) and write the package.json that maps them. */
export async function buildChunks(outDir: string, chunks: Readonly<Record<ChunkSpecifier, ChunkKind>>, repoRoot: string): Promise<void> {
  const files = Object.keys(chunks).map((s) => chunkPath(s as ChunkSpecifier));
  if (new Set(files).size !== files.length) throw new Error(`two chunks would share a file: ${Object.keys(chunks).join(', ')}`);
  mkdirSync(join(outDir, 'chunks'), { recursive: true });
  const imports: Record<string, string> = {};
  for (const [specifier, kind] of Object.entries(chunks) as [ChunkSpecifier, ChunkKind][]) {
    const file = chunkPath(specifier);
    imports[specifier] = file;
    const source = join(repoRoot, specifier.replace(/^#/, '').replace(/\.js$/, '.ts'));
    if (kind === 'bundle') {
      await build({
        ...functionBuildOptions,
        entryPoints: [source],
        outfile: join(outDir, file),
        absWorkingDir: repoRoot,
        logLevel: 'warning',
      });
    } else {
      const value = ((await import(pathToFileURL(source).href)) as { default: unknown }).default;
      if (value === undefined) throw new Error(`${specifier} has no default export to prebuild`);
      // A JSON string parsed at load is read faster than the same value as an object literal.
      writeFileSync(join(outDir, file), `export default JSON.parse(${JSON.stringify(JSON.stringify(value))});\n`);
    }
  }
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'module', imports }, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [outDir, chunksJson] = process.argv.slice(2);
  if (!outDir || !chunksJson) throw new Error("usage: tsx cdk/function-chunks.ts <out dir> '<chunks as JSON>'");
  await buildChunks(outDir, JSON.parse(chunksJson) as Record<ChunkSpecifier, ChunkKind>, fileURLToPath(new URL('../', import.meta.url)));
}
