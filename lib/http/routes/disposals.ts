import { createDisposalSchema } from '#lib/domain/disposal.js';
import { departmentCodeSchema } from '#lib/domain/plan.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { disposalParams, fiscalYearQuery, page } from './fields.js';

/** The routes of the disposals function (消去・廃棄の記録). */
export const disposalRoutes = defineRoutes('disposals', {
  createDisposal: {
    method: 'POST',
    path: '/disposals',
    auth: true,
    status: 201,
    summary: '消去・廃棄を記録する',
    provision: 'disposal',
    body: createDisposalSchema,
  },
  listDisposals: {
    method: 'GET',
    path: '/disposals',
    auth: true,
    summary: '消去・廃棄の記録の一覧（年度・課別）',
    query: z.object({ department: z.optional(departmentCodeSchema), fiscalYear: z.optional(fiscalYearQuery), ...page }),
  },
  getDisposal: {
    method: 'GET',
    path: '/disposals/{disposalId}',
    auth: true,
    summary: '消去・廃棄の記録（完備しているか、不足しているもの）',
    provision: 'disposalCompleteness',
    params: disposalParams,
  },
});
