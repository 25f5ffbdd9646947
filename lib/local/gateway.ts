import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { type IncomingMessage, type RequestListener, type Server, type ServerResponse, createServer } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type JSONWebKeySet, type JWTPayload, createLocalJWKSet, jwtVerify } from 'jose';
import { NotFound, PayloadTooLarge, Unauthenticated, problemTitles } from '#lib/domain/errors.js';
import { problemOf, problemResponse } from '#lib/http/problem.js';
import { type FunctionName, functionSpecs } from '#lib/functions.js';
import { type RouteDef, apiStage, routeKey, routeList } from '#lib/http/routes.js';

/**
 * The local API gateway: turns a Node HTTP request into an API Gateway HTTP API
 * payload 2.0 event, verifies the bearer JWT as API Gateway's JWT authorizer does
 * (signature, iss, aud or client_id, exp), and awaits the same exported `handler`
 * of functions/ that Lambda runs. The API answers under `/api/` only (see {@link apiStage});
 * any other path the mounts leave gets a 404 problem+json.
 */
export interface GatewayOptions {
  jwks: JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Prints one access line per request. */
  log?: (line: string) => void;
  /**
   * Served before the API, in order (the OpenID provider, the SPA): each answers the
   * request and returns true, or returns false and leaves it to the next.
   */
  mounts?: readonly Mount[];
}

/**
 * The path the API is served under (`/api`), as API Gateway serves the named stage
 * {@link apiStage}: the route's path follows it, the event keeps the full path in
 * `rawPath` and names the stage in `requestContext.stage`.
 */
export const apiPath = `/${apiStage}`;

/** A handler sharing the gateway's port; true when it has taken the request. */
export type Mount = (req: IncomingMessage, res: ServerResponse) => boolean;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const MAX_BODY = 10 * 1024 * 1024; // API Gateway's payload limit

interface Match {
  route: RouteDef;
  pathParameters: Record<string, string>;
}

/** The route a request is for; where several match, the most specific (fewest parameters), as API Gateway chooses. */
function matchRoute(method: string, path: string): Match | undefined {
  const parts = path.split('/').slice(1);
  let best: Match | undefined;
  for (const route of routeList) {
    if (route.method !== method) continue;
    const tpl = route.path.split('/').slice(1);
    if (tpl.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = tpl.every((seg, i) => {
      const part = parts[i] as string;
      if (seg.startsWith('{') && seg.endsWith('}')) {
        if (part === '') return false;
        try {
          params[seg.slice(1, -1)] = decodeURIComponent(part);
        } catch {
          params[seg.slice(1, -1)] = part;
        }
        return true;
      }
      return seg === part;
    });
    if (ok && (!best || Object.keys(params).length < Object.keys(best.pathParameters).length)) best = { route, pathParameters: params };
  }
  return best;
}

/** Claims as API Gateway passes them: strings, with lists as `"[a b]"`. */
function apiGatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [
      k,
      Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v),
    ]),
  );
}

/**
 * The whole body; past the limit the rest is read and dropped, so the 413 reaches the
 * client (destroying the request would reset the connection before it is sent).
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
      else chunks.length = 0;
    });
    req.on('end', () => (size > MAX_BODY ? reject(new PayloadTooLarge('本文は10MBまでです。')) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>), 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A Lambda context for a local invocation. */
export function lambdaContext(fn: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `kansa-${fn}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:kansa-${fn}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/kansa-${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function createGateway(opts: GatewayOptions): Server {
  return answerMalformedRequests(createServer(gatewayListener(opts)));
}

/** How long a client is asked to wait (Retry-After, seconds) while the stack starts. */
export const startingRetryAfterSeconds = 2;

/** The answer while the stack is still starting: 503 problem+json at once, never a hang. */
export const answerStarting: RequestListener = (_req, res) => {
  const p = {
    type: 'urn:kansa:problem:starting',
    title: problemTitles[503] as string,
    status: 503,
    detail: '起動中です。しばらくしてから再度お試しください。',
  };
  send(res, problemResponse(p, { 'retry-after': String(startingRetryAfterSeconds), 'cache-control': 'no-store' }));
};

/**
 * A server that can listen before its handlers exist (the issuer and redirect URIs name
 * its port): until `ready(listener)` every request gets {@link answerStarting}, after
 * it every request goes to `listener`. Malformed requests are answered as by the gateway.
 */
export function startingServer(): { server: Server; ready(listener: RequestListener): void } {
  let current: RequestListener = answerStarting;
  const server = answerMalformedRequests(createServer((req, res) => current(req, res)));
  return {
    server,
    ready: (listener) => {
      current = listener;
    },
  };
}

/**
 * A request Node's parser refuses before any handler runs (a request line and headers
 * over 16 KB, or a malformed request) gets a problem+json answer like every other error,
 * instead of Node's bare `431`/`400`: 431 when the head is too large, else 400.
 */
export function answerMalformedRequests(server: Server): Server {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      type: `urn:kansa:problem:${tooLarge ? 'header-too-large' : 'malformed-request'}`,
      title: tooLarge ? 'リクエストヘッダーが大きすぎます' : (problemTitles[400] as string),
      status,
      detail: tooLarge
        ? 'URL とヘッダーが長すぎます（合計 16 KB まで）。短くしてもう一度送信してください。'
        : 'HTTP リクエストの形式が正しくありません。',
    });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `content-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/** The gateway as a request listener, for a server that is already listening. */
export function gatewayListener(opts: GatewayOptions): RequestListener {
  const keySet = createLocalJWKSet(opts.jwks);
  const handlers = new Map<FunctionName, Promise<Handler>>();
  const handlerOf = (fn: FunctionName): Promise<Handler> => {
    let h = handlers.get(fn);
    if (!h) {
      const entry = new URL(`../../${functionSpecs[fn].entry}`, import.meta.url).href;
      h = import(entry).then((m: { handler: Handler }) => m.handler);
      handlers.set(fn, h);
    }
    return h;
  };

  async function verify(header: string | undefined): Promise<JWTPayload> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m) throw new Unauthenticated('Authorization: Bearer <トークン> ヘッダーが必要です。');
    try {
      const { payload } = await jwtVerify(m[1] as string, keySet, {
        issuer: opts.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'sub'],
      });
      const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.includes(opts.audience) && payload['client_id'] !== opts.audience) throw new Error('audience');
      return payload;
    } catch {
      throw new Unauthenticated('トークンが無効か、有効期限が切れています。サインインし直してください。');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let status = 500;
    try {
      const routePath = url.pathname.startsWith(`${apiPath}/`) ? url.pathname.slice(apiPath.length) : undefined;
      const match = routePath === undefined ? undefined : matchRoute(method, routePath);
      if (!match) {
        // A script written for the API at the root (before it moved under /api, as behind CloudFront) is told where it went.
        const moved = routePath === undefined && matchRoute(method, url.pathname) !== undefined;
        throw new NotFound(
          moved ? `API は ${apiPath} の下にあります（${apiPath}${url.pathname}）。` : 'この URL の API はありません。',
          'route-not-found',
        );
      }
      const { route } = match;
      const claims = route.auth ? apiGatewayClaims(await verify(req.headers.authorization)) : undefined;
      const body = await readBody(req);
      const requestId = randomUUID();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
      // A CSV is passed as bytes: a Shift_JIS file is not UTF-8 text.
      const isText =
        body.length === 0 ||
        (/json|text|xml|form-urlencoded/.test(headers['content-type'] ?? '') && !/csv/.test(headers['content-type'] ?? ''));
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey: routeKey(route),
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
        ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
        ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
        isBase64Encoded: body.length > 0 && !isText,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'localhost',
          http: {
            method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId,
          routeKey: routeKey(route),
          stage: apiStage,
          time: new Date(started).toISOString(),
          timeEpoch: started,
          ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
        } as APIGatewayProxyEventV2['requestContext'],
      };
      const handler = await handlerOf(route.fn);
      const result = await handler(event, lambdaContext(route.fn, requestId));
      status = result.statusCode ?? 200;
      send(res, result);
    } catch (err) {
      const p = problemOf(err);
      status = p.status;
      if (status >= 500) console.error(err);
      send(res, problemResponse(p, status === 401 ? { 'www-authenticate': 'Bearer' } : {}));
    } finally {
      opts.log?.(`${method} ${url.pathname}${url.search} → ${status} (${Date.now() - started} ms)`);
    }
  }

  return (req, res) => {
    const started = Date.now();
    const line = `${req.method ?? 'GET'} ${req.url ?? '/'}`;
    if (!opts.mounts?.some((mount) => mount(req, res))) {
      void handle(req, res);
      return;
    }
    const { log } = opts;
    if (log) res.on('finish', () => log(`${line} → ${res.statusCode} (${Date.now() - started} ms)`));
  };
}
