import { actionStatusLabels, type ActionTransition } from '#lib/domain/action.js';
import type { AuditAction } from '#lib/domain/audit.js';
import type { ContractorCheckResult, ContractorCheckStatus } from '#lib/domain/contractor.js';
import { evidenceStatusLabels } from '#lib/domain/evidence.js';
import type { IncidentStatus } from '#lib/domain/incident.js';
import { inspectionStatusLabels } from '#lib/domain/inspection.js';
import { planStatusLabels } from '#lib/domain/plan.js';
import { type Role, roleTitles } from '#lib/domain/roles.js';
import type { TaskStatus } from '#lib/domain/task.js';
import type { RegulationProfile } from '#lib/profiles/types.js';

/**
 * The one place the SPA takes the Japanese names of event types, statuses and roles
 * from. Each is a `Record` over the domain's union, so a new event type, status or role
 * without a name does not compile (and test/unit/web-labels.test.ts says which).
 */

/** 履歴: the audit-trail events (lib/domain/audit.ts). */
export const eventLabels: Record<AuditAction, string> = {
  'plan.created': '起案',
  'plan.updated': '編集',
  'plan.submitted': '提出',
  'plan.approved': '承認',
  'plan.returned': '差戻し',
  'plan.started': '監査の開始',
  'plan.reported': '監査結果の報告',
  'plan.closed': '完了',
  'plan.superseded': '改訂版に置換',
  'plan.revisionCreated': '改訂版の起案',
  'plan.revisionOpened': '改訂版の作成',
  'finding.created': '所見の記録',
  'finding.updated': '所見の編集',
  'action.created': '改善措置の登録',
  'action.progressed': '進捗の登録',
  'action.submitted': '完了報告',
  'action.verified': '確認',
  'action.reopened': '再対応の指示',
  'action.riskAccepted': 'リスク受容',
  'action.markedOverdue': '期限超過の記録',
  'action.reminded': '期限前のリマインダー',
  'evidence.registered': '証跡の登録',
  'evidence.verified': '証跡の検証',
  'evidence.rejected': '証跡の却下',
  'evidence.expired': '証跡の期限切れ（未着）',
  'evidence.downloaded': '証跡のダウンロード',
  'disposal.recorded': '消去・廃棄の記録',
  'disposal.photoVerified': '写真の検証',
  'task.created': 'タスクの作成',
  'task.closed': 'タスクの完了',
  'inspection.opened': '点検の開始',
  'inspection.updated': '点検結果の入力',
  'inspection.submitted': '点検結果の提出',
  'inspection.reviewed': '点検結果を踏まえた見直しの記録',
  'contractor.registered': '委託先の登録',
  'contractor.updated': '委託先の編集',
  'contractorCheck.opened': '委託先の検査の開始',
  'contractorCheck.completed': '委託先の検査の完了',
  'incident.reported': '事案の報告',
  'incident.updated': '事案の事実関係の修正',
  'incident.contained': '被害拡大防止の措置',
  'incident.investigated': '事案の調査結果の報告',
  'incident.escalated': '特に重大な事案の報告',
  'incident.preventionRecorded': '再発防止策の記録',
  'incident.acknowledged': '再発防止策の確認',
  'incident.ppcReported': '個人情報保護委員会への報告',
  'incident.noticeRecorded': '本人通知・公表等の記録',
  'incident.closed': '事案の完了',
  'staff.registered': '職員名簿への登録',
  'staff.updated': '職員名簿の変更',
  'training.planned': '研修の計画',
  'training.updated': '研修計画の変更',
  'attendance.recorded': '研修の受講の記録',
};

/** An event's name; a type this version does not know (a newer server's) shows as stored. */
export function eventLabel(action: string): string {
  return Object.hasOwn(eventLabels, action) ? eventLabels[action as AuditAction] : action;
}

export const taskStatusLabels: Record<TaskStatus, string> = { open: '未完了', done: '完了' };
export const contractorCheckStatusLabels: Record<ContractorCheckStatus, string> = { open: '未完了', completed: '完了' };
export const incidentStatusLabels: Record<IncidentStatus, string> = {
  reported: '報告済み',
  contained: '被害拡大防止済み',
  investigated: '調査報告済み',
  prevented: '再発防止策記録済み',
  closed: '完了',
};
export const contractorCheckResultLabels: Record<ContractorCheckResult, string> = { compliant: '適合', issues: '要改善' };

/** The statuses of every entity that has one; the domain names those the server's messages use too. */
export const statusLabels = {
  plan: planStatusLabels,
  action: actionStatusLabels,
  evidence: evidenceStatusLabels,
  task: taskStatusLabels,
  inspection: inspectionStatusLabels,
  contractorCheck: contractorCheckStatusLabels,
  incident: incidentStatusLabels,
} as const;
export { planStatusLabels, actionStatusLabels, evidenceStatusLabels, inspectionStatusLabels };

/** The choices of a select: each value with its name. */
export function optionsOf<V extends string>(values: readonly V[], labels: Readonly<Record<V, string>>): (readonly [V, string])[] {
  return values.map((v) => [v, labels[v]] as const);
}

/** The roles under the default profile; a profile's own titles (`profile.roleTitles`) come first where shown. */
export const roleLabels: Record<Role, string> = roleTitles;

/** A role as the active profile calls it (郡山市: 総括保護管理者…), else its default name. */
export function roleLabel(profile: Pick<RegulationProfile, 'roleTitles'>, role: Role): string {
  return profile.roleTitles[role] ?? roleLabels[role];
}

/** The notes of an action's history, by the transition that wrote them. */
export const actionNoteLabels: Record<ActionTransition, string> = {
  progress: '進捗',
  submit: '完了報告',
  verify: '確認',
  reopen: '再対応の指示',
  acceptRisk: 'リスク受容',
};
