import { departmentCodeSchema, isoDateSchema } from '#lib/domain/plan.js';
import { createStaffSchema, updateStaffSchema } from '#lib/domain/staff.js';
import { importMaxBytes } from '#lib/domain/staff-import.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { page, staffParams, yesNo } from './fields.js';

/** The routes of the staff function (職員名簿（事務取扱担当者）と CSV 取込). */
export const staffRoutes = defineRoutes('staff', {
  createStaff: {
    method: 'POST',
    path: '/staff',
    auth: true,
    status: 201,
    summary: '課の職員名簿に職員を登録する（取扱担当者とその事務の指定を含む）',
    provision: 'handlerDesignation',
    body: createStaffSchema,
  },
  listStaff: {
    method: 'GET',
    path: '/staff',
    auth: true,
    summary: '課の職員名簿（asOf: その日の名簿。省略時は今日）',
    query: z.object({ department: z.optional(departmentCodeSchema), asOf: z.optional(isoDateSchema), ...page }),
  },
  importStaff: {
    method: 'POST',
    path: '/staff/import',
    auth: true,
    status: 201,
    summary:
      '人事の CSV（UTF-8・Shift_JIS）を課の職員名簿に取り込む（職員番号で照合。dryRun=true は変更内容の確認のみで 200。誤りのある行があれば何も登録しない）',
    provision: 'handlerDesignation',
    raw: { type: 'text/csv', maxBytes: importMaxBytes },
    query: z.object({
      department: departmentCodeSchema,
      dryRun: yesNo('dryRun', 'false'),
      effectiveFrom: z.optional(isoDateSchema),
    }),
  },
  getStaff: { method: 'GET', path: '/staff/{staffId}', auth: true, summary: '職員名簿の職員', params: staffParams },
  updateStaff: {
    method: 'PATCH',
    path: '/staff/{staffId}',
    auth: true,
    conditional: true,
    summary: '職員名簿の職員を変更する（effectiveFrom: その日からの変更で以前の内容は履歴に残る。to: 名簿から外す日）',
    provision: 'handlerDesignation',
    params: staffParams,
    body: updateStaffSchema,
  },
});
