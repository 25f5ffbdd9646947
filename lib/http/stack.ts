import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext, logger } from '#lib/logger.js';
import { MetricUnit, logMetrics, metrics } from '#lib/metrics.js';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AlreadyCreated, type Change, type Deps, type IdempotencyRecord } from '#lib/app/ports.js';
import { idempotencyClaim, idempotentWriter, sameRequest } from '#lib/app/idempotency.js';
import { NotFound, StaleVersion } from '#lib/domain/errors.js';
import { contentDisposition } from '#lib/domain/content-disposition.js';
import type { Actor } from '#lib/domain/roles.js';
import { problemOf, problemResponse } from './problem.js';
import { type ParsedRequest, parseRequest } from './request.js';
import type { FunctionName } from '#lib/functions.js';
import type { CreateRouteIdsOf, RouteIdsOf, Routes } from './routes.js';
import { type FunctionRoutes, routeKey } from './routes/define.js';
import type * as z from '#lib/domain/zod.js';

/**
 * The one middy stack of every HTTP function:
 * logger → metrics → problem+json errors → header normalizer → route, body, validation
 * and claims → operation. Operations get validated input and return data; status
 * codes, ETags and problem bodies are made here only.
 *
 * A function is given its own routes (lib/http/routes/<function>.ts), never the whole
 * table: the table is imported here for its types only, so that a function's bundle
 * holds its own routes' schemas and not every other function's.
 */

/**
 * The path a named API Gateway stage puts before every route (`/api` for stage `api`),
 * empty for `$default`: a `Location` names the route's path, and the client must be
 * sent to it through the stage.
 */
export function stagePath(stage: string | undefined): string {
  return stage === undefined || stage === '' || stage === '$default' ? '' : `/${stage}`;
}

type Infer<S> = S extends z.core.$ZodType ? z.output<S> : Record<string, never>;

/** What an operation of route R receives. */
export interface Request<R> {
  actor: R extends { auth: true } ? Actor : undefined;
  params: Infer<R extends { params: infer P } ? P : undefined>;
  query: Infer<R extends { query: infer Q } ? Q : undefined>;
  /** A file route's body is its bytes. */
  body: R extends { raw: object } ? Buffer : Infer<R extends { body: infer B } ? B : undefined>;
  ifMatch: number | undefined;
}

/** A document answered as it is (CSV, HTML, XLSX) rather than as JSON. */
export interface FileBody {
  contentType: string;
  /** Downloaded under this name (Content-Disposition, RFC 6266 with UTF-8). */
  fileName?: string;
  data: string | Buffer;
}

export interface Result {
  body: unknown;
  /** When set, answered instead of `body` as JSON. */
  file?: FileBody;
  /** Sent as `ETag: "<version>"`. */
  version?: number;
  /** Sent as `Location` with a 201. */
  location?: string;
  /** A 200 from a route that creates (201), when this request created nothing (an import's dry run). */
  status?: 200;
}

/** An entity (or its view) as the answer, its version the ETag; `location` for a 201 of one just created. */
export function versioned(entity: { version: number }, location?: string): Result {
  return { body: entity, version: entity.version, ...(location === undefined ? {} : { location }) };
}

export type Operations<F extends FunctionName> = {
  [K in RouteIdsOf<F>]: (req: Request<Routes[K]>, deps: Deps) => Promise<Result>;
};

/**
 * How each create route answers again from the entity its first request created (the
 * snapshot kept with its Idempotency-Key): the same body the create answered.
 */
export type Replays<F extends FunctionName> = {
  [K in CreateRouteIdsOf<F>]: (created: Change['entity'], deps: Deps) => Promise<Result> | Result;
};

type Event = APIGatewayProxyEventV2 & { parsed?: ParsedRequest };

function fileResponse(statusCode: number, file: FileBody): APIGatewayProxyStructuredResultV2 {
  const binary = Buffer.isBuffer(file.data);
  return {
    statusCode,
    headers: {
      'content-type': file.contentType,
      'cache-control': 'no-store',
      ...(file.fileName ? { 'content-disposition': contentDisposition(file.fileName) } : {}),
    },
    body: binary ? (file.data as Buffer).toString('base64') : (file.data as string),
    isBase64Encoded: binary,
  };
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** What a function adds to the shared dependencies. */
export interface HandlerOptions<F extends FunctionName = FunctionName> {
  /** The answers of its create routes to a repeated Idempotency-Key. */
  replays?: Replays<F>;
}

/** The options a function gives: with create routes, their replays are required. */
export type HandlerOptionArgs<F extends FunctionName> = [CreateRouteIdsOf<F>] extends [never]
  ? [HandlerOptions<F>?]
  : [HandlerOptions<F> & { replays: Replays<F> }];

/** The routes function F serves, as its module lib/http/routes/<function>.ts defines them: all of them and no other. */
export type RoutesOf<F extends FunctionName> = FunctionRoutes<F> & { readonly [K in RouteIdsOf<F>]: Routes[K] };

/** One HTTP function: its routes, their operations and the options (lib/http/operations/*: `api`). */
export interface HttpApi<F extends FunctionName> {
  routes: RoutesOf<F>;
  operations: Operations<F>;
  options: HandlerOptions<F>;
}

/** Define an HTTP function from its own routes; with create routes, their replays are required. */
export function httpApi<F extends FunctionName>(
  routes: RoutesOf<F>,
  operations: Operations<F>,
  ...[options = {}]: HandlerOptionArgs<F>
): HttpApi<F> {
  return { routes, operations, options };
}

/**
 * Build the Lambda handler of one function from its operations; `ports` gives the
 * dependencies (the composition root, lib/runtime), asked for at each request.
 */
export function httpHandler<F extends FunctionName>(ports: () => Deps, { routes, operations, options }: HttpApi<F>) {
  const served = new Map(Object.values(routes).map((r) => [routeKey(r), r]));

  /**
   * A create under an Idempotency-Key: a key used before for this request answers what
   * the first one created and writes nothing; a new key is claimed in the create's own
   * transaction (so a concurrent twin loses there and is answered the same way).
   */
  const idempotent = async (
    req: ParsedRequest,
    key: string,
    operation: (r: ParsedRequest, d: Deps) => Promise<Result>,
  ): Promise<Result> => {
    const base = ports();
    const actor = req.actor as Actor;
    const claim = idempotencyClaim({ sub: actor.sub, key, route: req.route.id, params: req.params, body: req.body, now: base.clock.now() });
    const replay = async (record: IdempotencyRecord): Promise<Result> => {
      const answer = options.replays?.[req.route.id as CreateRouteIdsOf<F>] as
        ((created: Change['entity'], deps: Deps) => Promise<Result> | Result) | undefined;
      if (!answer) throw new Error(`no replay for ${req.route.id}`);
      metrics.addMetric('IdempotentReplays', MetricUnit.Count, 1);
      return answer(sameRequest(record, claim).snapshot, base);
    };
    const known = await base.idempotency.get(claim.scope, claim.now);
    if (known) return replay(known);
    try {
      return await operation(req, { ...base, writer: idempotentWriter(base.writer, claim) });
    } catch (err) {
      if (err instanceof AlreadyCreated) return replay(err.record);
      throw err;
    }
  };

  return (
    middy<Event, APIGatewayProxyStructuredResultV2>()
      // Every log line of a request carries API Gateway's request id as correlation id.
      .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId' }))
      .use(logMetrics(metrics))
      .use({
        onError: (request) => {
          const problem = problemOf(request.error);
          metrics.addMetric(problem.status >= 500 ? 'ServerErrors' : 'ClientErrors', MetricUnit.Count, 1);
          if (problem.status >= 500) logger.error('request failed', { error: request.error as Error });
          const etag = request.error instanceof StaleVersion && request.error.currentVersion !== undefined;
          request.response = problemResponse(problem, etag ? { etag: `"${(request.error as StaleVersion).currentVersion}"` } : {});
        },
      })
      .use(httpHeaderNormalizer())
      .use({
        before: (request) => {
          const route = served.get(request.event.routeKey);
          if (!route) throw new NotFound('この URL の API はありません。', 'route-not-found');
          request.event.parsed = parseRequest(route, request.event);
        },
      })
      .handler(async (event) => {
        const req = event.parsed as ParsedRequest;
        metrics.addMetric('Requests', MetricUnit.Count, 1);
        const operation = operations[req.route.id as RouteIdsOf<F>] as unknown as (r: ParsedRequest, d: Deps) => Promise<Result>;
        const result =
          req.idempotencyKey === undefined ? await operation(req, ports()) : await idempotent(req, req.idempotencyKey, operation);
        if (result.file) return fileResponse(req.route.status ?? 200, result.file);
        return {
          statusCode: result.status ?? req.route.status ?? 200,
          headers: {
            ...jsonHeaders,
            ...(result.version === undefined ? {} : { etag: `"${result.version}"` }),
            ...(result.location === undefined ? {} : { location: `${stagePath(event.requestContext.stage)}${result.location}` }),
          },
          body: JSON.stringify(result.body),
        };
      })
  );
}
