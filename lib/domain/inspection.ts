import * as z from './zod.js';
import { Conflict, InvalidInput } from './errors.js';
import { flagField } from './fields.js';
import { evidenceIdsSchema } from './finding.js';
import { type Wording, applies, cite } from './provisions.js';
import { type Organisation, allSections } from './organisation.js';
import { type Role, roleTitles } from './roles.js';

/**
 * 点検 (`provisions.inspection`; 001 第27条): each 保護管理者 checks their 課's 記録媒体,
 * 処理経路, 保管方法 等 定期的に. The checklist is the profile's (003: the nine items of its
 * 第27条). Opened by the duty, answered by the 課, submitted by its 保護管理者, who says
 * whether the results go to the chief (`inspectionReport`: 必要があると認めるとき).
 *
 * A joint 点検 (003 第30条: 総括責任者及び事務取扱責任者が…点検し、安全管理措置を見直す) is
 * filled in by both (each may answer the checklist and attach evidence), submitted by the
 * 事務取扱責任者 and completed by the 見直し of the 安全管理措置 (`review`), which the 総括責任者
 * records. The chief also records the 評価及び見直し of a 点検 reported to them (001 第28条).
 */

export const inspectionStatuses = ['open', 'submitted', 'reviewed'] as const;
export const inspectionStatusSchema = z.enum(inspectionStatuses, { error: 'status は open / submitted / reviewed のいずれかです。' });
export type InspectionStatus = (typeof inspectionStatuses)[number];
export const inspectionStatusLabels: Record<InspectionStatus, string> = { open: '点検中', submitted: '提出済み', reviewed: '見直し済み' };

/**
 * One row of a regulation's table of 事務 (003 別表, 第21条関係), as the text gives it:
 * the 事務, the 特定個人情報等 it handles, its 事務取扱担当者 and its 事務取扱責任者. A cell
 * the text does not have is absent.
 */
export interface AffairRow {
  /** The row's number in the table. */
  row: number;
  /** 特定個人情報等を取り扱う事務の範囲: the heading. */
  affair: string;
  /** Its numbered items ((1) 源泉徴収に関する事務 …). */
  items: string[];
  /** 特定個人情報等の範囲. */
  information?: string;
  /** 事務取扱担当者. */
  staff?: string;
  /** 事務取扱責任者, by post (総務課長). */
  manager?: string;
}

/** A 事務 a 点検 covers: its row of the table, without who handles it. */
export type CoveredAffair = Pick<AffairRow, 'row' | 'affair' | 'information'>;

/** The 課 a post heads, by name: 総務課長 → 総務課; undefined for a post that is not a 課長. */
export function sectionOfPost(post: string): string | undefined {
  const m = /^(.+課)長$/.exec(post.trim());
  return m?.[1];
}

/** The 課 a table of 事務 has inspected, each with the 事務 it covers, and the rows that name no 課 of the organisation. */
export interface InspectedSections {
  sections: { department: string; affairs: CoveredAffair[] }[];
  /** Why a row decides no 課, in Japanese (logged as a warning by the duty). */
  unmatched: string[];
}

/**
 * Which 課 a regulation's table of 事務 has inspected (003 第21条, 別表, 第30条): the 課 of
 * each row's 事務取扱責任者, matched by name (総務課長 → 総務課), in the table's order.
 * A row without a 事務取扱責任者, or whose 課 the organisation lacks, decides none.
 */
export function inspectedSections(org: Organisation, rows: readonly AffairRow[]): InspectedSections {
  const sections: InspectedSections['sections'] = [];
  const unmatched: string[] = [];
  for (const r of rows) {
    const covered: CoveredAffair = { row: r.row, affair: r.affair, ...(r.information === undefined ? {} : { information: r.information }) };
    const name = r.manager === undefined ? undefined : sectionOfPost(r.manager);
    const section = name === undefined ? undefined : org.departments.find((d) => d.name === name && d.code !== d.division);
    if (!section) {
      unmatched.push(
        r.manager === undefined
          ? `別表の${r.row}（${r.affair}）には事務取扱責任者の定めがないため、点検する課を決められません。`
          : `別表の${r.row}（${r.affair}）の事務取扱責任者「${r.manager}」の課が組織にないため、点検を開始しません。`,
      );
      continue;
    }
    const entry = sections.find((s) => s.department === section.code);
    if (entry) entry.affairs.push(covered);
    else sections.push({ department: section.code, affairs: [covered] });
  }
  return { sections, unmatched };
}

/**
 * The table of 事務 names no 課 the organisation has: the 点検 its regulation asks for
 * (003 第30条: 少なくとも毎年1回) would not happen at all. The duty fails with this rather
 * than finish with nothing, so the failed run is seen (the jobs' dead-letter queue and its
 * alarm); the organisation's 課 (DEPARTMENTS_JSON) or the profile's table is to be fixed.
 */
export class NoSectionInspected extends Error {
  constructor(org: Organisation, rows: readonly AffairRow[]) {
    const named = rows.map((r) => `別表の${r.row}: ${r.manager ?? '事務取扱責任者の定めなし'}`).join('、');
    const sections = allSections(org).map((d) => d.name);
    super(
      `点検する課がありません。別表の事務取扱責任者（${named}）の課が、組織の課（${sections.join('、') || 'なし'}）にありません。` +
        '組織の課（DEPARTMENTS_JSON）か別表を確認してください。',
    );
    this.name = 'NoSectionInspected';
  }
}

/** The chief's 評価及び見直し of the 安全管理措置 on a 点検's results. */
export interface InspectionReview {
  /** Whether the 安全管理措置 change. */
  changes: boolean;
  /** What changes (required when they do), or what was found sufficient. */
  measures: string;
  reviewedAt: string;
  reviewedBy: string;
}

/** The 保護管理者's judgment whether the results go to the chief (必要があると認めるとき). */
export interface InspectionReport {
  needed: boolean;
  reason: string;
}

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
  /** The article the 点検 comes from (`provisions.inspection`). */
  source: string;
  /** Who conducts a joint 点検, in the regulation's words (003: 総括責任者及び事務取扱責任者). */
  conductedBy?: string;
  /** A joint 点検: the role that conducts it with the 課 and records its 見直し. */
  jointWith?: Role;
  /** The 事務 of the regulation's table the 点検 covers (003 別表). */
  affairs?: CoveredAffair[];
  checklist: ChecklistItem[];
  status: InspectionStatus;
  /** Last day of the period. */
  dueDate: string;
  /** The task of the 課's 保護管理者, closed on submission. */
  taskId: string;
  evidenceIds: string[];
  submittedAt?: string;
  submittedBy?: string;
  /** The report to the chief, where the regulation has one (`inspectionReport`). */
  report?: InspectionReport;
  /**
   * The chief's task, closed by their 見直し: of a joint 点検, opened with it (they inspect
   * with the 課, then 見直す); of another, opened on submission when it is reported to them.
   */
  reviewTaskId?: string;
  review?: InspectionReview;
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
export const updateInspectionSchema = z.strictObject({
  answers: z
    .array(
      z.strictObject({
        index: z.number({ error: 'index は数値で指定してください。' }).check(z.int(), z.gte(0), z.lte(99)),
        result: z.nullable(z.enum(checkResults, { error: 'result は ok / issue / na のいずれかです。' })),
        note: z._default(
          z
            .string({ error: 'note は文字列で指定してください。' })
            .check(z.trim(), z.maxLength(2000, { error: '所見は2000文字以内で入力してください。' })),
          '',
        ),
      }),
      { error: 'answers は配列で指定してください。' },
    )
    .check(z.minLength(1, { error: '回答を1件以上指定してください。' }), z.maxLength(100)),
  evidenceIds: z.optional(evidenceIdsSchema),
});
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

/** Submitted only when every item is answered and each 要改善 says what is wrong. */
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

/** POST …/submit body: the judgment whether to report to the chief, where the regulation has that step. */
export const submitInspectionSchema = z.strictObject({
  reportToChief: z.optional(
    z.strictObject({
      needed: flagField('報告の要否（reportToChief.needed）'),
      reason: z._default(
        z
          .string({ error: 'reportToChief.reason は文字列で指定してください。' })
          .check(z.trim(), z.maxLength(500, { error: '報告の要否の理由は500文字以内で入力してください。' })),
        '',
      ),
    }),
  ),
});
export type SubmitInspectionInput = z.infer<typeof submitInspectionSchema>;

/** The chief's title, for messages (their role under the regulation; else the role's default title). */
const chiefTitle = (w: Pick<Wording, 'roleTitles'>) => w.roleTitles.chiefManager ?? roleTitles.chiefManager;

/**
 * The report to record on submission. Where the regulation has `inspectionReport` the
 * 保護管理者 must say whether it is needed, with a reason when it is; where it has none
 * (003: the 総括責任者 inspects jointly) the field is refused, so no client believes a
 * report was made that the regulation does not know.
 */
export function reportOnSubmit(wording: Wording, input: SubmitInspectionInput): InspectionReport | undefined {
  const r = input.reportToChief;
  const chief = chiefTitle(wording);
  if (!applies(wording.provisions, 'inspectionReport')) {
    if (r !== undefined)
      throw new InvalidInput(`この規程には、点検の結果を${chief}に報告する定めがありません。reportToChief は指定できません。`, [
        { path: 'reportToChief', message: '指定できません。' },
      ]);
    return undefined;
  }
  const basis = cite(wording.provisions, 'inspectionReport');
  if (r === undefined)
    throw new InvalidInput(
      `点検の結果を${chief}に報告する必要があるかどうかを指定してください${basis}。`,
      [{ path: 'reportToChief', message: '報告の要否を指定してください。' }],
      'report-judgment-missing',
    );
  if (r.needed && r.reason === '')
    throw new InvalidInput(`${chief}に報告する理由を入力してください${basis}。`, [
      { path: 'reportToChief.reason', message: '報告する理由を入力してください。' },
    ]);
  return { needed: r.needed, reason: r.reason };
}

/** POST …/review body: whether the 安全管理措置 change, and how (required when they do). */
export const reviewInspectionSchema = z
  .strictObject({
    changes: flagField('見直しの有無（changes）'),
    measures: z._default(
      z
        .string({ error: 'measures は文字列で指定してください。' })
        .check(z.trim(), z.maxLength(2000, { error: '見直しの内容は2000文字以内で入力してください。' })),
      '',
    ),
  })
  .check(
    z.refine((v) => !v.changes || v.measures !== '', {
      path: ['measures'],
      error: '安全管理措置を見直す場合は、その内容を入力してください。',
    }),
  );
export type ReviewInspectionInput = z.infer<typeof reviewInspectionSchema>;

/** Whether the chief records a 見直し on this 点検: a joint one always, another once reported to them. */
export function awaitsReview(inspection: Pick<Inspection, 'jointWith' | 'report'>): boolean {
  return inspection.jointWith !== undefined || inspection.report?.needed === true;
}

/** 409 unless submitted and awaiting the chief's 見直し. */
export function assertReviewable(inspection: Pick<Inspection, 'status' | 'jointWith' | 'report'>): void {
  if (inspection.status === 'open') throw new Conflict('提出されていない点検は見直しできません。', 'inspection-open');
  if (inspection.status === 'reviewed') throw new Conflict('この点検の見直しはすでに記録されています。', 'inspection-reviewed');
  if (!awaitsReview(inspection))
    throw new Conflict('この点検は報告されていないため、見直しの記録の対象ではありません。', 'inspection-not-reported');
}

/** Who conducts a joint 点検, in the regulation's words: 「総括責任者及び事務取扱責任者」. */
export function jointInspectors(wording: Pick<Wording, 'roleTitles'>, jointWith: Role, assignee: Role): string {
  return [jointWith, assignee].map((r) => wording.roleTitles[r] ?? r).join('及び');
}
