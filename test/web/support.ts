import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoDepartments } from '#lib/local/demo-users.js';
import { evidenceTypeList } from '#lib/domain/evidence.js';
import { getProfile } from '#lib/profiles/index.js';
import type { Role } from '#lib/domain/roles.js';
import { createApi } from '../../web/src/api.js';
import { createSession, type Session } from '../../web/src/session.js';
import type { Me, Profile } from '../../web/src/types.js';

/** A tiny HTTP server for the SPA's component tests, with the CORS a browser needs. */
export interface TestServer {
  baseUrl: string;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

export type Handler = (
  req: { method: string; url: string; headers: IncomingMessage['headers']; body: string },
  res: ServerResponse,
) => void;

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const problem = status >= 400;
  res.writeHead(status, { 'content-type': problem ? 'application/problem+json' : 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type, if-match, idempotency-key, accept');
    res.setHeader('access-control-allow-methods', 'GET, POST, PATCH, OPTIONS');
    res.setHeader('access-control-expose-headers', 'etag');
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Profile 001 as GET /profile serves it, with the demo organisation's departments and the evidence types. */
export const koriyama: Profile = { ...getProfile('001'), departments: [...demoDepartments], evidenceTypes: evidenceTypeList() };

export function meOf(sub: string, roles: Role[], department = 'policy-planning'): Me {
  return {
    sub,
    name: sub,
    roles,
    roleTitles: roles.map((r) => koriyama.roleTitles[r] ?? r),
    department,
    profile: { id: koriyama.id, organisation: koriyama.organisation, regulation: koriyama.regulation, version: koriyama.version },
  };
}

/** A session against the test server, as the app builds it after sign-in. */
export function sessionFor(baseUrl: string, me: Me, onUnauthorized: () => void = () => {}): Session {
  const api = createApi({ baseUrl, token: async () => 'test-token', onUnauthorized });
  return createSession(me, koriyama, api, () => {});
}
