import { jstDate } from '#lib/domain/calendar.js';
import { Conflict, Forbidden, NotFound } from '#lib/domain/errors.js';
import { type Department, allSections, sectionsOf } from '#lib/domain/organisation.js';
import { holdsSectionRole, readsEveryRegister } from '#lib/domain/permissions.js';
import type { Plan } from '#lib/domain/plan.js';
import type { Actor } from '#lib/domain/roles.js';
import { type StaffOnDate, asOf as registerAsOf } from '#lib/domain/staff.js';
import { type Completion, type Training, audienceOf, completionOf } from '#lib/domain/training.js';
import { allowedIn, authorizeIn } from './authorize.js';
import { allPages } from './duty-units.js';
import type { Deps } from './ports.js';
import { registerOn, registerRows } from './registers.js';
import { ofRegister } from './visibility.js';

/**
 * What the registers' documents are drawn from: the designated staff of each 課 as of a date
 * (001 様式第1号 by person, 様式第2号 by 課; elsewhere the same lists in the profile's words), the
 * 年度's training plan (001 様式第3号), and the completion of the 年度's sessions by 課 that the
 * audit-result report can carry as its appendix.
 */

/** The designated staff (事務取扱担当者) of each 課 on `asOf`, 課 in the organisation's order. */
export interface HandlerList {
  asOf: string;
  sections: { department: string; handlers: StaffOnDate[] }[];
  organisation: Deps['organisation'];
  profile: Deps['profile'];
  at: Date;
}

/** A 年度's training plan, with the office of the 総括保護管理者 that issues it when known. */
export interface TrainingPlanList {
  fiscalYear: number;
  trainings: Training[];
  /** The 課 of the 総括保護管理者 who printed it; undefined for anyone else (the form's lines stay blank). */
  office?: Department;
  /** The date the plan is printed as of. */
  asOf: string;
  organisation: Deps['organisation'];
  profile: Deps['profile'];
  at: Date;
}

/** The completion of a 年度's sessions by 課 on `asOf`: the audit-result report's appendix. */
export interface CompletionTable {
  fiscalYear: number;
  asOf: string;
  trainings: Training[];
  /** One per 課 and session, 課 in the organisation's order and sessions by first day. */
  rows: (Completion & { trainingId: string })[];
}

const registerNotFound = () => new NotFound('指定された課の職員名簿は見つかりません。', 'register-not-found');

/** 409 where the regulation designates no staff for the 事務 (004): there is nothing to list. */
function assertDesignates(deps: Pick<Deps, 'profile'>): string {
  const term = deps.profile.staff.handlerTerm;
  if (term !== undefined) return term;
  throw new Conflict(
    `${deps.profile.regulation}には、事務ごとに取り扱う職員を指定する定めがないため、担当者の一覧は出力できません。`,
    'handler-not-in-regulation',
  );
}

/**
 * The 課 a caller lists: the one asked for (404 unless it is a 課 whose register they read), or
 * without one every 課 for those who read every register, the 課 of their 部 for its 保護責任者,
 * and their own 課 for the others.
 */
function sectionsFor(deps: Pick<Deps, 'organisation' | 'profile'>, actor: Actor, requested: string | undefined): Department[] {
  const sections = allSections(deps.organisation);
  if (requested !== undefined) {
    const found = sections.find((d) => d.code === requested);
    if (!found || !allowedIn(deps, actor, 'staff:list', ofRegister(deps, 'staff', requested))) throw registerNotFound();
    return [found];
  }
  authorizeIn(deps, actor, 'staff:list');
  if (readsEveryRegister(actor, 'staff', deps.profile)) return sections;
  if (holdsSectionRole(actor)) return sections.filter((d) => d.code === actor.department);
  const own = sectionsOf(deps.organisation, actor.department);
  if (own.length === 0) throw new Forbidden('参照できる課の職員名簿がありません。');
  return own;
}

/** The designated staff of the 課 asked for (or those the caller reads) on `asOf` (default: today, Japan time). */
export async function handlerList(
  deps: Deps,
  actor: Actor,
  query: { department?: string | undefined; asOf?: string | undefined },
): Promise<HandlerList> {
  assertDesignates(deps);
  const departments = sectionsFor(deps, actor, query.department);
  const at = deps.clock.now();
  const asOf = query.asOf ?? jstDate(at);
  const sections = await Promise.all(
    departments.map(async (d) => ({
      department: d.code,
      handlers: (await registerOn(deps, d.code, asOf)).filter((s) => s.handler),
    })),
  );
  return { asOf, sections, organisation: deps.organisation, profile: deps.profile, at };
}

/** A 年度's sessions for its plan (様式第3号): any user reads the plan. */
export async function trainingPlanList(deps: Deps, actor: Actor, fiscalYear: number): Promise<TrainingPlanList> {
  authorizeIn(deps, actor, 'training:list');
  const trainings = await allPages((page) => deps.trainings.list({ fiscalYear, ...page }));
  const at = deps.clock.now();
  // The form names the office of the 総括保護管理者 who plans the training: the one printing it.
  const office = actor.roles.includes('chiefManager') ? deps.organisation.departments.find((d) => d.code === actor.department) : undefined;
  return {
    fiscalYear,
    trainings,
    ...(office ? { office } : {}),
    asOf: jstDate(at),
    organisation: deps.organisation,
    profile: deps.profile,
    at,
  };
}

/** The date an audit's report speaks of: the day it was reported, else today (Japan time). */
export function reportDate(plan: Pick<Plan, 'reportedAt'>, now: Date): string {
  return jstDate(plan.reportedAt ? new Date(plan.reportedAt) : now);
}

/**
 * The completion of the plan's 年度's sessions in its audited 課 on `asOf`, for the 課 whose
 * attendance the caller reads (403 when they read none of them).
 */
export async function completionTable(deps: Deps, actor: Actor, plan: Plan, asOf: string): Promise<CompletionTable> {
  const departments = plan.auditedDepartments.filter((d) => allowedIn(deps, actor, 'attendance:read', ofRegister(deps, 'training', d)));
  if (departments.length === 0) throw new Forbidden('研修の受講状況を参照できる被監査部門がないため、付録は出力できません。');
  const order = allSections(deps.organisation).map((d) => d.code);
  departments.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const trainings = (await allPages((page) => deps.trainings.list({ fiscalYear: plan.fiscalYear, ...page }))).filter(
    (t) => t.timing.from <= asOf,
  );
  // Each 課's register read once and each session's rolls once (a Query each, all in parallel), not once per 課 and session.
  const [registers, rolls] = await Promise.all([
    Promise.all(departments.map((d) => registerRows(deps, d))),
    Promise.all(trainings.map((t) => allPages((page) => deps.attendance.ofTraining(t.trainingId, page)))),
  ]);
  const rows = departments.flatMap((department, i) => {
    const { people, periods } = registers[i] as Awaited<ReturnType<typeof registerRows>>;
    return trainings.map((t, j) => ({
      trainingId: t.trainingId,
      ...completionOf(
        t,
        department,
        audienceOf(t, registerAsOf(people, periods, t.timing.to)),
        rolls[j]?.find((r) => r.department === department),
        asOf,
      ),
    }));
  });
  return { fiscalYear: plan.fiscalYear, asOf, trainings, rows };
}
