import { existsSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { type SpaConfig, permissionsPolicy } from '#lib/web-config.js';
import { type Mount, apiPath } from './gateway.js';
import { repoRoot } from './paths.js';

/**
 * The SPA on the gateway's port: `/config.json`, the built files of `web/dist` (hashed
 * `/assets/*` cached for a year, everything else revalidated), and the SPA fallback:
 * a GET/HEAD without an Authorization header whose Accept includes `text/html` and that
 * is not a file gets `index.html`, so a reload on `/plans/01H…` shows the app. `/api`
 * and everything under it is never taken: it is the API's, as CloudFront's `/api/*`
 * behavior sends it to the HTTP API in AWS. Every other request is left to the gateway.
 */
export const webDir = join(repoRoot, 'web');
export const webDistDir = join(webDir, 'dist');

export interface WebOptions {
  distDir?: string;
  /** The app's origin (`http://localhost:<port>`): a browser that came by another name (127.0.0.1) is sent there, where sign-in works. */
  origin: string;
  config: SpaConfig;
  /** The one origin besides the page's own that the app talks to: the S3 emulator's, for evidence uploads and previews. */
  s3Origin?: string;
}

/** The scopes the SPA asks the local provider for. */
export const localScope = 'openid profile offline_access';

/**
 * The security headers CloudFront adds in AWS (cdk/stacks/web-stack.ts), minus HSTS on
 * plain http: the app talks to its own origin (API, OpenID provider) and the S3 emulator only.
 */
export function webSecurityHeaders(s3Origin?: string): Record<string, string> {
  const extra = s3Origin ?? '';
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data: blob: ${extra}`.trim(),
      `connect-src 'self' ${extra}`.trim(),
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': permissionsPolicy,
  };
}

function setAll(res: ServerResponse, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
}

/** The gateway mount serving the SPA. `web/dist` must have been built (see {@link ensureWebBuilt}). */
export function createWebMount(opts: WebOptions): Mount {
  const distDir = opts.distDir ?? webDistDir;
  if (!existsSync(join(distDir, 'index.html'))) throw new Error(`${distDir}/index.html is missing: build the app first (npm run build)`);
  const security = webSecurityHeaders(opts.s3Origin);
  // Looked up on disk per request (sirv's dev mode), so `npm run build` while kansa runs is served at once.
  const files = sirv(distDir, {
    dev: true,
    etag: true,
    dotfiles: false,
    setHeaders: (res, pathname) => {
      setAll(res, security);
      res.setHeader('cache-control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const config = JSON.stringify(opts.config);
  const { host } = new URL(opts.origin);
  const index = (req: IncomingMessage, res: ServerResponse) => {
    req.url = '/index.html';
    let found = true;
    files(req, res, () => {
      found = false;
    });
    return found;
  };

  return (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path === apiPath || path.startsWith(`${apiPath}/`)) return false;
    const wantsHtml = req.headers.authorization === undefined && /\btext\/html\b/.test(req.headers.accept ?? '');
    if (wantsHtml && req.headers.host !== host) {
      res.writeHead(302, { location: `${opts.origin}${req.url ?? '/'}`, 'content-length': 0 }).end();
      return true;
    }
    if (path === '/config.json') {
      setAll(res, security);
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-cache',
        'content-length': Buffer.byteLength(config),
      });
      res.end(method === 'HEAD' ? undefined : config);
      return true;
    }
    let served = true;
    files(req, res, () => {
      served = false;
    });
    if (served) return true;
    if (wantsHtml) return index(req, res);
    return false;
  };
}

/** What the SPA is built from: its own sources and the shared rules and profiles it imports. */
const webSources = [
  join(webDir, 'src'),
  join(webDir, 'index.html'),
  join(webDir, 'vite.config.ts'),
  join(repoRoot, 'lib', 'domain'),
  join(repoRoot, 'lib', 'profiles'),
  join(repoRoot, 'lib', 'app'),
];

/** The newest modification time of a file, or of the files under a directory (0 when missing). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds the SPA (`vite build --config web/vite.config.ts`) when `web/dist` is missing
 * or older than its sources (web/ and the lib/ code it imports), so a fresh clone's
 * `npm start` serves the app.
 * Returns what it did.
 */
export async function ensureWebBuilt(log: (line: string) => void = () => undefined): Promise<'built' | 'current'> {
  const builtAt = existsSync(join(webDistDir, 'index.html')) ? statSync(join(webDistDir, 'index.html')).mtimeMs : 0;
  const sources = Math.max(...webSources.map(newestMtime));
  if (builtAt > 0 && builtAt >= sources) return 'current';
  log(
    builtAt === 0
      ? 'web/dist がないため、画面（SPA）をビルドしています… / Building the web app (web/dist is missing)…'
      : '画面（SPA）のソースが更新されたため、ビルドし直しています… / Rebuilding the web app (sources changed)…',
  );
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  return 'built';
}
