import { requiredText, ulidSchema } from './fields.js';
import * as z from './zod.js';
import { articleInputSchema, type ArticleRef, articleOnly, parseArticleRef } from './articles.js';
import { departmentCodeSchema, isoDateSchema } from './plan.js';
import type { ProvisionId, Provisions } from './provisions.js';
import { type ScopeId, scopeIds } from './scopes.js';

/** 監査所見: what an auditor found on one article in one audited 課 (第26条). */

export const ratings = ['conforming', 'minor', 'major'] as const;
export const ratingSchema = z.enum(ratings, { error: '評価は conforming（適合）/ minor（要改善）/ major（重大な不備）のいずれかです。' });
export type Rating = z.infer<typeof ratingSchema>;
export const ratingLabels: Record<Rating, string> = { conforming: '適合', minor: '要改善', major: '重大な不備' };

/** Ratings that need at least one follow-up action before the plan is reported. */
export const ratingsNeedingAction: readonly Rating[] = ['minor', 'major'];

export const scopeLabels: Record<ScopeId, string> = { dx: 'DX戦略課長', koho: '広報広聴課長', lead: '監査責任者' };
export const scopeSchema = z.enum(scopeIds);

const text = requiredText;

export const evidenceIdsSchema = z.array(ulidSchema).check(z.maxLength(50, { error: '証跡は50件までです。' }));

/**
 * A record a finding cites as it stood on the audit date: a 課's staff register (the designation of
 * its 事務取扱担当者) or a training session's attendance (of one 課, or of every 課). Allowed only on a
 * finding on the article of that rule (lib/app/findings.ts).
 */
export const findingRecordSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('staffRegister'), department: departmentCodeSchema, asOf: isoDateSchema }),
    z.strictObject({
      type: z.literal('trainingAttendance'),
      trainingId: ulidSchema,
      department: z.optional(departmentCodeSchema),
      asOf: isoDateSchema,
    }),
  ],
  { error: '引用する記録の type は staffRegister（職員名簿）か trainingAttendance（研修の受講状況）です。' },
);
export type FindingRecord = z.infer<typeof findingRecordSchema>;

/** The rules whose article a cited record fits: the designation for the register, the training rules for attendance. */
export const findingRecordProvisions: Record<FindingRecord['type'], readonly ProvisionId[]> = {
  staffRegister: ['handlerDesignation'],
  trainingAttendance: ['training', 'handlerTraining', 'systemAdminTraining', 'managerTraining', 'trainingFollowUp', 'trainingPlan'],
};

/** The articles (項 aside) whose findings may cite a record of this type: those the profile's regulation gives its rules. */
export function findingRecordArticles(provisions: Provisions, type: FindingRecord['type']): ArticleRef[] {
  return findingRecordProvisions[type].flatMap((id) => {
    const p = provisions[id];
    // A 号 (003: 第22条第2項第3号) is below the article compared: the article alone is parsed.
    return p?.basis === 'regulation' ? [articleOnly(parseArticleRef(p.article.replace(/第[0-9一二三四五六七八九十]+号$/, '')))] : [];
  });
}

const findingFields = {
  department: departmentCodeSchema,
  article: articleInputSchema,
  rating: ratingSchema,
  title: text('件名', 200),
  observation: text('監査で確認した事実', 5000),
  criteria: z.optional(text('判断基準', 2000)),
  cause: z.optional(text('原因', 2000)),
  recommendation: z.optional(text('改善の提言', 2000)),
  evidenceIds: z.optional(evidenceIdsSchema),
  /** The 事案 the finding is about (a leak found in the audit, or one that led to it). */
  incidentId: z.optional(ulidSchema),
  /** The register or attendance the finding cites, as of the audit date. */
  record: z.optional(findingRecordSchema),
};

export const createFindingSchema = z.strictObject(findingFields);
export type CreateFindingInput = z.infer<typeof createFindingSchema>;

export const updateFindingSchema = z
  // `record: null` takes a cited record off the finding.
  .partial(z.strictObject({ ...findingFields, record: z.nullable(findingRecordSchema) }))
  .check(z.refine((p) => Object.keys(p).length > 0, { error: '変更する項目を1つ以上指定してください。' }));
export type UpdateFindingInput = z.infer<typeof updateFindingSchema>;

export interface Finding {
  findingId: string;
  planId: string;
  fiscalYear: number;
  department: string;
  article: ArticleRef;
  /** 第17条の2第1項 */
  articleLabel: string;
  /** The article's heading, e.g. 誤送付等の防止. */
  articleTitle: string;
  scope: ScopeId;
  rating: Rating;
  title: string;
  observation: string;
  criteria?: string;
  cause?: string;
  recommendation?: string;
  evidenceIds: string[];
  /** The 事案 it refers to, checked to exist and be visible to whoever recorded the reference. */
  incidentId?: string;
  /** The register or attendance it cites, checked to fit its article and to exist. */
  record?: FindingRecord;
  version: number;
  createdBy: string;
  createdAt: string;
  lastEditedBy: string;
  updatedAt: string;
}
