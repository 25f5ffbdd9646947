import { problemTitles } from '#lib/domain/errors.js';
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

export interface Result<T> {
  data: T;
  /** The `ETag` of a single resource, to send back as `If-Match`. */
  etag: string | null;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** The ETag read with the resource: a change made meanwhile answers 412. */
  ifMatch?: string | null;
}

export interface ApiOptions {
  baseUrl: string;
  /** The current ID token (undefined when signed out). */
  token: () => Promise<string | undefined>;
  /** Called on a 401: the session is over. */
  onUnauthorized: () => void;
  fetch?: typeof fetch;
}

export interface Api {
  request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, options?: RequestOptions): Promise<Result<T>>;
  get<T>(path: string, query?: Query): Promise<Result<T>>;
  /** One page of a list; pass the previous page's `nextCursor` for the next. */
  page<T>(path: string, query?: Query, cursor?: string | null): Promise<Page<T>>;
  post<T>(path: string, body?: unknown, ifMatch?: string | null): Promise<Result<T>>;
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
  return { status: res.status, title, detail: res.status >= 500 ? 'サーバーでエラーが発生しました。時間をおいて再度お試しください。' : title };
}

export function createApi(options: ApiOptions): Api {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = options.baseUrl.replace(/\/$/, '');

  async function send(method: string, path: string, opts: RequestOptions, accept: string): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const token = await options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.ifMatch) headers['if-match'] = opts.ifMatch;
    let res: Response;
    try {
      res = await doFetch(`${base}${withQuery(path, opts.query)}`, {
        method,
        headers,
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
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
    async blob(path, query) {
      const res = await send('GET', path, query ? { query } : {}, '*/*');
      return res.blob();
    },
  };
  return api;
}
