import { createFindingSchema, scopeSchema, updateFindingSchema } from '#lib/domain/finding.js';
import { departmentCodeSchema } from '#lib/domain/plan.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { findingParams, page, planParams } from './fields.js';

/** The routes of the findings function (監査所見). */
export const findingRoutes = defineRoutes('findings', {
  createFinding: {
    method: 'POST',
    path: '/plans/{planId}/findings',
    auth: true,
    status: 201,
    summary: '監査所見を記録する（監査範囲の決まった監査員は自らの範囲のみ）',
    provision: 'auditScope',
    params: planParams,
    body: createFindingSchema,
  },
  listFindings: {
    method: 'GET',
    path: '/plans/{planId}/findings',
    auth: true,
    summary: '監査計画の所見一覧（監査範囲・課別）',
    params: planParams,
    query: z.object({ scope: z.optional(scopeSchema), department: z.optional(departmentCodeSchema), ...page }),
  },
  getFinding: {
    method: 'GET',
    path: '/findings/{findingId}',
    auth: true,
    summary: '監査所見',
    params: findingParams,
  },
  updateFinding: {
    method: 'PATCH',
    path: '/findings/{findingId}',
    auth: true,
    conditional: true,
    summary: '監査所見を編集する（監査実施中のみ）',
    params: findingParams,
    body: updateFindingSchema,
  },
});
