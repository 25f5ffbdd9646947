import { requiredText } from './fields.js';
import * as z from './zod.js';
import { Conflict } from './errors.js';
import { departmentCodeSchema, isoDateSchema } from './plan.js';
import { evidenceIdsSchema } from './finding.js';

/**
 * 委託先 (第22条): contractors handling personal information for a 課, and the yearly
 * check of each (第22条第4項: 少なくとも年1回以上、原則として実地検査により確認する).
 */

const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label}は文字列で指定してください。` })
    .trim()
    .min(1, { error: `${label}を入力してください。` })
    .max(max, { error: `${label}は${max}文字以内で入力してください。` });

const contractorFields = {
  name: requiredText('委託先の名称', 200),
  /** The contracting 課. */
  department: departmentCodeSchema,
  /** What personal information they handle. */
  handles: requiredText('取り扱う個人情報', 2000),
  contractFrom: isoDateSchema,
  contractTo: isoDateSchema,
  contact: optionalText('連絡先', 500).optional(),
};

const periodRule = { error: '契約期間の終了日は開始日以降にしてください。', path: ['contractTo'] };

export const createContractorSchema = z
  .object(contractorFields)
  .strict()
  .refine((c) => c.contractFrom <= c.contractTo, periodRule);
export type CreateContractorInput = z.infer<typeof createContractorSchema>;

export const updateContractorSchema = z
  .object({
    name: contractorFields.name.optional(),
    handles: contractorFields.handles.optional(),
    contractFrom: isoDateSchema.optional(),
    contractTo: isoDateSchema.optional(),
    contact: optionalText('連絡先', 500).nullable().optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, { error: '変更する項目を1つ以上指定してください。' })
  .refine((c) => c.contractFrom === undefined || c.contractTo === undefined || c.contractFrom <= c.contractTo, periodRule);
export type UpdateContractorInput = z.infer<typeof updateContractorSchema>;

export interface Contractor {
  contractorId: string;
  name: string;
  department: string;
  handles: string;
  contractFrom: string;
  contractTo: string;
  contact?: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  lastEditedBy?: string;
}

/** Whether the contract runs on some day of [from, to]. */
export function contractOverlaps(c: Pick<Contractor, 'contractFrom' | 'contractTo'>, from: string, to: string): boolean {
  return c.contractFrom <= to && c.contractTo >= from;
}

export const contractorCheckStatuses = ['open', 'completed'] as const;
export type ContractorCheckStatus = (typeof contractorCheckStatuses)[number];
export const checkMethods = ['onSite', 'remote'] as const;
export type CheckMethod = (typeof checkMethods)[number];
export const checkMethodLabels: Record<CheckMethod, string> = { onSite: '実地検査', remote: '書面・映像等による確認' };
export const contractorCheckResults = ['compliant', 'issues'] as const;
export type ContractorCheckResult = (typeof contractorCheckResults)[number];

export interface ContractorCheck {
  checkId: string;
  contractorId: string;
  /** Copied from the contractor when the check was opened. */
  name: string;
  department: string;
  fiscalYear: number;
  source: string;
  status: ContractorCheckStatus;
  dueDate: string;
  taskId: string;
  method?: CheckMethod;
  /** Why not on site (第22条第4項: 原則として実地検査). */
  remoteReason?: string;
  checkedOn?: string;
  result?: ContractorCheckResult;
  notes?: string;
  evidenceIds: string[];
  completedAt?: string;
  completedBy?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * POST /contractor-checks/{checkId}/complete. 第22条第4項 says 原則として実地検査; the
 * national guidance accepts a remote check (video, photos) where a visit is
 * impractical, so `remote` needs the reason.
 */
export const completeContractorCheckSchema = z
  .object({
    method: z.enum(checkMethods, { error: 'method は onSite（実地検査）か remote（映像・写真等による確認）です。' }),
    remoteReason: optionalText('実地検査によらない理由', 2000).optional(),
    checkedOn: isoDateSchema,
    result: z.enum(contractorCheckResults, { error: 'result は compliant（適合）か issues（要改善）です。' }),
    notes: optionalText('確認内容', 4000).optional(),
    evidenceIds: evidenceIdsSchema.default([]),
  })
  .strict()
  .refine((c) => c.method !== 'remote' || c.remoteReason !== undefined, {
    error: '実地検査によらない場合は、その理由（remoteReason）を入力してください（第22条第4項: 原則として実地検査）。',
    path: ['remoteReason'],
  })
  .refine((c) => c.result !== 'issues' || c.notes !== undefined, {
    error: '要改善の場合は確認内容（notes）を入力してください。',
    path: ['notes'],
  });
export type CompleteContractorCheckInput = z.infer<typeof completeContractorCheckSchema>;

export function assertCheckOpen(check: Pick<ContractorCheck, 'status'>): void {
  if (check.status !== 'open') throw new Conflict('この委託先の検査はすでに完了しています。', 'check-completed');
}
