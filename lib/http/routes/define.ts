import type { FunctionName } from '#lib/functions.js';
import type { ProvisionId } from '#lib/domain/provisions.js';
import type * as z from '#lib/domain/zod.js';
import type { ZodMiniType } from '#lib/domain/zod.js';

/**
 * How a route is written: each HTTP function's routes are one module beside this one
 * (lib/http/routes/<function>.ts), which its handler imports alone; lib/http/routes.ts
 * joins them into the single route table.
 */

export type Method = 'GET' | 'POST' | 'PATCH';

export interface RouteDef {
  /** The route's key in its function's table, set by {@link defineRoutes}. */
  id: string;
  method: Method;
  path: string;
  /** The function serving it, set by {@link defineRoutes}. */
  fn: FunctionName;
  /** false only for GET /health: every other route needs a verified JWT. */
  auth: boolean;
  /** What it does, in Japanese, without article numbers: the OpenAPI document adds `provision`'s. */
  summary: string;
  /** The rule the route applies, cited from the active profile after the summary (lib/http/openapi.ts). */
  provision?: ProvisionId;
  status?: 200 | 201;
  /** Path parameters; a value that fails here is a 404 (no such resource). */
  params?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  /** JSON body (a zod or zod/mini schema); routes without one accept no body or `{}`. */
  body?: ZodMiniType;
  /** Accepts `If-Match` (optimistic concurrency). */
  conditional?: boolean;
  /** The body is a file of this type taken as its bytes (a Buffer), not JSON; larger than `maxBytes` is a 413. */
  raw?: { type: 'text/csv'; maxBytes: number };
}

/** A route as written in its function's table: everything but its id (its key) and its function (the table's). */
type RouteSpec = Omit<RouteDef, 'id' | 'fn'>;

/** The table with each route's id set to its key and its function to the table's, so that neither can differ. */
type WithIds<F extends FunctionName, T> = { readonly [K in keyof T & string]: T[K] & { readonly id: K; readonly fn: F } };

/** A property a {@link RouteSpec} does not have (a misspelt `staus`, an `id` or a `fn`) is an error. */
type OnlyRouteSpecKeys<T> = { [K in keyof T]: { [P in Exclude<keyof T[K], keyof RouteSpec>]: never } };

/** The routes of one function, as {@link defineRoutes} makes them. */
export type FunctionRoutes<F extends FunctionName = FunctionName> = { readonly [id: string]: RouteDef & { readonly fn: F } };

/** The routes function `fn` serves, keyed by their ids. */
export function defineRoutes<F extends FunctionName, const T extends Record<string, RouteSpec>>(
  fn: F,
  specs: T & OnlyRouteSpecKeys<T>,
): WithIds<F, T> {
  return Object.fromEntries(Object.entries<RouteSpec>(specs).map(([id, spec]) => [id, { ...spec, id, fn }])) as WithIds<F, T>;
}

/** A route that creates a resource (answers 201): it takes an `Idempotency-Key`. */
export function isCreate(r: Pick<RouteDef, 'method' | 'status'>): boolean {
  return r.method === 'POST' && r.status === 201;
}

/** API Gateway's route key: `POST /plans/{planId}/approve`. */
export function routeKey(r: Pick<RouteDef, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}
