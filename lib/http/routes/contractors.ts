import { completeContractorCheckSchema, createContractorSchema, updateContractorSchema } from '#lib/domain/contractor.js';
import { departmentCodeSchema } from '#lib/domain/plan.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { checkParams, contractorParams, fiscalYearQuery, page } from './fields.js';

/** The routes of the contractors function (委託先と委託先の検査). */
export const contractorRoutes = defineRoutes('contractors', {
  createContractor: {
    method: 'POST',
    path: '/contractors',
    auth: true,
    status: 201,
    summary: '委託先を登録する（委託する課）',
    provision: 'contractor',
    body: createContractorSchema,
  },
  listContractors: {
    method: 'GET',
    path: '/contractors',
    auth: true,
    summary: '委託先の一覧（課別）',
    query: z.object({ department: z.optional(departmentCodeSchema), ...page }),
  },
  getContractor: {
    method: 'GET',
    path: '/contractors/{contractorId}',
    auth: true,
    summary: '委託先',
    params: contractorParams,
  },
  updateContractor: {
    method: 'PATCH',
    path: '/contractors/{contractorId}',
    auth: true,
    conditional: true,
    summary: '委託先を変更する（委託する課）',
    provision: 'contractor',
    params: contractorParams,
    body: updateContractorSchema,
  },
  listContractorChecks: {
    method: 'GET',
    path: '/contractor-checks',
    auth: true,
    summary: '委託先の検査の一覧（年度・課別）',
    provision: 'contractorCheck',
    query: z.object({ department: z.optional(departmentCodeSchema), fiscalYear: z.optional(fiscalYearQuery), ...page }),
  },
  getContractorCheck: {
    method: 'GET',
    path: '/contractor-checks/{checkId}',
    auth: true,
    summary: '委託先の検査',
    params: checkParams,
  },
  completeContractorCheck: {
    method: 'POST',
    path: '/contractor-checks/{checkId}/complete',
    auth: true,
    conditional: true,
    summary: '委託先の検査結果を記録する',
    provision: 'contractorCheck',
    params: checkParams,
    body: completeContractorCheckSchema,
  },
});
