import { evidenceIdsSchema } from './finding.js';
import { departmentCodeSchema, isoDateSchema } from './plan.js';
import { ulidSchema } from './fields.js';
import * as z from './zod.js';

/**
 * 消去・廃棄の記録 (第18条): personal information or media destroyed. Records are kept
 * (第18条3項) and never edited or deleted; a correction is a new record naming the old one.
 */

export const disposalMedia = ['paper', 'electronic', 'device', 'server'] as const;
export const disposalMediaLabels: Record<(typeof disposalMedia)[number], string> = {
  paper: '紙',
  electronic: '電子媒体',
  device: '端末',
  server: 'サーバ',
};
export const disposalMethods = ['incineration', 'dissolution', 'shredding', 'physicalDestruction', 'erasureSoftware', 'masking'] as const;
export const disposalMethodLabels: Record<(typeof disposalMethods)[number], string> = {
  incineration: '焼却',
  dissolution: '溶解',
  shredding: '細断',
  physicalDestruction: '物理破壊',
  erasureSoftware: '消去ソフト',
  masking: 'マスキング',
};

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: `${label}を入力してください。` })
    .max(max, { error: `${label}は${max}文字以内で入力してください。` })
    .optional();

export const createDisposalSchema = z
  .object({
    department: departmentCodeSchema,
    disposedOn: isoDateSchema,
    media: z.enum(disposalMedia, { error: 'media は paper / electronic / device / server のいずれかです。' }),
    method: z.enum(disposalMethods, {
      error: 'method は incineration / dissolution / shredding / physicalDestruction / erasureSoftware / masking のいずれかです。',
    }),
    /** 委託先: absent when done in-house. */
    contractor: optionalText('委託先', 200),
    /** 立会い職員 (user id), or null when nobody witnessed it. */
    witness: z.string().trim().min(1).max(128).nullable().default(null),
    certificateNumber: optionalText('証明書番号', 100),
    description: optionalText('対象の説明', 2000),
    evidenceIds: evidenceIdsSchema.default([]),
    /** The record this one corrects. */
    correctionOf: ulidSchema.optional(),
  })
  .strict();
export type CreateDisposalInput = z.infer<typeof createDisposalSchema>;

export interface Disposal {
  disposalId: string;
  fiscalYear: number;
  department: string;
  disposedOn: string;
  media: (typeof disposalMedia)[number];
  method: (typeof disposalMethods)[number];
  contractor?: string;
  witness: string | null;
  certificateNumber?: string;
  description?: string;
  evidenceIds: string[];
  /** Photos (JPEG/PNG/HEIC) attached to this record that passed verification. */
  verifiedPhotoIds: string[];
  correctionOf?: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * 第18条4項: outsourced disposal needs a witness or a certificate with photos, so the
 * record is complete only with a witness or at least one verified photo. In-house
 * disposal is complete as recorded.
 */
export function completeness(d: Pick<Disposal, 'contractor' | 'witness' | 'verifiedPhotoIds'>): { complete: boolean; missing: string[] } {
  if (!d.contractor || d.witness || d.verifiedPhotoIds.length > 0) return { complete: true, missing: [] };
  return {
    complete: false,
    missing: [
      '委託による消去・廃棄には、職員の立会いの記録か、写真付きの消去・廃棄証明書（検証済みの写真1枚以上）が必要です（第18条4項）。',
    ],
  };
}
