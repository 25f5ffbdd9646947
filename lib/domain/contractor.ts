import { requiredText, ulidSchema } from './fields.js';
import * as z from './zod.js';
import { Conflict, type FieldError, InvalidInput } from './errors.js';
import { departmentCodeSchema, isoDateSchema } from './plan.js';
import { evidenceIdsSchema } from './finding.js';
import { type Provisions, applies, cite, coversAll, sourceOf } from './provisions.js';

/**
 * 委託先 (001 第22条, 002 第8の2–第8の8, 003 第26条, 004 第36条): contractors handling
 * personal information for a 課, their 再委託先, and the yearly check of each where the
 * regulation asks for one (001 第22条第4項 and 004 第36条第3項: 少なくとも年1回以上、原則として
 * 実地検査; 002 第8の5: 年1回以上の定期的検査等; 003 none). Every article a message cites
 * comes from the active profile's provisions.
 */

const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label}は文字列で指定してください。` })
    .check(
      z.trim(),
      z.minLength(1, { error: `${label}を入力してください。` }),
      z.maxLength(max, { error: `${label}は${max}文字以内で入力してください。` }),
    );

/** At most this many 再委託先 per contract, so the contractor's item stays bounded. */
export const maxSubcontractors = 20;

/** Who granted the 再委託 and when (003 第26条第2項: 組合の許諾; 002 第8の8; 001 第22条第9項: 諾否). */
const permissionSchema = z.strictObject({
  grantedOn: isoDateSchema,
  grantedBy: requiredText('許諾した者', 200),
});

const subcontractorSchema = z.strictObject({
  /** An entry already recorded keeps its id; a new one has none (the server assigns it). */
  subcontractorId: z.optional(ulidSchema),
  name: requiredText('再委託先の名称', 200),
  /** What the 再委託先 handles of the contracted work and its personal information. */
  handles: requiredText('再委託される業務・個人情報', 2000),
  permission: z
    .optional(permissionSchema)
    .check(
      z.describe(
        '再委託の許諾（許諾日・許諾した者）。規程に許諾の定めがある場合（GET /profile の provisions.subcontractPermission）に記録でき、その定めが再委託のすべてに及ぶ場合（appliesTo なし）は必須です。',
      ),
    ),
});
export type SubcontractorInput = z.infer<typeof subcontractorSchema>;

/** The 再委託先 named by a contract: the whole list, replaced on each edit. */
export const subcontractorsSchema = z.array(subcontractorSchema).check(
  z.maxLength(maxSubcontractors, { error: `再委託先は${maxSubcontractors}件までです。` }),
  z.superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((s, i) => {
      if (s.subcontractorId === undefined) return;
      if (seen.has(s.subcontractorId))
        ctx.addIssue({ code: 'custom', message: '同じ再委託先が2回指定されています。', path: [i, 'subcontractorId'] });
      seen.add(s.subcontractorId);
    });
  }),
  z.describe(
    '再委託先（最大20件）。変更では一覧全体を置き換えます。登録済みの再委託先は subcontractorId で指定し、新しいものは ID なしで指定します。',
  ),
);

const contractorFields = {
  name: requiredText('委託先の名称', 200),
  /** The contracting 課. */
  department: departmentCodeSchema,
  /** What personal information they handle. */
  handles: requiredText('取り扱う個人情報', 2000),
  contractFrom: isoDateSchema,
  contractTo: isoDateSchema,
  contact: z.optional(optionalText('連絡先', 500)),
  subcontractors: z.optional(subcontractorsSchema),
};

const periodRule = { error: '契約期間の終了日は開始日以降にしてください。', path: ['contractTo'] };

export const createContractorSchema = z.strictObject(contractorFields).check(z.refine((c) => c.contractFrom <= c.contractTo, periodRule));
export type CreateContractorInput = z.infer<typeof createContractorSchema>;

export const updateContractorSchema = z
  .strictObject({
    name: z.optional(contractorFields.name),
    handles: z.optional(contractorFields.handles),
    contractFrom: z.optional(isoDateSchema),
    contractTo: z.optional(isoDateSchema),
    contact: z.optional(z.nullable(optionalText('連絡先', 500))),
    subcontractors: z.optional(subcontractorsSchema),
  })
  .check(
    z.refine((c) => Object.keys(c).length > 0, { error: '変更する項目を1つ以上指定してください。' }),
    z.refine((c) => c.contractFrom === undefined || c.contractTo === undefined || c.contractFrom <= c.contractTo, periodRule),
  );
export type UpdateContractorInput = z.infer<typeof updateContractorSchema>;

export interface Subcontractor {
  subcontractorId: string;
  name: string;
  handles: string;
  permission?: { grantedOn: string; grantedBy: string };
}

export interface Contractor {
  contractorId: string;
  name: string;
  department: string;
  handles: string;
  contractFrom: string;
  contractTo: string;
  contact?: string;
  /** 再委託先 (at most `maxSubcontractors`); absent on contractors recorded before they were kept. */
  subcontractors?: Subcontractor[];
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

/**
 * Whether each 再委託先 needs its 許諾 recorded: where the regulation makes every 再委託 wait
 * for one (003 第26条第2項: 組合の許諾を得る; 002 第8の8: 許諾を判断する). Where its article
 * covers only part of the work (001 第22条第9項: 個人番号利用事務等), a 許諾 is recorded when
 * one was given.
 */
export function permissionRequired(provisions: Provisions): boolean {
  return coversAll(provisions, 'subcontractPermission');
}

/** A 400 with each problem under its field path; the detail says the first. */
function problems(errors: FieldError[]): InvalidInput | undefined {
  const [first] = errors;
  return first ? new InvalidInput(first.message, errors) : undefined;
}

/**
 * The 再委託先 a contract names after a registration or an edit, under the active
 * regulation: an entry with an id must be one already recorded (it keeps its id), a new
 * one gets `nextId()`; its 許諾 is refused where the regulation has none (004) and
 * required where the regulation makes every 再委託 wait for one (002 第8の8, 003 第26条第2項).
 */
export function subcontractorsOf(
  provisions: Provisions,
  input: readonly SubcontractorInput[],
  recorded: readonly Subcontractor[],
  nextId: () => string,
): Subcontractor[] {
  const known = new Set(recorded.map((s) => s.subcontractorId));
  const errors: FieldError[] = [];
  input.forEach((s, i) => {
    const at = `subcontractors.${i}`;
    if (s.subcontractorId !== undefined && !known.has(s.subcontractorId))
      errors.push({
        path: `${at}.subcontractorId`,
        message: `再委託先「${s.name}」のIDはこの委託先に登録されていません。新しい再委託先はIDなしで指定してください。`,
      });
    if (s.permission !== undefined && !applies(provisions, 'subcontractPermission'))
      errors.push({
        path: `${at}.permission`,
        message: `再委託先「${s.name}」: この規程には再委託の許諾の定めがないため、許諾は記録できません。`,
      });
    if (s.permission === undefined && permissionRequired(provisions))
      errors.push({
        path: `${at}.permission`,
        message: `再委託先「${s.name}」の許諾（許諾日と許諾した者）を入力してください。再委託には許諾が必要です${cite(provisions, 'subcontractPermission')}。`,
      });
  });
  const problem = problems(errors);
  if (problem) throw problem;
  return input.map(({ subcontractorId, permission, ...rest }) => ({
    subcontractorId: subcontractorId ?? nextId(),
    ...rest,
    ...(permission === undefined ? {} : { permission }),
  }));
}

export const contractorCheckStatuses = ['open', 'completed'] as const;
export type ContractorCheckStatus = (typeof contractorCheckStatuses)[number];
export const checkMethods = ['onSite', 'remote'] as const;
export type CheckMethod = (typeof checkMethods)[number];
export const checkMethodLabels: Record<CheckMethod, string> = { onSite: '実地検査', remote: '書面・映像等による確認' };
export const contractorCheckResults = ['compliant', 'issues'] as const;
export type ContractorCheckResult = (typeof contractorCheckResults)[number];

/** How a 再委託先 was checked (001 第22条第5項, 004 第36条第4項, 002 第8の7: 委託先を通じて又は委託元自らが). */
export const subcontractorCheckRoutes = ['throughContractor', 'direct'] as const;
export type SubcontractorCheckRoute = (typeof subcontractorCheckRoutes)[number];
export const subcontractorCheckRouteLabels: Record<SubcontractorCheckRoute, string> = {
  throughContractor: '委託先を通じて',
  direct: '委託元自ら',
};

/** The answer of a completed check for one 再委託先 the contract named. */
export interface SubcontractorCheck {
  subcontractorId: string;
  /** Copied from the contractor when the check was completed. */
  name: string;
  via: SubcontractorCheckRoute;
  result: ContractorCheckResult;
  notes?: string;
}

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
  /** Why not on site, where the regulation says 原則として実地検査 (`contractorOnSite`). */
  remoteReason?: string;
  checkedOn?: string;
  result?: ContractorCheckResult;
  notes?: string;
  /** Each 再委託先 the contract named when the check was completed, and how it was checked. */
  subcontractors?: SubcontractorCheck[];
  evidenceIds: string[];
  completedAt?: string;
  completedBy?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const issuesNeedNotes = {
  error: '要改善の場合は確認内容（notes）を入力してください。',
  path: ['notes'],
};

const subcontractorAnswerSchema = z
  .strictObject({
    subcontractorId: ulidSchema,
    via: z.enum(subcontractorCheckRoutes, {
      error: 'via は throughContractor（委託先を通じて）か direct（委託元自ら）です。',
    }),
    result: z.enum(contractorCheckResults, { error: 'result は compliant（適合）か issues（要改善）です。' }),
    notes: z.optional(optionalText('確認内容', 2000)),
  })
  .check(z.refine((a) => a.result !== 'issues' || a.notes !== undefined, issuesNeedNotes));

/**
 * POST /contractor-checks/{checkId}/complete. Where the regulation says 原則として実地検査
 * (001 第22条第4項, 004 第36条第3項: the profile's `contractorOnSite`), a remote check needs
 * its reason; 002 第8の5 (定期的検査等) does not. That depends on the profile, so the use
 * case decides it (`assertRemoteReason`), as it checks that each 再委託先 has its answer.
 */
export const completeContractorCheckSchema = z
  .strictObject({
    method: z.enum(checkMethods, { error: 'method は onSite（実地検査）か remote（映像・写真等による確認）です。' }),
    remoteReason: z
      .optional(optionalText('実地検査によらない理由', 2000))
      .check(
        z.describe(
          '実地検査によらない理由。規程が原則として実地検査とする場合（GET /profile の provisions.contractorOnSite）、method が remote なら必須です。',
        ),
      ),
    checkedOn: isoDateSchema,
    result: z.enum(contractorCheckResults, { error: 'result は compliant（適合）か issues（要改善）です。' }),
    notes: z.optional(optionalText('確認内容', 4000)),
    subcontractors: z
      ._default(
        z.array(subcontractorAnswerSchema).check(z.maxLength(maxSubcontractors, { error: `再委託先は${maxSubcontractors}件までです。` })),
        [],
      )
      .check(z.describe('契約にある再委託先ごとの確認（委託先を通じて又は委託元自ら、結果）。登録済みの再委託先すべてに1件ずつ必要です。')),
    evidenceIds: z._default(evidenceIdsSchema, []),
  })
  .check(z.refine((c) => c.result !== 'issues' || c.notes !== undefined, issuesNeedNotes));
export type CompleteContractorCheckInput = z.infer<typeof completeContractorCheckSchema>;

export function assertCheckOpen(check: Pick<ContractorCheck, 'status'>): void {
  if (check.status !== 'open') throw new Conflict('この委託先の検査はすでに完了しています。', 'check-completed');
}

/** 原則として実地検査: where the regulation says so (`contractorOnSite`), a remote check gives its reason. */
export function assertRemoteReason(provisions: Provisions, input: Pick<CompleteContractorCheckInput, 'method' | 'remoteReason'>): void {
  if (input.method !== 'remote' || input.remoteReason !== undefined || !applies(provisions, 'contractorOnSite')) return;
  const message = `実地検査によらない場合は、その理由（remoteReason）を入力してください（${sourceOf(provisions, 'contractorOnSite')}: 原則として実地検査）。`;
  throw new InvalidInput(message, [{ path: 'remoteReason', message }]);
}

/**
 * The answers of a check for the 再委託先 the contract names: one for each, none for
 * another (a Japanese 400 under the field's path otherwise), with the 再委託先's name.
 */
export function subcontractorChecksOf(
  provisions: Provisions,
  named: readonly Subcontractor[],
  answers: CompleteContractorCheckInput['subcontractors'],
): SubcontractorCheck[] {
  const byId = new Map(named.map((s) => [s.subcontractorId, s]));
  const answered = new Set<string>();
  const errors: FieldError[] = [];
  answers.forEach((a, i) => {
    const path = `subcontractors.${i}.subcontractorId`;
    if (!byId.has(a.subcontractorId)) errors.push({ path, message: 'この委託先の再委託先ではありません。' });
    else if (answered.has(a.subcontractorId))
      errors.push({ path, message: `再委託先「${byId.get(a.subcontractorId)?.name}」の回答が2件あります。` });
    answered.add(a.subcontractorId);
  });
  // 001 第22条第5項 and 004 第36条第4項 extend the yearly check to each 再委託先; 002 第8の7
  // extends only the 監督 of 第8の6, so there an answer is recorded when one is given.
  const required = coversAll(provisions, 'subcontracting');
  for (const s of named)
    if (required && !answered.has(s.subcontractorId))
      errors.push({
        path: 'subcontractors',
        message: `再委託先「${s.name}」について、委託先を通じて又は委託元自らが行った確認とその結果を入力してください${cite(provisions, 'subcontracting')}。`,
      });
  const problem = problems(errors);
  if (problem) throw problem;
  return answers.map(({ notes, ...a }) => ({
    ...a,
    name: byId.get(a.subcontractorId)?.name ?? '',
    ...(notes === undefined ? {} : { notes }),
  }));
}

/**
 * How a check's task and headings cite it: the yearly check's article, with
 * 原則として実地検査 where the regulation says so (「（第22条第4項: 原則として実地検査）」,
 * 002 「（第8の5）」), or nothing where the profile has no such check.
 */
export function checkCitation(provisions: Provisions): string {
  const check = sourceOf(provisions, 'contractorCheck');
  const onSite = sourceOf(provisions, 'contractorOnSite');
  if (!onSite) return check ? `（${check}）` : '';
  return `（${check && check !== onSite ? `${check}、${onSite}` : onSite}: 原則として実地検査）`;
}
