import { createEvidenceSchema, evidenceTargetTypes } from '#lib/domain/evidence.js';
import { ulidSchema as ulid } from '#lib/domain/fields.js';
import * as z from '#lib/domain/zod.js';
import { defineRoutes } from './define.js';
import { evidenceParams, page } from './fields.js';

/** The routes of the evidence function (証跡). */
export const evidenceRoutes = defineRoutes('evidence', {
  createEvidence: {
    method: 'POST',
    path: '/evidence',
    auth: true,
    status: 201,
    summary: '証跡のアップロードを申請する（presigned POST を返す）',
    body: createEvidenceSchema,
  },
  listEvidence: {
    method: 'GET',
    path: '/evidence',
    auth: true,
    summary: '添付先の証跡一覧',
    query: z.object({ targetType: z.enum(evidenceTargetTypes), targetId: ulid, ...page }),
  },
  getEvidence: {
    method: 'GET',
    path: '/evidence/{evidenceId}',
    auth: true,
    summary: '証跡（検証状態つき）',
    params: evidenceParams,
  },
  downloadEvidence: {
    method: 'GET',
    path: '/evidence/{evidenceId}/download',
    auth: true,
    summary: '証跡のダウンロード用リンク（5分間有効、記録される）',
    params: evidenceParams,
  },
});
