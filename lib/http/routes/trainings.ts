import { departmentCodeSchema } from '#lib/domain/plan.js';
import { importMaxBytes } from '#lib/domain/staff-import.js';
import { attendanceSchema, createTrainingSchema, updateTrainingSchema } from '#lib/domain/training.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { fiscalYearQuery, page, trainingParams, yesNo } from './fields.js';

/** The routes of the trainings function (研修計画と受講の記録). */
export const trainingRoutes = defineRoutes('trainings', {
  createTraining: {
    method: 'POST',
    path: '/trainings',
    auth: true,
    status: 201,
    summary: '年度の研修計画に研修を加える（研修を総括する責任者）',
    provision: 'trainingPlan',
    body: createTrainingSchema,
  },
  listTrainings: {
    method: 'GET',
    path: '/trainings',
    auth: true,
    summary: '年度の研修計画（参照できる課の受講状況つき）',
    provision: 'trainingPlan',
    query: z.object({ fiscalYear: z.optional(fiscalYearQuery), ...page }),
  },
  getTraining: {
    method: 'GET',
    path: '/trainings/{trainingId}',
    auth: true,
    summary: '研修（参照できる課の受講状況つき）',
    params: trainingParams,
  },
  updateTraining: {
    method: 'PATCH',
    path: '/trainings/{trainingId}',
    auth: true,
    conditional: true,
    summary: '研修計画の研修を変更する（研修を総括する責任者）',
    provision: 'trainingPlan',
    params: trainingParams,
    body: updateTrainingSchema,
  },
  recordAttendance: {
    method: 'POST',
    path: '/trainings/{trainingId}/attendance',
    auth: true,
    summary: '課の職員の受講を記録する（再受講を含む。未受講者が全員受講すると再受講のタスクを完了）',
    provision: 'trainingFollowUp',
    params: trainingParams,
    body: attendanceSchema,
  },
  importAttendance: {
    method: 'POST',
    path: '/trainings/{trainingId}/attendance/import',
    auth: true,
    summary:
      'eラーニングの受講記録の CSV（UTF-8・Shift_JIS）から課の職員の受講を記録する（職員番号で照合。dryRun=true は各行の内容の確認のみ。誤りのある行があれば何も記録しない）',
    provision: 'trainingFollowUp',
    params: trainingParams,
    raw: { type: 'text/csv', maxBytes: importMaxBytes },
    query: z.object({
      department: departmentCodeSchema,
      dryRun: yesNo('dryRun', 'false'),
    }),
  },
  listNonAttendees: {
    method: 'GET',
    path: '/trainings/{trainingId}/non-attendees',
    auth: true,
    summary: '課の研修の対象者のうち、まだ受講していない職員',
    provision: 'trainingFollowUp',
    params: trainingParams,
    query: z.object({ department: z.optional(departmentCodeSchema) }),
  },
});
