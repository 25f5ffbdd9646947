import type { PlanReport } from '#lib/app/reports.js';
import { actionStatusLabels } from '#lib/domain/action.js';
import { fiscalYearLabel, jstDate, warekiDate } from '#lib/domain/calendar.js';
import { type FindingRecord, ratingLabels, scopeLabels } from '#lib/domain/finding.js';
import { departmentName } from '#lib/domain/organisation.js';
import { auditMethodLabels, planStatusLabels } from '#lib/domain/plan.js';
import { type Provisions, cite } from '#lib/domain/provisions.js';
import type { ScopeId } from '#lib/domain/scopes.js';

/**
 * The documents as rows of label and value, shared by the XLSX and HTML renderers so
 * both say the same thing.
 */
export type Row = readonly [label: string, value: string];

/** 「2026-11-20（令和8年11月20日）」: a plain date with its 和暦, as the forms show dates. */
export const dateLabel = (d: string) => `${d}（${warekiDate(d)}）`;

/** 「様式第4号（第26条関係）」 (001), or '' where the regulation prescribes no form for the plan. */
export function planFormLabel(provisions: Provisions): string {
  const p = provisions.planForm;
  return p?.basis === 'regulation' && p.form ? `${p.form}（${p.article}関係）` : '';
}

/** The form's name alone (様式第4号), or undefined where the regulation has none. */
export function planFormName(provisions: Provisions): string | undefined {
  const p = provisions.planForm;
  return p?.basis === 'regulation' ? p.form : undefined;
}

/** 「報告先 総括保護管理者（第26条第1項）」: whom the audit results go to, and on what authority. */
export function reportTarget(r: Pick<PlanReport, 'profile'>): string {
  const to = r.profile.roleTitles[r.profile.plans.reportedTo];
  return to ? `報告先\u3000${to}${cite(r.profile.provisions, 'auditReport')}` : '';
}

/** 監査計画書 (001: 様式第4号): its items in order. */
export function form4Rows(r: PlanReport): Row[] {
  const p = r.plan;
  const dept = (code: string) => departmentName(r.organisation, code);
  const titles = r.profile.roleTitles;
  const byDepartment = (p.schedule.byDepartment ?? []).map((d) => `${dept(d.department)}: ${dateLabel(d.from)}〜${dateLabel(d.to)}`);
  return [
    ['年度', fiscalYearLabel(p.fiscalYear)],
    ['1 監査計画', ''],
    ['(1) 監査目的', p.purpose],
    ['(2) 監査範囲', p.scope],
    ['(3) 被監査部門', p.auditedDepartments.map(dept).join('、')],
    ['(4) 監査方法', p.methods.map((m) => auditMethodLabels[m]).join('、')],
    ['(5) 監査実施日程', [`${dateLabel(p.schedule.from)}〜${dateLabel(p.schedule.to)}`, ...byDepartment].join('\n')],
    ['(6) 監査実施体制', p.team.map((t) => `${titles[t.role] ?? t.role}: ${t.userId}`).join('\n')],
    ['(7) 適用基準', p.criteria],
    ['2 監査結果のフォローアップ', p.followUp ?? ''],
    ['状態', `${planStatusLabels[p.status]}（改訂 ${p.revision}、版 ${p.version}）`],
    ['承認', p.approvedBy ? `${p.approvedBy}（${jstDate(new Date(p.approvedAt ?? ''))}）` : ''],
  ];
}

export interface FindingLine {
  scope: string;
  department: string;
  article: string;
  rating: string;
  title: string;
  observation: string;
  recommendation: string;
  actions: string;
  record: string;
}

/** 「職員名簿（市民課、令和8年11月20日現在）」: the record a finding cites. */
export function recordLabel(r: Pick<PlanReport, 'organisation' | 'trainingNames'>, record: FindingRecord | undefined): string {
  if (!record) return '';
  const where = record.department === undefined ? '全課' : departmentName(r.organisation, record.department);
  const on = `${where}、${warekiDate(record.asOf)}現在`;
  if (record.type === 'staffRegister') return `職員名簿（${on}）`;
  return `研修「${r.trainingNames?.[record.trainingId] ?? record.trainingId}」の受講状況（${on}）`;
}

const scopeOrder: ScopeId[] = ['dx', 'koho', 'lead'];

/** The audit-result report: findings by scope then department, with their actions. */
export function findingLines(r: PlanReport): FindingLine[] {
  const actionsOf = (id: string) => r.actions.filter((a) => a.findingId === id);
  return [...r.findings]
    .sort(
      (a, b) =>
        scopeOrder.indexOf(a.scope) - scopeOrder.indexOf(b.scope) ||
        a.department.localeCompare(b.department) ||
        a.findingId.localeCompare(b.findingId),
    )
    .map((f) => ({
      scope: scopeLabels[f.scope],
      department: departmentName(r.organisation, f.department),
      article: `${f.articleLabel}（${f.articleTitle}）`,
      rating: ratingLabels[f.rating],
      title: f.title,
      observation: f.observation,
      recommendation: f.recommendation ?? '',
      actions: actionsOf(f.findingId)
        .map((a) => `${a.description}（期限 ${a.dueDate}、${actionStatusLabels[a.status]}）`)
        .join('\n'),
      record: recordLabel(r, f.record),
    }));
}

export const findingColumns: readonly [keyof FindingLine, string][] = [
  ['scope', '監査範囲'],
  ['department', '被監査部門'],
  ['article', '条項'],
  ['rating', '評価'],
  ['title', '件名'],
  ['observation', '監査で確認した事実'],
  ['recommendation', '改善の提言'],
  ['actions', '改善措置（期限・状況）'],
  ['record', '引用した記録'],
];
