import { inspectionStatusSchema, reviewInspectionSchema, submitInspectionSchema, updateInspectionSchema } from '#lib/domain/inspection.js';
import { departmentCodeSchema } from '#lib/domain/plan.js';
import { periodSchema } from '#lib/domain/task.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { inspectionParams, page } from './fields.js';

/** The routes of the inspections function (点検). */
export const inspectionRoutes = defineRoutes('inspections', {
  listInspections: {
    method: 'GET',
    path: '/inspections',
    auth: true,
    summary: '点検の一覧（課・期間・状態別）',
    provision: 'inspection',
    query: z.object({
      department: z.optional(departmentCodeSchema),
      period: z.optional(periodSchema),
      status: z.optional(inspectionStatusSchema),
      ...page,
    }),
  },
  getInspection: {
    method: 'GET',
    path: '/inspections/{inspectionId}',
    auth: true,
    summary: '点検（チェックリストつき）',
    params: inspectionParams,
  },
  updateInspection: {
    method: 'PATCH',
    path: '/inspections/{inspectionId}',
    auth: true,
    conditional: true,
    summary: '点検のチェックリストに回答する（点検する課、点検中のみ）',
    provision: 'inspection',
    params: inspectionParams,
    body: updateInspectionSchema,
  },
  submitInspection: {
    method: 'POST',
    path: '/inspections/{inspectionId}/submit',
    auth: true,
    conditional: true,
    summary: '点検結果を提出する（全項目の回答が必要。規程に定めがあれば点検結果の報告の要否も）',
    provision: 'inspection',
    params: inspectionParams,
    body: submitInspectionSchema,
  },
  reviewInspection: {
    method: 'POST',
    path: '/inspections/{inspectionId}/review',
    auth: true,
    conditional: true,
    summary: '点検結果を踏まえた安全管理措置の見直しを記録する（共同の点検または報告を受けた点検）',
    provision: 'review',
    params: inspectionParams,
    body: reviewInspectionSchema,
  },
});
