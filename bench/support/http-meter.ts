import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** One request an in-process server handled: its body bytes in and out (headers not counted). */
export interface Exchange {
  server: string;
  method: string;
  path: string;
  requestBytes: number;
  responseBytes: number;
}

type Start = { request: IncomingMessage; response: ServerResponse; server: Server };
type Chunk = string | Uint8Array | ((err?: Error | null) => void) | null | undefined;

const sizeOf = (chunk: Chunk, encoding: unknown): number =>
  typeof chunk === 'string'
    ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
    : chunk instanceof Uint8Array
      ? chunk.length
      : 0;

/**
 * Counts the body bytes of every request and response handled by the in-process HTTP
 * servers that `classify` names, through Node's `http.server.request.start` channel:
 * request bytes as the parser pushes them (whether or not anyone reads them), response
 * bytes as they are written. It observes only; the servers see nothing different.
 */
export class HttpMeter {
  readonly exchanges: Exchange[] = [];

  private readonly onStart = (message: unknown): void => {
    const { request, response, server } = message as Start;
    const name = this.classify(server);
    if (!name) return;
    const ex: Exchange = {
      server: name,
      method: request.method ?? '',
      path: (request.url ?? '').split('?')[0] ?? '',
      requestBytes: 0,
      responseBytes: 0,
    };
    this.exchanges.push(ex);
    const push = request.push.bind(request);
    request.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk !== null && chunk !== undefined) ex.requestBytes += sizeOf(chunk as Chunk, encoding);
      return push(chunk, encoding);
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    (response as { write: unknown }).write = (chunk: Chunk, ...rest: unknown[]) => {
      ex.responseBytes += sizeOf(chunk, rest[0]);
      return write(chunk, ...rest);
    };
    (response as { end: unknown }).end = (chunk?: Chunk, ...rest: unknown[]) => {
      ex.responseBytes += sizeOf(chunk, rest[0]);
      return end(chunk, ...rest);
    };
  };

  constructor(private readonly classify: (server: Server) => string | undefined) {
    subscribe('http.server.request.start', this.onStart);
  }

  /** A mark to pass to {@link since}. */
  mark(): number {
    return this.exchanges.length;
  }

  /** The exchanges that started after `mark`. */
  since(mark: number): Exchange[] {
    return this.exchanges.slice(mark);
  }

  close(): void {
    unsubscribe('http.server.request.start', this.onStart);
  }
}
