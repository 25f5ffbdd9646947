import type { FunctionName } from '#lib/functions.js';
import type { RouteDef } from './routes/define.js';
import { actionRoutes } from './routes/actions.js';
import { auditLogRoutes } from './routes/audit-log.js';
import { contractorRoutes } from './routes/contractors.js';
import { disposalRoutes } from './routes/disposals.js';
import { evidenceRoutes } from './routes/evidence.js';
import { findingRoutes } from './routes/findings.js';
import { incidentRoutes } from './routes/incidents.js';
import { inspectionRoutes } from './routes/inspections.js';
import { planRoutes } from './routes/plans.js';
import { reportRoutes } from './routes/reports.js';
import { staffRoutes } from './routes/staff.js';
import { systemRoutes } from './routes/system.js';
import { taskRoutes } from './routes/tasks.js';
import { trainingRoutes } from './routes/trainings.js';

export { type Method, type RouteDef, isCreate, routeKey } from './routes/define.js';

/**
 * The single route table. CDK creates the HttpApi routes from it, the local gateway
 * matches requests against it, the OpenAPI document, the authorization matrix and
 * the fuzz tests enumerate it. A route missing here does not exist anywhere.
 *
 * It joins the routes of each function (lib/http/routes/<function>.ts); a function's
 * handler imports its own module only, so that its bundle holds its own routes' schemas.
 */

type Table = { readonly [id: string]: RouteDef };

/** The tables joined: one object type with every table's routes. */
type Joined<T extends readonly Table[]> = T extends readonly [infer H extends Table, ...infer R extends readonly Table[]]
  ? H & Joined<R>
  : unknown;

/** The ids found in more than one of the tables. */
type SharedIds<T extends readonly Table[]> = T extends readonly [infer H extends Table, ...infer R extends readonly Table[]]
  ? (keyof H & keyof Joined<R>) | SharedIds<R>
  : never;

/** Join the functions' tables; an id in two of them is a type error (naming the id) and, should one get past, an error at load. */
function joinRoutes<const T extends readonly Table[]>(
  ...tables: T & ([SharedIds<T>] extends [never] ? unknown : { duplicateRouteIds: SharedIds<T> })
): { readonly [K in keyof Joined<T>]: Joined<T>[K] } {
  const joined: Record<string, RouteDef> = {};
  for (const table of tables) {
    for (const [id, route] of Object.entries(table)) {
      if (id in joined) throw new Error(`route id ${id} is defined twice (${joined[id]?.fn} and ${route.fn})`);
      joined[id] = route;
    }
  }
  return joined as { readonly [K in keyof Joined<T>]: Joined<T>[K] };
}

export const routes = joinRoutes(
  systemRoutes,
  planRoutes,
  findingRoutes,
  actionRoutes,
  evidenceRoutes,
  disposalRoutes,
  reportRoutes,
  auditLogRoutes,
  taskRoutes,
  inspectionRoutes,
  contractorRoutes,
  incidentRoutes,
  staffRoutes,
  trainingRoutes,
);

export type Routes = typeof routes;
export type RouteId = keyof Routes;
export const routeList: readonly RouteDef[] = Object.values(routes);

/** The route ids a function serves. */
export type RouteIdsOf<F extends FunctionName> = { [K in RouteId]: Routes[K]['fn'] extends F ? K : never }[RouteId];

/** The create routes a function serves. */
export type CreateRouteIdsOf<F extends FunctionName> = {
  [K in RouteIdsOf<F>]: Routes[K] extends { status: 201 } ? K : never;
}[RouteIdsOf<F>];

/**
 * The API Gateway stage the API is served under: every route is at `/api<path>` of the
 * SPA's origin (CloudFront forwards `/api/*` to the HTTP API's stage `api`; locally the
 * gateway serves the same paths).
 */
export const apiStage = 'api';
