import { parseArticleRef, sameArticle } from '#lib/domain/articles.js';
import { type FindingRecord, findingRecordArticles } from '#lib/domain/finding.js';
import type { Plan } from '#lib/domain/plan.js';
import type { Provisions } from '#lib/domain/provisions.js';
import type { Action, Resource } from '#lib/domain/permissions.js';
import type { Organisation } from '#lib/domain/organisation.js';
import { dateText } from './format.js';
import { articleInput } from './scope-preview.js';
import { registerOf } from './training-view.js';

/**
 * What ties the registers to the audits on the screens: the record a finding cites (lib/domain/finding.ts:
 * which records its article may cite, by the server's own rule, the audit date they stand on, the body,
 * and where the cited record is read), and the results report's training appendix.
 */

export type RecordType = FindingRecord['type'];

export const recordTypeLabels: Record<RecordType, string> = { staffRegister: '職員名簿', trainingAttendance: '研修の受講状況' };

/**
 * The records a finding on the article typed (with its 項) may cite: the register on the article of the
 * designation, attendance on the articles of training (compared article to article, 項 aside, as the
 * server does); none for an article not parsed yet.
 */
export function citableRecords(provisions: Provisions, text: string, paragraph: string): RecordType[] {
  const input = articleInput(text, paragraph);
  if (!input) return [];
  let article;
  try {
    article = parseArticleRef(input);
  } catch {
    return [];
  }
  return (['staffRegister', 'trainingAttendance'] as const).filter((type) =>
    findingRecordArticles(provisions, type).some((a) => sameArticle(a, article)),
  );
}

/** The audit date of a 課 (its own 監査実施日程, else the plan's): today while it runs, else its nearer end. */
export function auditDate(plan: Pick<Plan, 'schedule'>, department: string, today: string): string {
  const days = plan.schedule.byDepartment?.find((d) => d.department === department) ?? plan.schedule;
  if (today < days.from) return days.from;
  if (today > days.to) return days.to;
  return today;
}

/** The record as the API takes it, or undefined while the form cites none (or lacks the session). */
export function recordBody(
  type: RecordType | '',
  fields: { department: string; asOf: string; trainingId: string },
): FindingRecord | undefined {
  if (type === 'staffRegister') return { type, department: fields.department, asOf: fields.asOf };
  if (type === 'trainingAttendance' && fields.trainingId)
    return { type, trainingId: fields.trainingId, department: fields.department, asOf: fields.asOf };
  return undefined;
}

/** Where the cited record is read: the 課's register on the date, or the session with its attendance. */
export function recordHref(record: FindingRecord): string {
  if (record.type === 'trainingAttendance') return `/trainings/${record.trainingId}`;
  return `/staff?${new URLSearchParams({ department: record.department, asOf: record.asOf }).toString()}`;
}

/** 「職員名簿（市民課・2026年10月1日現在）」, 「研修の受講状況: 〇〇研修（全課・…現在）」. */
export function recordText(record: FindingRecord, departmentLabel: (code: string) => string, trainingName?: string): string {
  const where = record.department === undefined ? '全課' : departmentLabel(record.department);
  const what =
    record.type === 'trainingAttendance' && trainingName
      ? `${recordTypeLabels[record.type]}: ${trainingName}`
      : recordTypeLabels[record.type];
  return `${what}（${where}・${dateText(record.asOf)}現在）`;
}

/**
 * Whether the plan's results report may carry the training appendix for the user: the server lists
 * the audited 課 whose attendance they read, and refuses it where there are none.
 */
export function offersTrainingAppendix(
  session: { organisation: Organisation; can(action: Action, resource?: Resource): boolean },
  plan: Pick<Plan, 'auditedDepartments'>,
): boolean {
  return plan.auditedDepartments.some((d) => session.can('attendance:read', registerOf(session, 'training', d)));
}
