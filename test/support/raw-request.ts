import { Agent, type IncomingHttpHeaders, request } from 'node:http';

/**
 * A byte-exact HTTP client for tests that must send what `fetch` would normalise
 * away: `..` segments, invalid percent escapes, bodies on GET, any Content-Type.
 * The path is sent as given (it must be printable ASCII); the reply is read whole.
 */
export interface RawRequest {
  method: string;
  /** Path and query exactly as they go on the request line. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A keep-alive client bound to one base URL (`http://127.0.0.1:<port>/api`): a request's
 * path goes after the base URL's path, as `${baseUrl}${path}` does with fetch.
 */
export function rawClient(baseUrl: string, maxSockets = 32): { send(req: RawRequest): Promise<RawReply>; close(): void } {
  const { hostname, port, pathname } = new URL(baseUrl);
  const prefix = pathname.replace(/\/+$/, '');
  const agent = new Agent({ keepAlive: true, maxSockets });

  const send = (r: RawRequest): Promise<RawReply> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
      const req = request({ host: hostname, port: Number(port), method: r.method, path: `${prefix}${r.path}`, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) });
        });
      });
      req.on('error', reject);
      req.end(r.body);
    });

  return { send, close: () => agent.destroy() };
}
