import { inject } from 'vitest';
import type { DemoUser } from '#lib/local/demo-users.js';
import type { S3Local } from '#lib/local/s3-local.js';
import { startInProcessStack } from '#lib/local/stack.js';

/**
 * A kansa stack for one test file: a fresh table on the shared DynamoDB Local, the
 * local gateway on a free port with its own signing key, and an HTTP client that
 * signs in as a demo user (or as any user a test makes up).
 */
export interface TestStack {
  /** The API (`http://127.0.0.1:<port>/api`): `${baseUrl}/plans` is route `GET /plans`. */
  baseUrl: string;
  /** The gateway's origin (`http://127.0.0.1:<port>`): `/config.json`, `/assets/*`, the SPA's paths. */
  origin: string;
  /** The app as a browser opens it (`http://localhost:<port>`); with `web`, the SPA and the OpenID provider are there. */
  webUrl?: string;
  tableName: string;
  endpoint: string;
  /** The S3 emulator; `settled()` waits for the verifier to finish with every upload. */
  s3: S3Local;
  token(user: string | Pick<DemoUser, 'id' | 'name' | 'roles' | 'department'>): Promise<string>;
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

export interface CallOptions {
  as?: string | Pick<DemoUser, 'id' | 'name' | 'roles' | 'department'>;
  body?: unknown;
  /** A raw body string sent as is (for malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read any JSON shape
  text: string;
}

export interface TestStackOptions {
  /**
   * The regulation profile the handlers serve (`PROFILE_ID`, read once at cold start).
   * Set before the gateway imports a handler; absent, the environment is left as it is
   * (the default profile 001). One test file (one process) serves one profile.
   */
  profileId?: string;
  /** The deployment's practice (`PRACTICES_JSON`, read once at cold start like `profileId`); absent, the profile's defaults. */
  practicesJson?: string;
  /** Also serve the local OpenID provider and the built SPA (web/dist) on the same port, as `npm start` does. */
  web?: boolean;
  /** With `web`: the provider's token lifetime in seconds (default 15 minutes). */
  tokenTtlSeconds?: number;
  /** Retries of a failed evidence verification by the S3 emulator (default: as Lambda's); 0 for a test that plays Lambda's retries itself. */
  verifierRetries?: 0 | 1 | 2;
}

export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `kansa-test-${process.pid}-${Date.now().toString(36)}`;
  const local = await startInProcessStack({
    dynamoEndpoint: endpoint,
    tableName,
    profileId: opts.profileId,
    practicesJson: opts.practicesJson,
    web: opts.web ?? false,
    ...(opts.tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds: opts.tokenTtlSeconds }),
    ...(opts.verifierRetries === undefined ? {} : { verifierRetries: opts.verifierRetries }),
  });
  const { baseUrl, origin, webUrl, token } = local;

  const call: TestStack['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.as) headers.authorization = `Bearer ${await token(opts.as)}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  return { baseUrl, origin, webUrl, tableName, endpoint, s3: local.s3, token, call, close: local.close };
}

/** A valid 様式第4号 body for fiscal year 2026, with overrides. */
export function planBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fiscalYear: 2026,
    purpose: '保有個人情報等の適切な管理を検証する',
    scope: '第2章から第7章までに規定する措置の実施状況',
    auditedDepartments: ['citizens', 'resident-tax'],
    methods: ['document', 'onSite'],
    schedule: { from: '2026-10-01', to: '2026-11-30' },
    team: [
      { role: 'auditLead', userId: 'policy-director' },
      { role: 'auditorDx', userId: 'dx-manager' },
      { role: 'auditorKoho', userId: 'pr-manager' },
    ],
    criteria: '郡山市保有個人情報等の取扱基準',
    ...overrides,
  };
}
