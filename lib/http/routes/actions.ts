import {
  acceptRiskSchema,
  actionStatusSchema,
  createActionSchema,
  progressSchema,
  reopenActionSchema,
  submitActionSchema,
  verifyActionSchema,
} from '#lib/domain/action.js';
import { departmentCodeSchema } from '#lib/domain/plan.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { actionParams, findingParams, page, yesNo } from './fields.js';

/** The routes of the actions function (改善措置 (フォローアップ)). */
export const actionRoutes = defineRoutes('actions', {
  createAction: {
    method: 'POST',
    path: '/findings/{findingId}/actions',
    auth: true,
    status: 201,
    summary: '改善措置を登録する',
    params: findingParams,
    body: createActionSchema,
  },
  listActions: {
    method: 'GET',
    path: '/actions',
    auth: true,
    summary: '改善措置の一覧（課・状態・期限超過）',
    query: z.object({
      department: z.optional(departmentCodeSchema),
      status: z.optional(actionStatusSchema),
      overdue: z.optional(yesNo('overdue')),
      ...page,
    }),
  },
  getAction: {
    method: 'GET',
    path: '/actions/{actionId}',
    auth: true,
    summary: '改善措置',
    params: actionParams,
  },
  listActionNotes: {
    method: 'GET',
    path: '/actions/{actionId}/notes',
    auth: true,
    summary: '改善措置の経過（進捗・完了報告・確認・再対応・リスク受容の記録、古い順）',
    params: actionParams,
    query: z.object({ ...page }),
  },
  progressAction: {
    method: 'POST',
    path: '/actions/{actionId}/progress',
    auth: true,
    conditional: true,
    summary: '改善措置の進捗を登録する（担当課）',
    params: actionParams,
    body: progressSchema,
  },
  submitAction: {
    method: 'POST',
    path: '/actions/{actionId}/submit',
    auth: true,
    conditional: true,
    summary: '改善措置の完了を報告する（担当課）',
    params: actionParams,
    body: submitActionSchema,
  },
  verifyAction: {
    method: 'POST',
    path: '/actions/{actionId}/verify',
    auth: true,
    conditional: true,
    summary: '改善措置を確認する（所見の監査員、完了報告した者以外）',
    params: actionParams,
    body: verifyActionSchema,
  },
  reopenAction: {
    method: 'POST',
    path: '/actions/{actionId}/reopen',
    auth: true,
    conditional: true,
    summary: '改善措置の再対応を指示する',
    params: actionParams,
    body: reopenActionSchema,
  },
  acceptRisk: {
    method: 'POST',
    path: '/actions/{actionId}/accept-risk',
    auth: true,
    conditional: true,
    summary: 'リスクを受容する（理由必須）',
    params: actionParams,
    body: acceptRiskSchema,
  },
});
