import * as z from './zod.js';
import { Conflict, InvalidInput } from './errors.js';
import { evidenceIdsSchema } from './finding.js';

/**
 * 点検 (第27条): each 保護管理者 checks their 課's 記録媒体, 処理経路, 保管方法 等 定期的に.
 * The checklist is the profile's (003: the nine items of 第27条). Opened by the
 * quarterly (or yearly) duty, answered by the 課, submitted by its 保護管理者.
 */

export const inspectionStatuses = ['open', 'submitted'] as const;
export const inspectionStatusSchema = z.enum(inspectionStatuses, { error: 'status は open か submitted です。' });
export type InspectionStatus = (typeof inspectionStatuses)[number];
export const inspectionStatusLabels: Record<InspectionStatus, string> = { open: '点検中', submitted: '提出済み' };

export const checkResults = ['ok', 'issue', 'na'] as const;
export type CheckResult = (typeof checkResults)[number];
export const checkResultLabels: Record<CheckResult, string> = { ok: '適正', issue: '要改善', na: '該当なし' };

export interface ChecklistItem {
  /** The item as the regulation names it (記録媒体 …). */
  item: string;
  result: CheckResult | null;
  note: string;
}

export interface Inspection {
  inspectionId: string;
  department: string;
  period: string;
  fiscalYear: number;
  /** The article the duty comes from. */
  source: string;
  checklist: ChecklistItem[];
  status: InspectionStatus;
  /** Last day of the period. */
  dueDate: string;
  /** The task of the 課's 保護管理者, closed on submission. */
  taskId: string;
  evidenceIds: string[];
  submittedAt?: string;
  submittedBy?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  lastEditedBy?: string;
}

/** A new checklist from the profile's items, nothing answered yet. */
export function emptyChecklist(items: readonly string[]): ChecklistItem[] {
  return items.map((item) => ({ item, result: null, note: '' }));
}

/** PATCH body: answers by item index (0-based, in the checklist's order). */
export const updateInspectionSchema = z
  .object({
    answers: z
      .array(
        z
          .object({
            index: z.number({ error: 'index は数値で指定してください。' }).int().min(0).max(99),
            result: z.enum(checkResults, { error: 'result は ok / issue / na のいずれかです。' }).nullable(),
            note: z
              .string({ error: 'note は文字列で指定してください。' })
              .trim()
              .max(2000, { error: '所見は2000文字以内で入力してください。' })
              .default(''),
          })
          .strict(),
        { error: 'answers は配列で指定してください。' },
      )
      .min(1, { error: '回答を1件以上指定してください。' })
      .max(100),
    evidenceIds: evidenceIdsSchema.optional(),
  })
  .strict();
export type UpdateInspectionInput = z.infer<typeof updateInspectionSchema>;

/** Apply answers to an open checklist; an index outside it is a 400. */
export function answerChecklist(
  inspection: Pick<Inspection, 'status' | 'checklist'>,
  answers: UpdateInspectionInput['answers'],
): ChecklistItem[] {
  if (inspection.status !== 'open') throw new Conflict('提出済みの点検は編集できません。', 'inspection-submitted');
  const checklist = inspection.checklist.map((c) => ({ ...c }));
  for (const [i, a] of answers.entries()) {
    const item = checklist[a.index];
    if (!item)
      throw new InvalidInput(`点検項目 ${a.index} はありません（0〜${checklist.length - 1}）。`, [
        { path: `answers.${i}.index`, message: '点検項目がありません。' },
      ]);
    item.result = a.result;
    item.note = a.note;
  }
  return checklist;
}

/** 第27条: submitted only when every item is answered and each 要改善 says what is wrong. */
export function submissionProblems(checklist: readonly ChecklistItem[]): { path: string; message: string }[] {
  return checklist.flatMap((c, i) => {
    if (c.result === null) return [{ path: `checklist.${i}`, message: `「${c.item}」が未回答です。` }];
    if (c.result === 'issue' && c.note.trim() === '')
      return [{ path: `checklist.${i}.note`, message: `「${c.item}」は要改善のため、内容を記入してください。` }];
    return [];
  });
}

/** 409 unless open; 400 naming each unanswered item or 要改善 without a note. */
export function assertSubmittable(inspection: Pick<Inspection, 'status' | 'checklist'>): void {
  if (inspection.status !== 'open') throw new Conflict('この点検はすでに提出されています。', 'inspection-submitted');
  const problems = submissionProblems(inspection.checklist);
  if (problems.length > 0)
    throw new InvalidInput(`点検を提出できません: ${problems.map((p) => p.message).join(' ')}`, problems, 'checklist-incomplete');
}
