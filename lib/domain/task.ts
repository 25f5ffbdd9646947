import * as z from './zod.js';
import { InvalidInput } from './errors.js';
import { warekiFiscalYear } from './calendar.js';
import type { Actor, Role } from './roles.js';

/**
 * タスク: work the periodic duties hand to people (監査計画の作成 第26条, 点検 第27条,
 * 委託先の検査 第22条第4項, 改善措置の期限 第28条; and, by kansa's own practice, 証跡の
 * 再アップロード when an upload never arrived). Users never create tasks; a task
 * closes in the same transaction as the work it asks for.
 */

export const taskKinds = [
  'draftPlan',
  'inspection',
  'contractorCheck',
  'actionReminder',
  'actionOverdue',
  'evidenceExpired',
  'incidentResponse',
  'incidentInvestigation',
  'incidentEscalation',
  'incidentShare',
  'incidentReport',
  'incidentDeadlineReminder',
  'incidentDeadlinePassed',
  'trainingFollowUp',
] as const;
export type TaskKind = (typeof taskKinds)[number];
export const taskStatuses = ['open', 'done'] as const;
export const taskStatusSchema = z.enum(taskStatuses, { error: 'status は open か done です。' });
export type TaskStatus = (typeof taskStatuses)[number];

export const taskKindLabels: Record<TaskKind, string> = {
  draftPlan: '監査計画の作成',
  inspection: '点検',
  contractorCheck: '委託先の検査',
  actionReminder: '改善措置の期限の通知',
  actionOverdue: '改善措置の期限超過',
  evidenceExpired: '証跡の再アップロード',
  incidentResponse: '事案への対応',
  incidentInvestigation: '事案の調査結果の確認',
  incidentEscalation: '特に重大な事案の報告',
  incidentShare: '再発防止策の確認',
  incidentReport: '個人情報保護委員会への報告',
  incidentDeadlineReminder: '個人情報保護委員会への報告期限の通知',
  incidentDeadlinePassed: '個人情報保護委員会への報告期限の超過',
  trainingFollowUp: '研修の未受講者への受講の機会の付与',
};

/** What a task is about; an `evidenceExpired` task names the evidence's target (any of its types). */
export const taskSubjectTypes = [
  'fiscalYear',
  'plan',
  'finding',
  'action',
  'disposal',
  'inspection',
  'contractorCheck',
  'incident',
  'training',
] as const;
export type TaskSubjectType = (typeof taskSubjectTypes)[number];

/** A task for whoever holds a role: the role as the profile names it, and the 課 (部) for roles that belong to one. */
export interface RoleAssignee {
  role: Role;
  department?: string;
}

/**
 * A task for one person (the uploader of evidence that never arrived), by their `sub`;
 * `department` is the 課 of what it is about, so those who see that 課 see the task too.
 */
export interface UserAssignee {
  user: string;
  department?: string;
}

/** Who a task is for: a role (with its 課), or one person. */
export type TaskAssignee = RoleAssignee | UserAssignee;

export function isUserAssignee(a: TaskAssignee): a is UserAssignee {
  return 'user' in a;
}

export interface Task {
  taskId: string;
  kind: TaskKind;
  title: string;
  /** The duty and period that made it (`annual-plan`, `FY2027`). */
  duty: string;
  period: string;
  /** The article the duty comes from (e.g. 第27条). */
  source: string;
  assignee: TaskAssignee;
  /** What the task is about, so a client can link to it. */
  subject: { type: TaskSubjectType; id: string };
  /**
   * The people the task is about, by name (a `trainingFollowUp`: the 課's audience who missed the
   * session); at most a 課's register, so the item stays bounded.
   */
  people?: { staffId: string; name: string }[];
  /** Plain date in Japan. */
  dueDate: string;
  status: TaskStatus;
  createdAt: string;
  closedAt?: string;
  closedBy?: string;
  version: number;
  updatedAt: string;
}

/** Roles held within one 課 (部 for a 保護責任者): their tasks name the department. */
export const departmentRoles: readonly Role[] = ['deptHead', 'sectionManager', 'sectionStaff', 'affairStaff'];

/** The assignee of a task for `role`, in `department` where the role belongs to one. */
export function assigneeFor(role: Role, department: string | undefined): RoleAssignee {
  return departmentRoles.includes(role) && department !== undefined ? { role, department } : { role };
}

/** The assignee of a task for one person, about something of `department` (absent for a plan). */
export function assigneeUser(sub: string, department: string | undefined): UserAssignee {
  return department === undefined ? { user: sub } : { user: sub, department };
}

/** Every assignee the actor answers to: each of their roles (with their department where it applies), and themselves. */
export function assigneesOf(actor: Actor): TaskAssignee[] {
  return [...actor.roles.map((r) => assigneeFor(r, actor.department)), { user: actor.sub }];
}

/** Whether the task is assigned to the actor: to them by name, or to a role they hold (by department for section roles). */
export function isAssignedTo(task: Pick<Task, 'assignee'>, actor: Actor): boolean {
  const t = task.assignee;
  if (isUserAssignee(t)) return t.user === actor.sub;
  return actor.roles.some((r) => {
    const a = assigneeFor(r, actor.department);
    return a.role === t.role && a.department === t.department;
  });
}

/** A task done: closed by whoever completed the underlying work. */
export function closeTask(task: Task, by: string, at: string): Task {
  return { ...task, status: 'done', closedAt: at, closedBy: by, version: task.version + 1, updatedAt: at };
}

/**
 * Duty periods: `FY2027` (yearly), `FY2027-Q1` (fiscal quarters, Q1 = April–June),
 * `2027-04-02` (daily, a Japan date).
 */
const periodPattern = /^FY(\d{4})(?:-Q([1-4]))?$/;
export const periodSchema = z
  .string({ error: 'period は文字列で指定してください。' })
  .check(z.regex(periodPattern, { error: 'period は FY2027 または FY2027-Q1 の形式で指定してください。' }));

/** Fiscal year, first and last day of a yearly or quarterly period. */
export function periodRange(period: string): { fiscalYear: number; quarter?: number; from: string; to: string } {
  const m = periodPattern.exec(period);
  if (!m)
    throw new InvalidInput(`期間（${period}）の形式が正しくありません。`, [
      { path: 'period', message: 'FY2027 または FY2027-Q1 の形式です。' },
    ]);
  const fiscalYear = Number(m[1]);
  if (m[2] === undefined) return { fiscalYear, from: `${fiscalYear}-04-01`, to: `${fiscalYear + 1}-03-31` };
  const quarter = Number(m[2]);
  const ranges = [
    [`${fiscalYear}-04-01`, `${fiscalYear}-06-30`],
    [`${fiscalYear}-07-01`, `${fiscalYear}-09-30`],
    [`${fiscalYear}-10-01`, `${fiscalYear}-12-31`],
    [`${fiscalYear + 1}-01-01`, `${fiscalYear + 1}-03-31`],
  ] as const;
  const [from, to] = ranges[quarter - 1] as readonly [string, string];
  return { fiscalYear, quarter, from, to };
}

/** 令和9年度第1四半期 / 令和9年度, for titles. */
export function periodLabel(period: string): string {
  const r = periodRange(period);
  return `${warekiFiscalYear(r.fiscalYear)}${r.quarter === undefined ? '' : `第${r.quarter}四半期`}`;
}

/** A Japan date plus `days` days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
