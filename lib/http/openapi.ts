import { type Provisions, sourceOf } from '#lib/domain/provisions.js';
import * as z from '#lib/domain/zod.js';
import { idempotencyKeyPattern } from './request.js';
import { type RouteDef, isCreate, routeList } from './routes.js';

/**
 * OpenAPI 3.1 built from the route table and its zod schemas (JSON Schema 2020-12,
 * which OpenAPI 3.1 uses as is), its summaries citing the active profile's rules.
 * Built once per cold start (per profile).
 */
const docs = new WeakMap<Provisions, Record<string, unknown>>();

/**
 * A route's summary with the source of its rule under the active profile: inside its
 * closing bracket (「…（委託する課、第22条）」) or appended (「…（第27条）」, 「…（運用上のルール）」);
 * as it is where the regulation has no such rule.
 */
export function routeSummary(route: Pick<RouteDef, 'summary' | 'provision'>, provisions: Provisions): string {
  const source = route.provision ? sourceOf(provisions, route.provision) : '';
  if (!source) return route.summary;
  return route.summary.endsWith('）') ? `${route.summary.slice(0, -1)}、${source}）` : `${route.summary}（${source}）`;
}

const problem = {
  description: 'problem+json (RFC 9457)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

function jsonSchema(schema: z.core.$ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodMiniObject | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const js = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: location,
    required: location === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

export function openApiDocument(provisions: Provisions): Record<string, unknown> {
  const cached = docs.get(provisions);
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routeList) {
    const op: Record<string, unknown> = {
      operationId: r.id,
      summary: routeSummary(r, provisions),
      ...(r.auth ? {} : { security: [] }),
      parameters: [
        ...parameters(r.params, 'path'),
        ...parameters(r.query, 'query'),
        ...(r.conditional ? [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }] : []),
        ...(isCreate(r)
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                description:
                  '操作ごとに新しい値（UUID など）。同じキーと同じ内容の再送には最初の結果を返し、何も作りません。別の内容なら 422。48時間保持します。',
                schema: { type: 'string', pattern: idempotencyKeyPattern.source },
              },
            ]
          : []),
      ],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
      ...(r.raw
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                [r.raw.type, 'application/octet-stream'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
              ),
            },
          }
        : {}),
      responses: {
        [String(r.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: {} } } },
        '400': problem,
        ...(r.auth ? { '401': problem, '403': problem } : {}),
        '404': problem,
        ...(r.conditional ? { '409': problem, '412': problem } : {}),
        ...(isCreate(r) ? { '422': problem } : {}),
        ...(r.raw ? { '413': problem, '415': problem } : {}),
        ...(r.auth ? { '503': problem } : {}),
      },
    };
    paths[r.path] = { ...paths[r.path], [r.method.toLowerCase()]: op };
  }
  const doc = {
    openapi: '3.1.0',
    info: { title: 'kansa API', version: '1.0.0', description: '個人情報保護監査（監査計画・所見・改善措置・証跡）の API' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
    paths,
  };
  docs.set(provisions, doc);
  return doc;
}
