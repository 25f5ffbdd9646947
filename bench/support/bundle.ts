import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { type BuildOptions, type Metafile, build } from 'esbuild';
import { chunkCommand, chunkPath, functionBuildOptions } from '#cdk/function-chunks.js';
import { defaultProfileId } from '#lib/profiles/index.js';
import { type ChunkSpecifier, type FunctionSpec, chunksOf } from '#lib/functions.js';

/**
 * Bundles built the way CDK's NodejsFunction builds them for AppFunction
 * (cdk/constructs/app-function.ts), with the esbuild installed here, and the "floor"
 * bundle of a function: only the AWS SDK clients it uses, made as the function makes them.
 */

/** The repository root: esbuild resolves `#lib/*` and node_modules from here, as CDK's `projectRoot`. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The target CDK builds for; the Node here may be older, so benches may pass another. */
export const cdkTarget = functionBuildOptions.target;

/**
 * The esbuild options of a function's bundle: cdk/function-chunks.ts `functionBuildOptions`,
 * which AppFunction's `bundling` passes to CDK (aws-lambda-nodejs turns it into
 * `--bundle --platform=node --format=esm --outfile=index.mjs --minify --sourcemap
 * --sources-content=false --keep-names --banner:js=… --main-fields=module,main` and
 * `--external:` each chunk), run from the project root.
 */
function cdkOptions(outDir: string, target: string, external: readonly string[] = []): BuildOptions {
  return {
    ...functionBuildOptions,
    mainFields: [...functionBuildOptions.mainFields],
    target,
    outfile: join(outDir, 'index.mjs'),
    external: [...external],
    absWorkingDir: repoRoot,
    logLevel: 'warning',
    metafile: true,
  };
}

/**
 * Fail if AppFunction's bundling no longer takes its options from `functionBuildOptions`,
 * so the bench cannot silently measure a different build from the one deployed.
 */
export function assertCdkBundlingUnchanged(): void {
  const source = readFileSync(join(repoRoot, 'cdk/constructs/app-function.ts'), 'utf8');
  const expected = [
    'format: OutputFormat.ESM',
    'target: functionBuildOptions.target',
    'mainFields: [...functionBuildOptions.mainFields]',
    'minify: functionBuildOptions.minify',
    'keepNames: functionBuildOptions.keepNames',
    'sourceMap: functionBuildOptions.sourcemap',
    'sourceMapMode: SourceMapMode.DEFAULT',
    'sourcesContent: functionBuildOptions.sourcesContent',
    'bundleAwsSDK: true',
    'banner: functionBuildOptions.banner.js',
    'externalModules: Object.keys(chunks)',
  ];
  const missing = expected.filter((s) => !source.includes(s));
  if (missing.length > 0)
    throw new Error(`cdk/constructs/app-function.ts bundling changed; bench/support/bundle.ts assumes: ${missing.join(', ')}`);
  if (/\b(esbuildArgs|define|loader|inject|footer|tsconfig)\s*:/.test(source)) {
    throw new Error('cdk/constructs/app-function.ts sets bundling options bench/support/bundle.ts does not mirror');
  }
}

export interface Bundle {
  /** The ES module to import (`<outDir>/index.mjs`). */
  file: string;
  /** Size of index.mjs in bytes (the source map beside it not counted). */
  bytes: number;
  /** Size of index.mjs.map in bytes. */
  mapBytes: number;
  /** Bytes of the output per npm package (`(app)` for the repository's own code). */
  byPackage: Map<string, number>;
  /** Bytes of the chunk files beside index.mjs that index.mjs imports statically: read at cold start, with it. */
  initChunkBytes: number;
  /** Bytes of the chunk files beside index.mjs that it imports with `await import()`: read only when a request needs them. */
  chunkBytes: number;
  /** esbuild's metafile of index.mjs (its inputs: what the function carries at cold start). */
  metafile: Metafile;
}

/** The npm package an esbuild input path belongs to, `(app)` for the repository's code, `zod (locales)` apart from zod. */
export function packageOf(inputPath: string): string {
  const at = inputPath.lastIndexOf('node_modules/');
  if (at < 0) return '(app)';
  const rest = inputPath.slice(at + 'node_modules/'.length);
  const [scopeOrName, name] = rest.split('/');
  // zod's locales are told apart: `z.locales.<one>()` keeps them all.
  if (scopeOrName === 'zod' && rest.includes('/locales/')) return 'zod (locales)';
  return scopeOrName?.startsWith('@') ? `${scopeOrName}/${name}` : (scopeOrName ?? '?');
}

function summarise(outDir: string, metafile: Metafile): Bundle {
  const file = join(outDir, 'index.mjs');
  const output = Object.entries(metafile.outputs).find(([p]) => p.endsWith('index.mjs'))?.[1];
  if (!output) throw new Error(`esbuild wrote no index.mjs to ${outDir}`);
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = packageOf(path);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
  }
  return {
    file,
    bytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    byPackage,
    initChunkBytes: 0,
    chunkBytes: 0,
    metafile,
  };
}

/**
 * Bundle a function (its entry relative to the repository root, and its chunks) into
 * `outDir` as CDK does: index.mjs with each chunk external, then the chunks beside it by
 * the same command AppFunction's afterBundling hook runs (cdk/function-chunks.ts), with
 * the default profile.
 */
export async function bundleEntry(
  spec: Pick<FunctionSpec, 'entry' | 'chunks'>,
  outDir: string,
  target: string = cdkTarget,
): Promise<Bundle> {
  const chunks = chunksOf(spec);
  const result = await build({ ...cdkOptions(outDir, target, Object.keys(chunks)), entryPoints: [join(repoRoot, spec.entry)] });
  const bundle = summarise(outDir, result.metafile as Metafile);
  execFileSync('bash', ['-c', chunkCommand(outDir, chunks, { profileId: defaultProfileId, practices: {} })], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  const output = Object.values(bundle.metafile.outputs).find((o) => o.entryPoint !== undefined);
  const atInit = new Set((output?.imports ?? []).filter((i) => i.external && i.kind === 'import-statement').map((i) => i.path));
  let initChunkBytes = 0;
  let chunkBytes = 0;
  for (const specifier of Object.keys(chunks) as ChunkSpecifier[]) {
    const size = statSync(join(outDir, chunkPath(specifier))).size;
    if (atInit.has(specifier)) initChunkBytes += size;
    else chunkBytes += size;
  }
  return { ...bundle, initChunkBytes, chunkBytes };
}

/** Bundle module source text (resolved from the repository root) into `outDir` as CDK does. */
export async function bundleSource(contents: string, name: string, outDir: string, target: string = cdkTarget): Promise<Bundle> {
  const result = await build({
    ...cdkOptions(outDir, target),
    stdin: { contents, resolveDir: repoRoot, sourcefile: name, loader: 'js' },
  });
  return summarise(outDir, result.metafile as Metafile);
}

/** What a function may touch, from its {@link FunctionSpec}. */
export type SdkUse = Pick<FunctionSpec, 'table' | 'bucket'>;

/**
 * The floor of a function: an ES module that imports only the AWS SDK clients (and the
 * commands and helpers lib/store uses with them) that its table and bucket access need,
 * and makes the clients with the options lib/store/dynamo.ts and lib/store/s3.ts use.
 * Everything it imports is exported so that tree shaking keeps it. A function with no
 * table and no bucket gets an empty module.
 */
export function floorSource(use: SdkUse): string {
  const lines: string[] = [];
  if (use.table !== 'none') {
    // lib/store/dynamo.ts (client), table.ts (Get, Query), change-writer.ts (TransactWrite, its error, unmarshall).
    const doc = ['DynamoDBDocumentClient', 'GetCommand', 'QueryCommand', ...(use.table === 'readWrite' ? ['TransactWriteCommand'] : [])];
    lines.push(
      `import { DynamoDBClient${use.table === 'readWrite' ? ', TransactionCanceledException' : ''} } from '@aws-sdk/client-dynamodb';`,
      `import { ${doc.join(', ')} } from '@aws-sdk/lib-dynamodb';`,
      ...(use.table === 'readWrite' ? ["import { unmarshall } from '@aws-sdk/util-dynamodb';"] : []),
      `export { ${[...doc.slice(1), ...(use.table === 'readWrite' ? ['TransactionCanceledException', 'unmarshall'] : [])].join(', ')} };`,
      "export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION ?? 'ap-northeast-1' }), {",
      '  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },',
      '});',
    );
  }
  if (use.bucket) {
    // lib/store/s3.ts: presign signs uploads and downloads; verify reads, copies and deletes.
    const s3 =
      use.bucket === 'presign'
        ? ['S3Client', 'GetObjectCommand']
        : ['S3Client', 'GetObjectCommand', 'CopyObjectCommand', 'DeleteObjectCommand', 'NoSuchKey'];
    lines.push(`import { ${s3.join(', ')} } from '@aws-sdk/client-s3';`);
    if (use.bucket === 'presign') {
      lines.push(
        "import { createPresignedPost } from '@aws-sdk/s3-presigned-post';",
        "import { getSignedUrl } from '@aws-sdk/s3-request-presigner';",
      );
    }
    lines.push(
      `export { ${[...s3.slice(1), ...(use.bucket === 'presign' ? ['createPresignedPost', 'getSignedUrl'] : [])].join(', ')} };`,
      "export const s3 = new S3Client({ region: process.env.AWS_REGION ?? 'ap-northeast-1', requestChecksumCalculation: 'WHEN_REQUIRED' });",
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : 'export {};\n';
}

/** What the floor of `use` holds, for labels: "DynamoDB + S3 presign", "nothing". */
export function floorLabel(use: SdkUse): string {
  const parts = [...(use.table === 'none' ? [] : [`DynamoDB (${use.table})`]), ...(use.bucket ? [`S3 (${use.bucket})`] : [])];
  return parts.length > 0 ? `floor: ${parts.join(' + ')} clients` : 'floor: empty module';
}
