import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable } from './create-table.js';
import { type DemoUser, demoDepartments, demoUser } from './demo-users.js';
import { createGateway } from './gateway.js';
import { generateSigningKey, localAudience, localIssuer, signToken } from './identity.js';
import { type S3Local, startS3Local } from './s3-local.js';

/** A user to sign in as: a demo user's id, or any user a test or bench makes up. */
export type StackUser = string | Pick<DemoUser, 'id' | 'name' | 'roles' | 'department'>;

/**
 * kansa in one process for tests and benches: a fresh table on a running DynamoDB
 * Local, the S3 emulator (temporary directory) wired to the verification handler,
 * and the gateway on a free port with its own signing key.
 */
export interface InProcessStack {
  baseUrl: string;
  gateway: Server;
  tableName: string;
  s3: S3Local;
  token(user: StackUser): Promise<string>;
  close(): Promise<void>;
}

export async function startInProcessStack(opts: {
  dynamoEndpoint: string;
  tableName: string;
  /** The regulation profile (`PROFILE_ID`); absent, the environment's (default 001). */
  profileId?: string | undefined;
  logLevel?: string;
}): Promise<InProcessStack> {
  // Handlers read the environment once at cold start: set it before the gateway imports one.
  Object.assign(process.env, {
    TABLE_NAME: opts.tableName,
    DYNAMODB_ENDPOINT: opts.dynamoEndpoint,
    AWS_REGION: 'ap-northeast-1',
    POWERTOOLS_METRICS_DISABLED: 'true',
    DEPARTMENTS_JSON: JSON.stringify(demoDepartments),
    POWERTOOLS_LOG_LEVEL: opts.logLevel ?? 'CRITICAL',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(opts.profileId === undefined ? {} : { PROFILE_ID: opts.profileId }),
  });
  await ensureTable(opts.dynamoEndpoint, opts.tableName);
  const s3Dir = mkdtempSync(join(tmpdir(), 'kansa-s3-'));
  const s3 = await startS3Local({ directory: s3Dir, corsOrigin: 'http://localhost' });
  Object.assign(process.env, { S3_ENDPOINT: s3.endpoint, EVIDENCE_BUCKET: s3.bucket });
  const key = await generateSigningKey();
  const gateway = createGateway({ jwks: key.jwks, issuer: localIssuer, audience: localAudience });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  const tokens = new Map<string, string>();

  return {
    baseUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
    gateway,
    tableName: opts.tableName,
    s3,
    token: async (user) => {
      const u = typeof user === 'string' ? demoUser(user) : user;
      if (!u) throw new Error(`unknown demo user ${String(user)}`);
      const cacheKey = JSON.stringify(u);
      let t = tokens.get(cacheKey);
      if (!t) tokens.set(cacheKey, (t = await signToken(key, u)));
      return t;
    },
    close: async () => {
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
      await s3.stop();
      rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}
