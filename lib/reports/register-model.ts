import type { CompletionTable, HandlerList, TrainingPlanList } from '#lib/app/register-reports.js';
import { articleOnly, formatArticleRef, parseArticleRef } from '#lib/domain/articles.js';
import { warekiDate, warekiFiscalYear } from '#lib/domain/calendar.js';
import { departmentName, divisionOf } from '#lib/domain/organisation.js';
import { type ProvisionId, sourceOf } from '#lib/domain/provisions.js';
import { staffKindLabels } from '#lib/domain/staff.js';
import { audienceLabel, trainingMethodLabels } from '#lib/domain/training.js';
import type { RegulationProfile } from '#lib/profiles/types.js';

/**
 * The registers' documents as headings and lines of text, shared by the XLSX and HTML renderers:
 * the designated staff by person (001 様式第1号) and by 課 (様式第2号), the 年度's training plan
 * (様式第3号), and the completion of its sessions by 課. Every value is a string.
 */

type Profile = Pick<
  RegulationProfile,
  'organisation' | 'regulation' | 'roleTitles' | 'provisions' | 'staff' | 'training' | 'referenceStyle'
>;

/** What stands above a list: the form it is on ('' for none), its title, the date in 和暦 and lines under them. */
export interface Heading {
  form: string;
  title: string;
  /** 「令和8年11月20日」: the date the list is as of, top right as the forms have it. */
  date: string;
  /** Lines between the date and the title (様式第3号: the 部 and 課 that issue it). */
  office: string[];
  /** Lines under the title (the rule the list comes from where there is no form). */
  meta: string[];
}

/** 「第8条」 of a provision whose article is 「第8条」 or 「第11条第6項」: the article a form is 関係 to. */
function articleOf(profile: Profile, id: ProvisionId): string {
  const p = profile.provisions[id];
  if (p?.basis !== 'regulation') return sourceOf(profile.provisions, id);
  return formatArticleRef(articleOnly(parseArticleRef(p.article)), profile.referenceStyle);
}

/** 「様式第1号（第8条関係）」, or '' where the regulation prescribes no form. */
const formLabel = (form: string | undefined, profile: Profile, id: ProvisionId) => (form ? `${form}（${articleOf(profile, id)}関係）` : '');

/** Where there is no form, the rule the list comes from. */
const basisLine = (form: string | undefined, profile: Profile, id: ProvisionId) => {
  const source = sourceOf(profile.provisions, id);
  return form || !source ? [] : [`根拠\u3000${source}`];
};

/** What the regulation calls its designated staff (001: 事務取扱担当者; 002: 特定個人情報取扱担当者). */
const termOf = (profile: Profile) => profile.staff.handlerTerm ?? '';

/** The heading of a list of the designated staff: by person (様式第1号) or by 課 (様式第2号). */
function handlerListHeading(r: Pick<HandlerList, 'profile' | 'asOf'>, by: 'byPerson' | 'bySection'): Heading {
  const form = r.profile.staff.forms?.[by];
  return {
    form: formLabel(form, r.profile, 'handlerDesignation'),
    title: `${termOf(r.profile)}一覧（${by === 'byPerson' ? '個人単位' : '部署単位'}）`,
    date: warekiDate(r.asOf),
    office: [],
    meta: basisLine(form, r.profile, 'handlerDesignation'),
  };
}

export const form1Heading = (r: Pick<HandlerList, 'profile' | 'asOf'>): Heading => handlerListHeading(r, 'byPerson');

export const form2Heading = (r: Pick<HandlerList, 'profile' | 'asOf'>): Heading => handlerListHeading(r, 'bySection');

export function form3Heading(r: Pick<TrainingPlanList, 'profile' | 'asOf' | 'fiscalYear' | 'office' | 'organisation'>): Heading {
  const form = r.profile.training.form;
  const division = r.office ? divisionOf(r.organisation, r.office.code) : undefined;
  const divisionName = division && division !== r.office?.code ? departmentName(r.organisation, division) : '';
  return {
    form: formLabel(form, r.profile, 'trainingPlan'),
    // The form's own title (001 様式第3号); elsewhere the plan is named by what it is.
    title: form
      ? `${warekiFiscalYear(r.fiscalYear)}\u3000特定個人情報等に関する研修計画`
      : `${warekiFiscalYear(r.fiscalYear)}\u3000研修計画`,
    date: warekiDate(r.asOf),
    office: [`部\u3000${divisionName}`, `課\u3000${r.office?.name ?? ''}`],
    meta: basisLine(form, r.profile, 'trainingPlan'),
  };
}

export interface Form1Line {
  number: string;
  division: string;
  section: string;
  name: string;
  title: string;
  duties: string;
  note: string;
}

export const form1Columns: readonly [keyof Form1Line, string][] = [
  ['number', '番号'],
  ['division', '部'],
  ['section', '課'],
  ['name', '氏名'],
  ['title', '役職'],
  ['duties', '事務'],
  ['note', '備考'],
];

export interface Form2Line {
  number: string;
  division: string;
  section: string;
  duties: string;
  note: string;
}

export const form2Columns: readonly [keyof Form2Line, string][] = [
  ['number', '番号'],
  ['division', '部'],
  ['section', '課'],
  ['duties', '事務'],
  ['note', '備考'],
];

/** 部 and 課 of a 課 by name. */
function placeOf(r: Pick<HandlerList, 'organisation'>, department: string): { division: string; section: string } {
  const division = divisionOf(r.organisation, department);
  return {
    division: division && division !== department ? departmentName(r.organisation, division) : '',
    section: departmentName(r.organisation, department),
  };
}

/** 様式第1号: one line per designated person, 課 in the organisation's order, then by 職員番号 and registration. */
export function form1Lines(r: Pick<HandlerList, 'sections' | 'organisation'>): Form1Line[] {
  const lines = r.sections.flatMap(({ department, handlers }) =>
    [...handlers]
      .sort((a, b) => (a.employeeNumber ?? '\uffff').localeCompare(b.employeeNumber ?? '\uffff') || a.staffId.localeCompare(b.staffId))
      .map((s) => ({
        ...placeOf(r, department),
        name: s.name,
        title: s.title,
        duties: s.handlerDuties ?? '',
        note: s.kind === 'regular' ? '' : staffKindLabels[s.kind],
      })),
  );
  return lines.map((l, i) => ({ number: String(i + 1), ...l }));
}

/** 様式第2号: one line per 課 and 事務 (its handlers' distinct 事務), a 課 with none designated on a line of its own. */
export function form2Lines(r: Pick<HandlerList, 'sections' | 'organisation'>): Form2Line[] {
  const lines = r.sections.flatMap(({ department, handlers }) => {
    const count = new Map<string, number>();
    for (const s of handlers) if (s.handlerDuties !== null) count.set(s.handlerDuties, (count.get(s.handlerDuties) ?? 0) + 1);
    const place = placeOf(r, department);
    if (count.size === 0) return [{ ...place, duties: '', note: '指定なし' }];
    return [...count.entries()].sort(([a], [b]) => a.localeCompare(b, 'ja')).map(([duties, n]) => ({ ...place, duties, note: `${n}名` }));
  });
  return lines.map((l, i) => ({ number: String(i + 1), ...l }));
}

export interface Form3Line {
  number: string;
  timing: string;
  name: string;
  audience: string;
  method: string;
  note: string;
}

export const form3Columns: readonly [keyof Form3Line, string][] = [
  ['number', '番号'],
  ['timing', '実施時期'],
  ['name', '研修名'],
  ['audience', '対象者'],
  ['method', '実施方法'],
  ['note', '備考'],
];

/** 「令和8年6月1日〜令和8年6月30日」, or the one day. */
const span = (t: { from: string; to: string }) => (t.from === t.to ? warekiDate(t.from) : `${warekiDate(t.from)}〜${warekiDate(t.to)}`);

/** 様式第3号: the 年度's sessions by first day. */
export function form3Lines(r: Pick<TrainingPlanList, 'trainings' | 'profile'>): Form3Line[] {
  return [...r.trainings]
    .sort((a, b) => a.timing.from.localeCompare(b.timing.from) || a.trainingId.localeCompare(b.trainingId))
    .map((t, i) => ({
      number: String(i + 1),
      timing: span(t.timing),
      name: t.name,
      audience: t.audience.map((a) => audienceLabel(r.profile, a)).join('、'),
      method: trainingMethodLabels[t.method],
      note: t.note,
    }));
}

export interface CompletionLine {
  section: string;
  training: string;
  audience: string;
  attended: string;
  retaken: string;
  rate: string;
}

export const completionColumns: readonly [keyof CompletionLine, string][] = [
  ['section', '課'],
  ['training', '研修名'],
  ['audience', '対象者数'],
  ['attended', '受講者数'],
  ['retaken', '再受講'],
  ['rate', '受講率'],
];

/** 「研修の受講状況（令和8年11月20日現在）」: the appendix's heading. */
export const completionTitle = (t: Pick<CompletionTable, 'asOf' | 'fiscalYear'>) =>
  `付録\u3000${warekiFiscalYear(t.fiscalYear)}の研修の受講状況（${warekiDate(t.asOf)}現在）`;

/** The completion table: one line per 課 and session; the rate to one decimal, 「—」 for a 課 with no audience. */
export function completionLines(t: CompletionTable, organisation: HandlerList['organisation']): CompletionLine[] {
  const names = new Map(t.trainings.map((s) => [s.trainingId, s.name]));
  return t.rows.map((row) => ({
    section: departmentName(organisation, row.department),
    training: names.get(row.trainingId) ?? row.trainingId,
    audience: String(row.audience),
    attended: String(row.attended),
    retaken: String(row.retaken),
    rate: row.audience === 0 ? '—' : `${((row.attended / row.audience) * 100).toFixed(1)}%`,
  }));
}
