import { z } from '#lib/domain/zod.js';
import { entityTypes } from '#lib/domain/audit.js';
import { approvePlanSchema, createPlanSchema, planStatusSchema, returnPlanSchema, updatePlanSchema } from '#lib/domain/plan.js';

/**
 * The single route table. CDK creates the HttpApi routes from it, the local gateway
 * matches requests against it, the OpenAPI document, the authorization matrix and
 * the fuzz tests enumerate it. A route missing here does not exist anywhere.
 */

/** One Lambda function per area; its entry is `functions/http/<fn>.ts`. */
export const functionNames = ['system', 'plans', 'auditLog'] as const;
export type FunctionName = (typeof functionNames)[number];

export type Method = 'GET' | 'POST' | 'PATCH';

export interface RouteDef {
  id: string;
  method: Method;
  path: string;
  fn: FunctionName;
  /** false only for GET /health: every other route needs a verified JWT. */
  auth: boolean;
  summary: string;
  status?: 200 | 201;
  /** Path parameters; a value that fails here is a 404 (no such resource). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** JSON body; routes without one accept no body or `{}`. */
  body?: z.ZodType;
  /** Accepts `If-Match` (optimistic concurrency). */
  conditional?: boolean;
}

const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'IDの形式が正しくありません。' });

const page = {
  limit: z.coerce
    .number({ error: 'limit は数値で指定してください。' })
    .int({ error: 'limit は整数で指定してください。' })
    .min(1, { error: 'limit は1以上で指定してください。' })
    .max(100, { error: 'limit は100以下で指定してください。' })
    .default(20),
  cursor: z.string().min(1).max(2048).optional(),
};

const planParams = z.object({ planId: ulid });

const route = <const R extends RouteDef>(r: R): R => r;

export const routes = {
  health: route({ id: 'health', method: 'GET', path: '/health', fn: 'system', auth: false, summary: '稼働確認' }),
  getMe: route({ id: 'getMe', method: 'GET', path: '/me', fn: 'system', auth: true, summary: 'サインイン中の利用者' }),
  getOpenApi: route({ id: 'getOpenApi', method: 'GET', path: '/openapi.json', fn: 'system', auth: true, summary: 'API定義 (OpenAPI 3.1)' }),
  createPlan: route({
    id: 'createPlan', method: 'POST', path: '/plans', fn: 'plans', auth: true, status: 201,
    summary: '監査計画（様式第4号）を起案する', body: createPlanSchema,
  }),
  listPlans: route({
    id: 'listPlans', method: 'GET', path: '/plans', fn: 'plans', auth: true, summary: '年度・状態別の監査計画一覧',
    query: z.object({
      fiscalYear: z.coerce
        .number({ error: 'fiscalYear は数値で指定してください。' })
        .int({ error: 'fiscalYear は整数で指定してください。' })
        .min(2000, { error: 'fiscalYear は2000以上で指定してください。' })
        .max(2100, { error: 'fiscalYear は2100以下で指定してください。' })
        .optional(),
      status: planStatusSchema.optional(),
      ...page,
    }),
  }),
  getPlan: route({ id: 'getPlan', method: 'GET', path: '/plans/{planId}', fn: 'plans', auth: true, summary: '監査計画', params: planParams }),
  updatePlan: route({
    id: 'updatePlan', method: 'PATCH', path: '/plans/{planId}', fn: 'plans', auth: true, conditional: true,
    summary: '監査計画を編集する（起案中・差戻しのみ）', params: planParams, body: updatePlanSchema,
  }),
  submitPlan: route({
    id: 'submitPlan', method: 'POST', path: '/plans/{planId}/submit', fn: 'plans', auth: true, conditional: true,
    summary: '監査計画を提出する', params: planParams,
  }),
  approvePlan: route({
    id: 'approvePlan', method: 'POST', path: '/plans/{planId}/approve', fn: 'plans', auth: true, conditional: true,
    summary: '監査計画を承認する（総括保護管理者）', params: planParams, body: approvePlanSchema,
  }),
  returnPlan: route({
    id: 'returnPlan', method: 'POST', path: '/plans/{planId}/return', fn: 'plans', auth: true, conditional: true,
    summary: '監査計画を差し戻す（総括保護管理者）', params: planParams, body: returnPlanSchema,
  }),
  startPlan: route({
    id: 'startPlan', method: 'POST', path: '/plans/{planId}/start', fn: 'plans', auth: true, conditional: true,
    summary: '監査を開始する', params: planParams,
  }),
  createPlanRevision: route({
    id: 'createPlanRevision', method: 'POST', path: '/plans/{planId}/revisions', fn: 'plans', auth: true, conditional: true,
    status: 201, summary: '承認済み監査計画の改訂版を起案する', params: planParams,
  }),
  getAuditLog: route({
    id: 'getAuditLog', method: 'GET', path: '/audit-log', fn: 'auditLog', auth: true, summary: '対象の監査証跡（古い順）',
    query: z.object({ entityType: z.enum(entityTypes), entityId: ulid, ...page }),
  }),
} as const satisfies Record<string, RouteDef>;

export type Routes = typeof routes;
export type RouteId = keyof Routes;
export const routeList: readonly RouteDef[] = Object.values(routes);

/** API Gateway's route key: `POST /plans/{planId}/approve`. */
export function routeKey(r: Pick<RouteDef, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

/** The route ids a function serves. */
export type RouteIdsOf<F extends FunctionName> = { [K in RouteId]: Routes[K]['fn'] extends F ? K : never }[RouteId];

/**
 * How CDK (and the local gateway) build each function: its entry file and the
 * table access it needs, the least that serves its routes.
 */
export const functionSpecs: Record<FunctionName, { entry: string; table: 'none' | 'read' | 'readWrite'; description: string }> = {
  system: { entry: 'functions/http/system.ts', table: 'none', description: 'health, /me, OpenAPI' },
  plans: { entry: 'functions/http/plans.ts', table: 'readWrite', description: '監査計画 (様式第4号)' },
  auditLog: { entry: 'functions/http/audit-log.ts', table: 'read', description: '監査証跡' },
};
