import { applies } from '#lib/domain/provisions.js';
import { type StaffAttributes, type StaffKind, type StaffOnDate, type StaffPost, staffKindLabels } from '#lib/domain/staff.js';
import { type Audience, type Completion, type Training, audienceProvision, audiences } from '#lib/domain/training.js';

export { audienceLabel } from '#lib/domain/training.js';
import type { Action, Resource } from '#lib/domain/permissions.js';
import type { Organisation } from '#lib/domain/organisation.js';
import type { ImportAction } from '#lib/domain/staff-import.js';
import type { AttendanceImportAction } from '#lib/domain/attendance-import.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import { roleLabel } from './labels.js';

/**
 * What the screens of the staff register (職員名簿) and of training show and send, apart from
 * drawing it: the names the profile gives (事務取扱担当者, the forms, the audiences), the
 * bodies of the register's form, and the change a list of ticks makes to a 課's attendance.
 */

/** What the profile calls the designated staff (001: 事務取扱担当者; 002: 特定個人情報取扱担当者), else the plain term. */
export function handlerTerm(profile: Pick<RegulationProfile, 'staff'>): string {
  return profile.staff.handlerTerm ?? '事務取扱担当者';
}

/** Whether the regulation designates 事務取扱担当者 at all (004 does not): the register then asks nothing of them. */
export function designatesHandlers(profile: Pick<RegulationProfile, 'staff'>): boolean {
  return profile.staff.handlerTerm !== undefined;
}

/**
 * The two exports of the register, as the profile names them (001: 様式第1号 by person, 様式第2号
 * by 課), else after what it calls the designated staff; none where the regulation designates none.
 */
export function staffFormNames(profile: Pick<RegulationProfile, 'staff'>): { form1: string; form2: string } | undefined {
  const { forms } = profile.staff;
  if (forms) return { form1: forms.byPerson, form2: forms.bySection };
  if (!designatesHandlers(profile)) return undefined;
  const term = handlerTerm(profile);
  return { form1: `${term}一覧（職員別）`, form2: `${term}一覧（課別）` };
}

/** The training plan's export, as the profile names it (001: 様式第3号), else 研修計画. */
export function trainingFormName(profile: Pick<RegulationProfile, 'training'>): string {
  return profile.training.form ?? '研修計画';
}

/** The audiences a session may be planned for: those whose rule the profile has (004 has no 事務取扱担当者). */
export function offeredAudiences(profile: Pick<RegulationProfile, 'provisions'>): Audience[] {
  return audiences.filter((a) => applies(profile.provisions, audienceProvision[a]));
}

/** 保護管理者・保護担当者 as the profile titles them, for the register's 役割 column and select. */
export function postLabel(profile: Pick<RegulationProfile, 'roleTitles'>, post: StaffPost | null): string {
  return post === null ? '—' : roleLabel(profile, post);
}

export const kindLabel = (kind: StaffKind): string => staffKindLabels[kind];

/** The fields of the register's form, as typed. */
export interface StaffFields {
  name: string;
  title: string;
  kind: StaffKind;
  handler: boolean;
  handlerDuties: string;
  systemAdmin: boolean;
  post: StaffPost | '';
  employeeNumber: string;
  from: string;
}

export function staffFieldsOf(s?: StaffOnDate, today = ''): StaffFields {
  return {
    name: s?.name ?? '',
    title: s?.title ?? '',
    kind: s?.kind ?? 'regular',
    handler: s?.handler ?? false,
    handlerDuties: s?.handlerDuties ?? '',
    systemAdmin: s?.systemAdmin ?? false,
    post: s?.post ?? '',
    employeeNumber: s?.employeeNumber ?? '',
    from: s?.from ?? today,
  };
}

/** The attributes the fields say: 事務 only for a handler, blanks as null. */
function attributesOfFields(f: StaffFields): StaffAttributes {
  return {
    name: f.name,
    title: f.title,
    kind: f.kind,
    handler: f.handler,
    handlerDuties: f.handler ? f.handlerDuties : null,
    systemAdmin: f.systemAdmin,
    post: f.post === '' ? null : f.post,
  };
}

/** POST /staff */
export function createStaffBody(department: string, f: StaffFields) {
  return {
    department,
    ...attributesOfFields(f),
    employeeNumber: f.employeeNumber.trim() || null,
    from: f.from,
    to: null,
  };
}

/**
 * PATCH /staff/{staffId}: only what changed, and the day it takes effect (`effectiveFrom`) for a
 * change from a date; without one, a correction of the current entry.
 */
export function updateStaffBody(before: StaffOnDate, f: StaffFields, effectiveFrom: string) {
  const after = attributesOfFields(f);
  const changed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after)) if (before[k as keyof StaffAttributes] !== v) changed[k] = v;
  const number = f.employeeNumber.trim() || null;
  if (number !== before.employeeNumber) changed.employeeNumber = number;
  if (f.from !== before.from && effectiveFrom === '') changed.from = f.from;
  return { ...changed, ...(effectiveFrom ? { effectiveFrom } : {}) };
}

/** What a list of ticks changes on a 課's roll: who is newly recorded, and whose record is taken back. */
export function attendanceChange(
  audience: readonly { staffId: string }[],
  attended: ReadonlySet<string>,
  ticked: ReadonlySet<string>,
): { staffIds: string[]; unmark: string[] } {
  const ids = audience.map((s) => s.staffId);
  return {
    staffIds: ids.filter((id) => ticked.has(id) && !attended.has(id)),
    unmark: ids.filter((id) => !ticked.has(id) && attended.has(id)),
  };
}

/** Whether attendance on `date` is a 再受講: after the session's 実施時期. */
export function isRetake(training: Pick<Training, 'timing'>, date: string): boolean {
  return date > training.timing.to;
}

/** The completions added up (a session's total, over the 課 shown). */
export function completionTotal(list: readonly Completion[]): Omit<Completion, 'department'> {
  return list.reduce((t, c) => ({ audience: t.audience + c.audience, attended: t.attended + c.attended, retaken: t.retaken + c.retaken }), {
    audience: 0,
    attended: 0,
    retaken: 0,
  });
}

/** 受講率: 「12/15人（80%）」; a 課 without anyone in the audience says so. */
export function completionText(c: Pick<Completion, 'audience' | 'attended'>): string {
  if (c.audience === 0) return '対象者なし';
  return `${c.attended}/${c.audience}人（${Math.floor((c.attended * 100) / c.audience)}%）`;
}

/** What an import row does to the register. */
export const importActionLabels: Record<ImportAction, string> = { add: '追加', update: '変更', end: '名簿から外す', unchanged: '変更なし' };

/** The rows of a preview that change the register (those unchanged are only counted). */
export function importChanges<C extends { action: ImportAction }>(changes: readonly C[]): C[] {
  return changes.filter((c) => c.action !== 'unchanged');
}

/** 「追加 2人・変更 1人・変更なし 5人」 */
export function importCountsText(counts: Readonly<Record<ImportAction, number>>): string {
  return (Object.keys(importActionLabels) as ImportAction[])
    .filter((a) => counts[a] > 0)
    .map((a) => `${importActionLabels[a]} ${counts[a]}人`)
    .join('・');
}

/** What these screens ask of the session (web/src/session.ts): the organisation and what the user may do. */
interface RegisterSession {
  organisation: Organisation;
  me: { department: string };
  can(action: Action, resource?: Resource): boolean;
}

/** A 課's register, as the permission table names it. */
export function registerOf(session: Pick<RegisterSession, 'organisation'>, register: 'staff' | 'training', department: string): Resource {
  return { type: 'register', register, department, organisation: session.organisation };
}

/** The organisation's 課 (not its 部), in its order. */
export function sectionCodes(session: Pick<RegisterSession, 'organisation'>): string[] {
  return session.organisation.departments.filter((d) => d.code !== d.division).map((d) => d.code);
}

/** The 課 whose register the user may read, in the organisation's order. */
export function readableSections(session: Pick<RegisterSession, 'organisation' | 'can'>, register: 'staff' | 'training'): string[] {
  const action = register === 'staff' ? 'staff:list' : 'attendance:read';
  return sectionCodes(session).filter((code) => session.can(action, registerOf(session, register, code)));
}

/** The 課 a register screen opens on: the one asked for, the user's own, else the first they may read. */
export function initialSection(session: Pick<RegisterSession, 'me'>, sections: readonly string[], asked: string | undefined): string {
  if (asked) return asked;
  if (sections.includes(session.me.department)) return session.me.department;
  return sections[0] ?? session.me.department;
}

/**
 * The dashboard's rows: each session with each 課's completion the user may read (every 課 for
 * the readers of every register, else those the permission table gives them), a session without
 * any yet on a row of its own.
 */
export function completionRows(
  session: Pick<RegisterSession, 'organisation' | 'can'>,
  trainings: readonly (Training & { completion?: Completion[] })[],
  every: boolean,
): { training: Training; completion: Completion | undefined }[] {
  return trainings.flatMap((training): { training: Training; completion: Completion | undefined }[] => {
    const shown = (training.completion ?? []).filter(
      (c) => every || session.can('attendance:read', registerOf(session, 'training', c.department)),
    );
    return shown.length === 0 ? [{ training, completion: undefined }] : shown.map((completion) => ({ training, completion }));
  });
}

/** What a row of an e-learning system's CSV does to the roll. */
export const attendanceImportLabels: Record<AttendanceImportAction, string> = {
  record: '受講を記録',
  already: '記録済み',
  skip: '未修了（読み飛ばし）',
};
