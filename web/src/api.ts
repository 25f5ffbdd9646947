import { problemTitles } from '#lib/domain/errors.js';
import * as z from '#lib/domain/zod.js';
import type { Page } from './types.js';

/**
 * The API client: bearer ID token, JSON in and out, RFC 9457 problem+json errors
 * surfaced as {@link ApiError} with the server's Japanese `detail` untouched, ETag /
 * If-Match for optimistic concurrency, and cursors for lists.
 */

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  currentVersion?: number;
}

export const networkFailureMessage = '通信できませんでした。電波の良い場所で再試行してください。';
export const sessionExpiredMessage = 'セッションの有効期限が切れました。もう一度ログインしてください。';

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
  /** Someone changed the resource since it was read (stale If-Match). */
  get stale(): boolean {
    return this.status === 412;
  }
  /** The request never reached the server or its answer never arrived. */
  get offline(): boolean {
    return this.status === 0;
  }
}

/** What the server answers a body its schema refuses (lib/http/request.ts). */
export const invalidBodyMessage = '本文の内容に誤りがあります。';

/**
 * The body, checked before it is sent with the schema the server checks it with (the
 * domain's, with its Japanese messages): what it refuses is thrown as the 400 the server
 * would answer, field by field, so the form shows each message beside its field.
 */
export function checked<B>(schema: z.core.$ZodType, body: B): B {
  const r = z.safeParse(schema, body);
  if (r.success) return body;
  throw new ApiError({
    status: 400,
    title: problemTitles[400] ?? invalidBodyMessage,
    detail: invalidBodyMessage,
    errors: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}

export interface Result<T> {
  data: T;
  /** The `ETag` of a single resource, to send back as `If-Match`. */
  etag: string | null;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/** A body sent as it is, with its own type (a CSV import's bytes), not as JSON. */
/**
 * How a CSV file is sent (the register's and attendance imports): as bytes, so an HTTP API passes
 * a Shift_JIS file to the function unchanged (a `text/*` body reaches it as UTF-8 text).
 */
export const csvUpload = 'application/octet-stream';

export class RawBody {
  constructor(
    readonly content: Blob,
    readonly type: string,
  ) {}
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** The ETag read with the resource: a change made meanwhile answers 412. */
  ifMatch?: string | null;
  /** Sent as `Idempotency-Key` (creates). */
  idempotencyKey?: string;
}

/**
 * One thing the user means to create (a plan, a finding, a photo…): every attempt to
 * send the same body carries the same `Idempotency-Key`, so a retry after a lost answer
 * or a second tap creates nothing twice; a changed body is a new intent with a new key,
 * and so is the next create once this one has landed.
 */
export class CreateIntent {
  private last: { body: string; key: string } | undefined;
  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.last?.body !== text) this.last = { body: text, key: crypto.randomUUID() };
    return this.last.key;
  }
  /** The create landed: what the user sends next is another intent. */
  done(): void {
    this.last = undefined;
  }
}

/** Pauses before each automatic retry of a create whose answer did not arrive (ms). */
export const createRetryDelays = [500, 2000];

export interface ApiOptions {
  baseUrl: string;
  /** The current ID token (undefined when signed out). */
  token: () => Promise<string | undefined>;
  /** Called on a 401: the session is over. */
  onUnauthorized: () => void;
  fetch?: typeof fetch;
  /** Waits between automatic retries (tests pass a short one). */
  sleep?: (ms: number) => Promise<void>;
}

export interface Api {
  request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, options?: RequestOptions): Promise<Result<T>>;
  get<T>(path: string, query?: Query): Promise<Result<T>>;
  /** One page of a list; pass the previous page's `nextCursor` for the next. */
  page<T>(path: string, query?: Query, cursor?: string | null): Promise<Page<T>>;
  post<T>(path: string, body?: unknown, ifMatch?: string | null): Promise<Result<T>>;
  /**
   * A create (POST answering 201) under the intent's `Idempotency-Key`: when the answer
   * is lost (no connection, or a 503) it is sent again with the same key, twice at most.
   */
  create<T>(path: string, body: unknown, intent: CreateIntent, ifMatch?: string | null): Promise<Result<T>>;
  patch<T>(path: string, body: unknown, ifMatch: string | null): Promise<Result<T>>;
  /** A document route (XLSX, HTML, CSV) as a Blob. */
  blob(path: string, query?: Query): Promise<Blob>;
}

export function withQuery(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The problem in an error response, whatever the server sent. */
async function problemOf(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  const title = problemTitles[res.status] ?? `エラーが発生しました（HTTP ${res.status}）`;
  if (type.includes('json')) {
    try {
      const p = (await res.json()) as Partial<Problem>;
      return {
        ...p,
        status: res.status,
        title: typeof p.title === 'string' ? p.title : title,
        detail: typeof p.detail === 'string' ? p.detail : title,
      };
    } catch {
      // fall through: a body that is not the JSON it claims
    }
  }
  return {
    status: res.status,
    title,
    detail: res.status >= 500 ? 'サーバーでエラーが発生しました。時間をおいて再度お試しください。' : title,
  };
}

export function createApi(options: ApiOptions): Api {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = options.baseUrl.replace(/\/$/, '');
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function send(method: string, path: string, opts: RequestOptions, accept: string): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const token = await options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    const raw = opts.body instanceof RawBody ? opts.body : undefined;
    if (opts.body !== undefined) headers['content-type'] = raw ? raw.type : 'application/json';
    if (opts.ifMatch) headers['if-match'] = opts.ifMatch;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    let res: Response;
    try {
      res = await doFetch(`${base}${withQuery(path, opts.query)}`, {
        method,
        headers,
        ...(opts.body === undefined ? {} : { body: raw ? raw.content : JSON.stringify(opts.body) }),
      });
    } catch {
      throw new ApiError({ status: 0, title: '通信エラー', detail: networkFailureMessage });
    }
    if (res.status === 401) {
      options.onUnauthorized();
      const p = await problemOf(res);
      throw new ApiError({ ...p, detail: sessionExpiredMessage });
    }
    if (!res.ok) throw new ApiError(await problemOf(res));
    return res;
  }

  const api: Api = {
    async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, opts: RequestOptions = {}) {
      const res = await send(method, path, opts, 'application/json');
      const text = await res.text();
      return { data: (text ? JSON.parse(text) : null) as T, etag: res.headers.get('etag') };
    },
    get: (path, query) => api.request('GET', path, query ? { query } : {}),
    async page<T>(path: string, query: Query = {}, cursor?: string | null) {
      const r = await api.request<Page<T>>('GET', path, { query: { ...query, cursor: cursor ?? undefined } });
      return { items: r.data.items ?? [], nextCursor: r.data.nextCursor ?? null };
    },
    post: (path, body, ifMatch) => api.request('POST', path, { body: body ?? {}, ifMatch: ifMatch ?? null }),
    patch: (path, body, ifMatch) => api.request('PATCH', path, { body, ifMatch }),
    async create<T>(path: string, body: unknown, intent: CreateIntent, ifMatch?: string | null) {
      const idempotencyKey = intent.keyFor(body);
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await api.request<T>('POST', path, { body, idempotencyKey, ifMatch: ifMatch ?? null });
          intent.done();
          return r;
        } catch (e) {
          const retriable = e instanceof ApiError && (e.offline || e.status === 503);
          const delay = createRetryDelays[attempt];
          if (!retriable || delay === undefined) throw e;
          await sleep(delay);
        }
      }
    },
    async blob(path, query) {
      const res = await send('GET', path, query ? { query } : {}, '*/*');
      return res.blob();
    },
  };
  return api;
}
