import { requiredText } from './fields.js';
import * as z from './zod.js';
import { Conflict } from './errors.js';
import { evidenceIdsSchema } from './finding.js';
import { isoDateSchema } from './plan.js';
import type { Rating } from './finding.js';
import type { ScopeId } from './scopes.js';

/** 改善措置 (フォローアップ, 第28条): what the audited 課 does about a finding. */

export const actionStatuses = ['open', 'inProgress', 'submitted', 'verified', 'reopened', 'riskAccepted'] as const;
export const actionStatusSchema = z.enum(actionStatuses);
export type ActionStatus = z.infer<typeof actionStatusSchema>;
export const actionStatusLabels: Record<ActionStatus, string> = {
  open: '未着手',
  inProgress: '対応中',
  submitted: '完了報告済み',
  verified: '確認済み',
  reopened: '再対応',
  riskAccepted: 'リスク受容',
};

/** Statuses in which the 課 still owes work: these can be overdue. */
export const pendingStatuses: readonly ActionStatus[] = ['open', 'inProgress', 'reopened'];
/** Statuses that let a plan close (第28条). */
export const settledStatuses: readonly ActionStatus[] = ['verified', 'riskAccepted'];

const text = requiredText;

export const createActionSchema = z.strictObject({ description: text('改善措置の内容', 2000), dueDate: isoDateSchema });
export const progressSchema = z.strictObject({ note: text('進捗', 2000) });
export const submitActionSchema = z.strictObject({ note: text('完了報告', 2000), evidenceIds: z._default(evidenceIdsSchema, []) });
export const verifyActionSchema = z.strictObject({ comment: z.optional(text('確認コメント', 2000)) });
export const reopenActionSchema = z.strictObject({ reason: text('再対応の理由', 2000) });
export const acceptRiskSchema = z.strictObject({ reason: text('リスク受容の理由', 2000) });

export type ActionTransition = 'progress' | 'submit' | 'verify' | 'reopen' | 'acceptRisk';

const transitions: Record<ActionTransition, { from: readonly ActionStatus[]; to: ActionStatus; label: string }> = {
  progress: { from: ['open', 'inProgress', 'reopened'], to: 'inProgress', label: '進捗の登録' },
  submit: { from: ['open', 'inProgress', 'reopened'], to: 'submitted', label: '完了報告' },
  verify: { from: ['submitted'], to: 'verified', label: '確認' },
  reopen: { from: ['submitted'], to: 'reopened', label: '再対応の指示' },
  acceptRisk: { from: ['open', 'inProgress', 'submitted', 'reopened'], to: 'riskAccepted', label: 'リスク受容' },
};

/** The status a transition leads to, or a 409 naming the current status. */
export function nextActionStatus(status: ActionStatus, t: ActionTransition): ActionStatus {
  const rule = transitions[t];
  if (!rule.from.includes(status)) {
    throw new Conflict(
      `状態が「${actionStatusLabels[status]}」の改善措置には${rule.label}ができません（${rule.from.map((s) => actionStatusLabels[s]).join('・')}のときのみ可能です）。`,
      'illegal-transition',
    );
  }
  return rule.to;
}

/**
 * 経過: a progress note, completion report, verification comment, reopening or
 * risk-acceptance reason. Each is its own item beside the action, never a growing
 * array on it, so no number of notes can outgrow DynamoDB's 400 KB item.
 */
export interface ActionNote {
  kind: ActionTransition;
  note: string;
  by: string;
  at: string;
  /** The action's version the note came with (orders the notes; 0 for notes kept on the action before). */
  version: number;
}

export interface FollowUpAction {
  actionId: string;
  findingId: string;
  planId: string;
  fiscalYear: number;
  /** The audited 課 that owns the action (the finding's department). */
  department: string;
  description: string;
  /** Plain date, judged in Japan time. */
  dueDate: string;
  status: ActionStatus;
  /** What the finding says, so the 課 sees it without reading findings. */
  finding: { articleLabel: string; title: string; rating: Rating; scope: ScopeId; createdBy: string };
  /**
   * Notes written before notes had their own items: read with them, never written to
   * again (new actions have none).
   */
  history?: ActionNote[];
  evidenceIds: string[];
  submittedBy?: string;
  submittedAt?: string;
  verifiedBy?: string;
  verifiedAt?: string;
  riskAcceptedBy?: string;
  riskAcceptedAt?: string;
  /** Japan date the daily duty marked it overdue (第28条); cleared when the 課 submits. */
  overdueSince?: string;
  /** Japan date of the last reminder task before the due date (30, 7 and 1 days before). */
  remindedOn?: string;
  /** Reminder and overdue tasks still open: closed by submit, verify or risk acceptance without a read of an index. */
  openTaskIds?: string[];
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** Past its due date (in Japan time) and the 課 still owes work. */
export function isOverdue(a: Pick<FollowUpAction, 'status' | 'dueDate'>, today: string): boolean {
  return pendingStatuses.includes(a.status) && a.dueDate < today;
}
