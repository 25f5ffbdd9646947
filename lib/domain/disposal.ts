import { evidenceIdsSchema } from './finding.js';
import { departmentCodeSchema, isoDateSchema } from './plan.js';
import { ulidSchema } from './fields.js';
import { type Practices, type Provisions, practiceLabel, sourceOf } from './provisions.js';
import * as z from './zod.js';

/**
 * 消去・廃棄の記録 (001 第18条, `provisions.disposal`): personal information or media destroyed.
 * Records are kept (001 第18条第3項) and never edited or deleted; a correction is a new record
 * naming the old one.
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
  z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1, { error: `${label}を入力してください。` }),
        z.maxLength(max, { error: `${label}は${max}文字以内で入力してください。` }),
      ),
  );

export const createDisposalSchema = z.strictObject({
  department: departmentCodeSchema,
  disposedOn: isoDateSchema,
  media: z.enum(disposalMedia, { error: 'media は paper / electronic / device / server のいずれかです。' }),
  method: z.enum(disposalMethods, {
    error: 'method は incineration / dissolution / shredding / physicalDestruction / erasureSoftware / masking のいずれかです。',
  }),
  /** 委託先: absent when done in-house. */
  contractor: optionalText('委託先', 200),
  /** 立会い職員 (user id), or null when nobody witnessed it. */
  witness: z._default(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))), null),
  certificateNumber: optionalText('証明書番号', 100),
  description: optionalText('対象の説明', 2000),
  evidenceIds: z._default(evidenceIdsSchema, []),
  /** The record this one corrects. */
  correctionOf: z.optional(ulidSchema),
});
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

/** What the completeness of a record depends on: the profile's provisions and practices. */
export interface DisposalRules {
  provisions: Provisions;
  practices: Pick<Practices, 'disposalProof'>;
}

/**
 * When an outsourced disposal record is complete (`practices.disposalProof`); in-house
 * disposal is complete as recorded.
 *
 * - `witnessOrPhoto` (001 第18条第4項, 002 第5の8, 004 第15条第2項: 必要に応じて 立会い or a
 *   document with photos): a witness or at least one verified photo. The regulation says
 *   必要に応じて…など, so requiring one is the municipality's rule, and the message says so
 *   before quoting the regulation (`disposalWitness`).
 * - `certificate` (003 第35条第2項: 委託先が確実に削除又は廃棄したことについて、証明書等により確認する):
 *   the certificate's number as recorded from the 委託先's 証明書, or a verified photo of it.
 *   A number alone is what the 組合 confirmed against the paper; a photo is the paper itself.
 */
export function completeness(
  d: Pick<Disposal, 'contractor' | 'witness' | 'verifiedPhotoIds' | 'certificateNumber'>,
  rules: DisposalRules,
): { complete: boolean; missing: string[] } {
  if (!d.contractor) return { complete: true, missing: [] };
  const rule = sourceOf(rules.provisions, 'disposalCompleteness') || practiceLabel;
  if (rules.practices.disposalProof === 'certificate') {
    if (d.certificateNumber || d.verifiedPhotoIds.length > 0) return { complete: true, missing: [] };
    const says =
      rules.provisions.disposalCompleteness?.basis === 'regulation' ? ': 委託先が確実に消去・廃棄したことを証明書等により確認する' : '';
    return {
      complete: false,
      missing: [
        `委託による消去・廃棄には、委託先の消去・廃棄証明書の番号（certificateNumber）か、証明書を撮影した検証済みの写真が必要です（${rule}${says}）。`,
      ],
    };
  }
  if (d.witness || d.verifiedPhotoIds.length > 0) return { complete: true, missing: [] };
  const witness = rules.provisions.disposalWitness;
  const quote = witness?.basis === 'regulation' ? `。${witness.article}: 必要に応じて立会い又は写真等を付した書類` : '';
  return {
    complete: false,
    missing: [
      `委託による消去・廃棄には、職員の立会いの記録か、写真付きの消去・廃棄証明書（検証済みの写真1枚以上）が必要です（${rule}${quote}）。`,
    ],
  };
}
