import { fiscalYearOfDate, jstDate } from '#lib/domain/calendar.js';
import type { EvidenceTargetType } from '#lib/domain/evidence.js';
import { demoUser } from '#lib/local/demo-users.js';
import { jpeg, png, sha256 } from '#test/fixtures/files.js';
import { type Reply, type TestStack, planBody } from './stack.js';

/**
 * Real data in a given state, made over HTTP by the demo users whose job it is:
 * plans drafted by the 監査責任者 and judged by the 総括保護管理者, findings recorded
 * inside the recorder's scope, actions worked by the audited 課's own staff,
 * disposal records kept by the 課 itself, evidence uploaded through the presigned POST
 * and verified by the S3 notification.
 */

/** Japanese text (hiragana, katakana or kanji): what every problem title and detail must contain. */
export const japanese = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
/** A well-formed ULID that names nothing. */
export const unknownId = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

export const lead = 'policy-director';
export const chief = 'vice-mayor';

/** The 課 the host plan audits, each with the demo user who works its actions. */
export const workerOf: Readonly<Record<string, string>> = {
  citizens: 'citizens-staff',
  'resident-tax': 'tax-staff',
  'dx-strategy': 'dx-manager',
  'public-relations': 'pr-manager',
  'general-affairs': 'general-manager',
};
export const auditedSections = Object.keys(workerOf);

/** A due date that is never in the past. */
export const dueDate = `${new Date().getUTCFullYear() + 1}-03-31`;

/** An article inside the recorder's scope (第7条の2第3項): DX 第8条, 広報広聴 第10条, else 第12条 (監査責任者 only). */
export function articleFor(userId: string): string {
  const roles = demoUser(userId)?.roles ?? [];
  if (roles.includes('auditLead')) return '第12条';
  if (roles.includes('auditorDx')) return '第8条';
  if (roles.includes('auditorKoho')) return '第10条';
  return '第12条';
}

/** Yesterday in Japan: a disposal date that is never in the future, and its 年度. */
export const disposalDate = jstDate(new Date(Date.now() - 86_400_000));
export const disposalYear = fiscalYearOfDate(disposalDate);

/** An outsourced paper disposal of `department` (第18条), with overrides. */
export function disposalBody(department: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    department,
    disposedOn: disposalDate,
    media: 'paper',
    method: 'dissolution',
    contractor: '株式会社○○リサイクル',
    certificateNumber: 'R8-0123',
    ...overrides,
  };
}

export interface EvidenceTarget {
  type: EvidenceTargetType;
  id: string;
}

/** A POST /evidence body declaring the real 1×1 JPEG. */
export function evidenceBody(target: EvidenceTarget, fileName = '廃棄証明書.jpg'): Record<string, unknown> {
  return { target: { type: target.type, id: target.id }, fileName, contentType: 'image/jpeg', size: jpeg.length, sha256: sha256(jpeg) };
}

/** pending: registered, nothing uploaded; verified: the JPEG arrived as declared; rejected: it arrived with another SHA-256 declared. */
export type EvidenceState = 'pending' | 'verified' | 'rejected';

export function findingBody(recorder: string, department: string): Record<string, unknown> {
  return {
    department,
    article: articleFor(recorder),
    rating: 'minor',
    title: '保有個人情報の持出し記録',
    observation: '持出し記録に記載漏れがあった。',
  };
}

export type PlanState = 'draft' | 'submitted' | 'returned' | 'approved' | 'inProgress' | 'reported' | 'closed';
export type ActionState = 'open' | 'inProgress' | 'submitted' | 'verified' | 'reopened' | 'riskAccepted';

/** The steps from a fresh draft to each state: [action, who, body]. */
const planSteps: Record<PlanState, [string, string, unknown?][]> = {
  draft: [],
  submitted: [['submit', lead]],
  returned: [
    ['submit', lead],
    ['return', chief, { reason: '監査範囲を見直してください。' }],
  ],
  approved: [
    ['submit', lead],
    ['approve', chief],
  ],
  inProgress: [
    ['submit', lead],
    ['approve', chief],
    ['start', lead],
  ],
  reported: [
    ['submit', lead],
    ['approve', chief],
    ['start', lead],
    ['report', lead],
  ],
  closed: [
    ['submit', lead],
    ['approve', chief],
    ['start', lead],
    ['report', lead],
    ['close', chief],
  ],
};

const actionSteps: Record<ActionState, (worker: string) => [string, string, unknown][]> = {
  open: () => [],
  inProgress: (w) => [['progress', w, { note: '着手しました。' }]],
  submitted: (w) => [['submit', w, { note: '対応しました。', evidenceIds: [] }]],
  verified: (w) => [
    ['submit', w, { note: '対応しました。', evidenceIds: [] }],
    ['verify', lead, { comment: '確認しました。' }],
  ],
  reopened: (w) => [
    ['submit', w, { note: '対応しました。', evidenceIds: [] }],
    ['reopen', lead, { reason: '証跡が不足しています。' }],
  ],
  riskAccepted: () => [['accept-risk', chief, { reason: '代替措置で足りるため受容する。' }]],
};

export interface AuditData {
  /** A new plan (auditing every 課 in {@link workerOf}) moved on to `state`. */
  planIn(state: PlanState): Promise<string>;
  /** One in-progress plan shared by every finding made here (a finding does not change its plan). */
  hostPlan(): Promise<string>;
  /** A new finding on the host plan, recorded by `recorder` on an article of their scope. */
  findingBy(recorder: string, department: string): Promise<string>;
  /** A new action on a new finding of `recorder` in `department`, moved on to `state` by the 課's worker, 監査責任者 or 総括保護管理者. */
  actionIn(state: ActionState, recorder: string, department: string): Promise<string>;
  /** A new disposal record of `department`, recorded by the 課's worker (outsourced, no witness: incomplete). */
  disposalIn(department: string): Promise<string>;
  /**
   * New evidence on `target`, registered by `uploader` (who must be allowed to attach to it)
   * and, unless pending, uploaded with the presigned POST and checked by the verifier.
   */
  evidenceIn(state: EvidenceState, uploader: string, target: EvidenceTarget): Promise<string>;
}

export function auditData(stack: TestStack): AuditData {
  const ok = async (method: string, path: string, as: string, body?: unknown): Promise<Reply> => {
    const r = await stack.call(method, path, { as, ...(body === undefined ? {} : { body }) });
    if (r.status >= 300) throw new Error(`setup: ${method} ${path} as ${as} → ${r.status} ${r.text}`);
    return r;
  };

  const planIn = async (state: PlanState) => {
    const planId = (await ok('POST', '/plans', lead, planBody({ auditedDepartments: auditedSections }))).body.planId as string;
    for (const [step, as, body] of planSteps[state]) await ok('POST', `/plans/${planId}/${step}`, as, body);
    return planId;
  };

  let host: Promise<string> | undefined;
  const hostPlan = () => (host ??= planIn('inProgress'));

  const findingBy = async (recorder: string, department: string) =>
    (await ok('POST', `/plans/${await hostPlan()}/findings`, recorder, findingBody(recorder, department))).body.findingId as string;

  const actionIn = async (state: ActionState, recorder: string, department: string) => {
    const findingId = await findingBy(recorder, department);
    const actionId = (await ok('POST', `/findings/${findingId}/actions`, lead, { description: '手順書を改訂する', dueDate })).body
      .actionId as string;
    const worker = workerOf[department];
    if (!worker) throw new Error(`no worker for 課 ${department}`);
    for (const [step, as, body] of actionSteps[state](worker)) await ok('POST', `/actions/${actionId}/${step}`, as, body);
    return actionId;
  };

  const disposalIn = async (department: string) => {
    const worker = workerOf[department];
    if (!worker) throw new Error(`no worker for 課 ${department}`);
    return (await ok('POST', '/disposals', worker, disposalBody(department))).body.disposalId as string;
  };

  const evidenceIn = async (state: EvidenceState, uploader: string, target: EvidenceTarget) => {
    const body = evidenceBody(target, `証跡-${state}.jpg`);
    if (state === 'rejected') body.sha256 = sha256(png);
    const created = await ok('POST', '/evidence', uploader, body);
    const evidenceId = created.body.evidenceId as string;
    if (state === 'pending') return evidenceId;
    const { url, fields } = created.body.upload as { url: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), 'upload.jpg');
    const sent = await fetch(url, { method: 'POST', body: form });
    if (sent.status >= 300) throw new Error(`setup: presigned POST of ${evidenceId} → ${sent.status} ${await sent.text()}`);
    await stack.s3.settled();
    const seen = await ok('GET', `/evidence/${evidenceId}`, uploader);
    if (seen.body.status !== state)
      throw new Error(`setup: evidence ${evidenceId} ended ${String(seen.body.status)}, not ${state}: ${seen.text}`);
    return evidenceId;
  };

  return { planIn, hostPlan, findingBy, actionIn, disposalIn, evidenceIn };
}
