import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable } from './create-table.js';
import { type DemoUser, demoDepartments, localProfile, demoPassword, demoUser, demoUsers } from './demo-users.js';
import { type Mount, apiPath, gatewayListener, startingServer } from './gateway.js';
import { type SigningKey, generateSigningKey, localAudience, localIssuerFor, signToken } from './identity.js';
import { type S3Local, startS3Local } from './s3-local.js';
import { supplyAdapters } from '#lib/runtime/ports.js';
import * as table from '#lib/store/tables.js';

// One process plays every function here, so it supplies every adapter; in AWS each function's entry supplies only those its spec grants.
supplyAdapters({
  table,
  bucket: () => import('#lib/store/bucket.js'),
  bus: () => import('#lib/jobs/event-bus.js'),
});

/** A user to sign in as: a demo user's id, or any user a test or bench makes up. */
export type StackUser = string | Pick<DemoUser, 'id' | 'name' | 'roles' | 'department'>;

/**
 * kansa in one process, as `npm start` runs it and as tests and benches use it: a
 * table on a running DynamoDB Local, the S3 emulator wired to the verification
 * handler, and the gateway on one port, serving the API under `/api`. With `web`, the
 * same port also serves the OpenID provider at `/oidc` and the built SPA (`/config.json`,
 * `web/dist`), whose config.json names the API as `/api` of its own origin.
 */
export interface InProcessStack {
  /** The API as tests call it (`http://127.0.0.1:<port>/api`): `${baseUrl}/plans` is route `GET /plans`. */
  baseUrl: string;
  /** The gateway's origin as tests call it (`http://127.0.0.1:<port>`): `/config.json`, `/assets/*`, the SPA's paths. */
  origin: string;
  /** The app as a browser opens it (`http://localhost:<port>`): the issuer and redirect URIs use this origin. */
  webUrl: string;
  /** The one local issuer (`<webUrl>/oidc`), whose `iss` the gateway requires. */
  issuer: string;
  gateway: Server;
  tableName: string;
  tableCreated: boolean;
  s3: S3Local;
  token(user: StackUser): Promise<string>;
  close(): Promise<void>;
}

export interface InProcessStackOptions {
  dynamoEndpoint: string;
  tableName: string;
  /** The regulation profile (`PROFILE_ID`); absent, the environment's (default 001). */
  profileId?: string | undefined;
  /** The deployment's practice over the profile's defaults (`PRACTICES_JSON`, e.g. `{"audits":true}`); absent, the environment's. */
  practicesJson?: string | undefined;
  logLevel?: string;
  /** The port to listen on (127.0.0.1); absent, a free one. */
  port?: number;
  /** Where the S3 emulator keeps its objects; absent, a temporary directory removed by `close()`. */
  s3Directory?: string;
  /** The signing key; absent, a fresh one. */
  signingKey?: SigningKey;
  /** `DEPARTMENTS_JSON`; absent, the demo organisation. */
  departmentsJson?: string;
  /** Also serve the OpenID provider at `/oidc` with the demo users. */
  oidc?: boolean;
  /** The provider's ID and access token lifetime in seconds (default 15 minutes). */
  tokenTtlSeconds?: number;
  /** Also serve the OpenID provider and the SPA: `true` for web/dist (which must exist), or another built directory. */
  web?: boolean | { distDir: string };
  /** One line per request and per emulator event. */
  log?: (line: string) => void;
  /** Retries of a failed evidence verification by the S3 emulator (default: as Lambda's); 0 for a test that plays them itself. */
  verifierRetries?: 0 | 1 | 2;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startInProcessStack(opts: InProcessStackOptions): Promise<InProcessStack> {
  // Handlers read the environment once at cold start: set it before the gateway imports one.
  Object.assign(process.env, {
    TABLE_NAME: opts.tableName,
    DYNAMODB_ENDPOINT: opts.dynamoEndpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'ap-northeast-1',
    POWERTOOLS_METRICS_DISABLED: 'true',
    DEPARTMENTS_JSON: opts.departmentsJson ?? JSON.stringify(demoDepartments),
    POWERTOOLS_LOG_LEVEL: opts.logLevel ?? 'CRITICAL',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(opts.profileId === undefined ? {} : { PROFILE_ID: opts.profileId }),
    ...(opts.practicesJson === undefined ? {} : { PRACTICES_JSON: opts.practicesJson }),
  });
  const tableCreated = (await ensureTable(opts.dynamoEndpoint, opts.tableName)) === 'created';

  // Listen first: the issuer, the redirect URIs and the emulator's CORS name the port.
  // Until the handlers are attached every request gets a 503 at once (not silence).
  const { server: gateway, ready } = startingServer();
  const port = await listen(gateway, opts.port ?? 0);
  const webUrl = `http://localhost:${port}`;
  const issuer = localIssuerFor(webUrl);

  const s3Dir = opts.s3Directory ?? mkdtempSync(join(tmpdir(), 'kansa-s3-'));
  let s3: S3Local | undefined;
  try {
    s3 = await startS3Local({
      directory: s3Dir,
      corsOrigin: webUrl,
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.verifierRetries === undefined ? {} : { verifierRetries: opts.verifierRetries }),
    });
    Object.assign(process.env, { S3_ENDPOINT: s3.endpoint, EVIDENCE_BUCKET: s3.bucket });
    const key = opts.signingKey ?? (await generateSigningKey());
    const mounts = await webMounts(opts, webUrl, issuer, key, s3);
    ready(gatewayListener({ jwks: key.jwks, issuer, audience: localAudience, mounts, ...(opts.log ? { log: opts.log } : {}) }));
    return runningStack(opts, { gateway, port, webUrl, issuer, key, s3, s3Dir, tableCreated });
  } catch (err) {
    gateway.close();
    await s3?.stop();
    if (opts.s3Directory === undefined) rmSync(s3Dir, { recursive: true, force: true });
    throw err;
  }
}

/** The OpenID provider and the SPA on the gateway's port, as asked for. */
async function webMounts(opts: InProcessStackOptions, webUrl: string, issuer: string, key: SigningKey, s3: S3Local): Promise<Mount[]> {
  // Loaded only when asked for: tests and benches of the API alone do not load the provider.
  const mounts: Mount[] = [];
  if (opts.oidc || opts.web) {
    const { createLocalOidc } = await import('./oidc.js');
    const oidc = createLocalOidc({
      baseUrl: webUrl,
      key,
      users: demoUsers,
      roleTitles: localProfile().roleTitles,
      password: demoPassword,
      ...(opts.tokenTtlSeconds === undefined ? {} : { idTokenTtlSeconds: opts.tokenTtlSeconds }),
    });
    mounts.push((req, res) => oidc.handle(req, res));
  }
  if (opts.web) {
    const { createWebMount, localScope } = await import('./web.js');
    const s3Origin = new URL(s3.endpoint).origin;
    mounts.push(
      createWebMount({
        ...(typeof opts.web === 'object' ? { distDir: opts.web.distDir } : {}),
        origin: webUrl,
        config: { apiBaseUrl: apiPath, oidc: { authority: issuer, clientId: localAudience, scope: localScope }, environment: 'local' },
        s3Origin,
      }),
    );
  }
  return mounts;
}

interface Running {
  gateway: Server;
  port: number;
  webUrl: string;
  issuer: string;
  key: SigningKey;
  s3: S3Local;
  s3Dir: string;
  tableCreated: boolean;
}

function runningStack(
  opts: InProcessStackOptions,
  { gateway, port, webUrl, issuer, key, s3, s3Dir, tableCreated }: Running,
): InProcessStack {
  const tokens = new Map<string, string>();

  return {
    baseUrl: `http://127.0.0.1:${port}${apiPath}`,
    origin: `http://127.0.0.1:${port}`,
    webUrl,
    issuer,
    gateway,
    tableName: opts.tableName,
    tableCreated,
    s3,
    token: async (user) => {
      const u = typeof user === 'string' ? demoUser(user) : user;
      if (!u) throw new Error(`unknown demo user ${String(user)}`);
      const cacheKey = JSON.stringify(u);
      let t = tokens.get(cacheKey);
      if (!t) tokens.set(cacheKey, (t = await signToken(key, u, { issuer })));
      return t;
    },
    close: async () => {
      gateway.closeAllConnections();
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
      await s3.stop();
      if (opts.s3Directory === undefined) rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}
