import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createAction } from '#lib/app/actions.js';
import { openContractorCheck } from '#lib/app/contractors.js';
import { dutyWork } from '#lib/app/duty-work.js';
import { createFinding } from '#lib/app/findings.js';
import { submitInspection, updateInspection } from '#lib/app/inspections.js';
import { transitionPlan } from '#lib/app/plans.js';
import type { PlanReport } from '#lib/app/reports.js';
import { scopeOwners } from '#lib/app/scope-owners.js';
import type { FollowUpAction } from '#lib/domain/action.js';
import { compareArticles, formatArticleRef, normalizeReference, parseArticleRef } from '#lib/domain/articles.js';
import { dutyPeriod } from '#lib/domain/calendar.js';
import {
  type Contractor,
  type Subcontractor,
  assertRemoteReason,
  subcontractorChecksOf,
  subcontractorsOf,
} from '#lib/domain/contractor.js';
import { type Disposal, completeness } from '#lib/domain/disposal.js';
import { InvalidInput } from '#lib/domain/errors.js';
import { createIncidentSchema } from '#lib/domain/incident.js';
import { newIncident } from '#lib/domain/incident-assessment.js';
import { reportOnSubmit } from '#lib/domain/inspection.js';
import type { Organisation } from '#lib/domain/organisation.js';
import { type Action, type Resource, actionRoles, decide } from '#lib/domain/permissions.js';
import { type ProvisionId, applies, practiceLabel } from '#lib/domain/provisions.js';
import { type Actor, type Role, roles } from '#lib/domain/roles.js';
import { type ScopeId, resolveArticle, scopeIds } from '#lib/domain/scopes.js';
import type { Task } from '#lib/domain/task.js';
import { openApiDocument, routeSummary } from '#lib/http/openapi.js';
import { routeList } from '#lib/http/routes.js';
import { dutySchedules } from '#lib/jobs/schedule.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { nara } from '#lib/profiles/nara.js';
import { withPractices } from '#lib/profiles/practices.js';
import { dutyDefinition } from '#lib/profiles/system-duties.js';
import type { DutyId, RegulationProfile } from '#lib/profiles/types.js';
import { renderPlanHtml } from '#lib/reports/html.js';
import { planFormLabel, reportTarget } from '#lib/reports/model.js';
import { renderPlanXlsx } from '#lib/reports/xlsx.js';
import { type FakeDeps, actor, chief, fakeDeps, lead, organisation, planInProgress, planInput, rejection } from './fakes.js';
import { person, session } from '#test/support/training-followup.js';

/**
 * Every message kansa produces that can cite an article, rendered under each profile:
 * each article it names must be in that profile's catalogue (in its style: 第27条 or
 * 第10の2), and each it cites for a rule must be the article of one of the profile's
 * provisions, duties or auditor scopes. What a message is about (a finding's article, an
 * auditor's scope) is named as its subject: it must be in the catalogue, nothing more.
 *
 * Where the rule a message is about is known (`about`), the check is exact: it cites that
 * rule as the profile has it (its article, or 運用上のルール), no other article, and nothing
 * at all where the profile has no such rule.
 */

/** Both styles of reference, full-width digits too: 第17条の2第1項, 第18条4項, 第7条の2第3項第1号, 第5の7. */
const referencePattern = /第[0-9０-９]+条(?:の[0-9０-９]+)?(?:第?[0-9０-９]+項)?(?:第[0-9０-９]+号)?|第[0-9０-９]+の[0-9０-９]+/g;

/** One written form of each reference: ASCII digits, 項 always with its 第 (第18条4項 → 第18条第4項). */
const canonical = (ref: string): string => normalizeReference(ref).replace(/(条(?:の\d+)?)(\d+項)/, '$1第$2');

const references = (text: string): string[] => [...text.matchAll(referencePattern)].map((m) => canonical(m[0]));

/** Why `ref` is not an article of the profile's regulation, or undefined when it is. */
function notInCatalogue(profile: RegulationProfile, ref: string): string | undefined {
  const sectionItem = !ref.includes('条');
  if (sectionItem !== (profile.referenceStyle === 'sectionItem')) return 'the other style of reference';
  const parsed = parseArticleRef(ref.replace(/第\d+号$/, ''));
  const entry = profile.articles.find((a) => compareArticles(a, parsed) === 0);
  if (!entry) return 'no such article';
  if (parsed.paragraph !== undefined && (parsed.paragraph > entry.paragraphs || entry.absentParagraphs?.includes(parsed.paragraph)))
    return 'no such 項';
  return undefined;
}

/** The articles a profile cites for its rules: its provisions', its duties' and its auditor scopes'. */
function ruleArticles(profile: RegulationProfile): Set<string> {
  const provisions = Object.values(profile.provisions).flatMap((p) => (p.basis === 'regulation' ? [p.article] : []));
  return new Set([...provisions, ...profile.duties.map((d) => d.source), ...profile.auditorScopes.map((s) => s.source)].map(canonical));
}

/** A rule a message can be about: a provision, or a system duty (always the system's practice). */
type About = ProvisionId | 'systemDuty';

interface Rendered {
  /** Where it comes from, for the failure message. */
  what: string;
  text: string;
  /** What the message is about (a finding's article, a scope's articles): in the catalogue, not a rule's citation. */
  subjects?: readonly string[];
  /** The rules the message is about ([]: none, it cites nothing); undefined when unknown (the catalogue scan alone). */
  about?: readonly About[];
}

/** The source of a rule under the profile: its article, 運用上のルール, or undefined when the profile lacks it. */
function sourceUnder(profile: RegulationProfile, about: About): string | undefined {
  if (about === 'systemDuty') return practiceLabel;
  const p = profile.provisions[about];
  return p && (p.basis === 'regulation' ? canonical(p.article) : practiceLabel);
}

/**
 * Every message whose rules are known that cites them wrongly under `profile`: an article
 * not of its rules (第43条 on a disposal message), 運用上のルール for rules the regulation
 * has, a rule the profile has left uncited, or any citation of rules the profile lacks.
 */
function wrongCitations(profile: RegulationProfile, rendered: readonly Rendered[]): string[] {
  return rendered.flatMap(({ what, text, subjects = [], about }) => {
    if (about === undefined) return [];
    const cited = subjects.reduce((rest, s) => rest.split(s).join('〔subject〕'), text);
    const sources = about.flatMap((a) => sourceUnder(profile, a) ?? []);
    const articles = sources.filter((s) => s !== practiceLabel);
    const rules = about.length ? about.join('/') : 'no rule';
    const problems = references(cited).flatMap((ref) => (articles.includes(ref) ? [] : [`${ref} (not the article of ${rules})`]));
    if (cited.includes(practiceLabel) && !sources.includes(practiceLabel)) problems.push(`${practiceLabel} (${rules} is not practice)`);
    const uncited = sources.filter((s) => (s === practiceLabel ? !cited.includes(s) : !references(cited).includes(s)));
    if (uncited.length > 0) problems.push(`no citation of ${rules} (${uncited.join(', ')})`);
    return problems.map((p) => `${profile.id} ${what}: ${p} in 「${text}」`);
  });
}

/** Every wrong reference in `rendered` under `profile`, as lines to read. */
function wrongReferences(profile: RegulationProfile, rendered: readonly Rendered[]): string[] {
  const rules = ruleArticles(profile);
  return rendered.flatMap(({ what, text, subjects = [] }) => {
    const problems = references(text).flatMap((ref) => {
      const why = notInCatalogue(profile, ref);
      return why ? [`${ref} (${why})`] : [];
    });
    const cited = subjects.reduce((rest, s) => rest.split(s).join('〔subject〕'), text);
    problems.push(...references(cited).flatMap((ref) => (rules.has(ref) ? [] : [`${ref} (not the article of any rule of ${profile.id})`])));
    return problems.map((p) => `${profile.id} ${what}: ${p} in 「${text}」`);
  });
}

const practised = {
  '001': koriyama,
  '002': nara,
  '003': koka,
  '004': kuki,
  '003 auditing as practice': withPractices(koka, { audits: true }),
  '001 with certificates as practice': withPractices(koriyama, { disposalProof: 'certificate' }),
  '004 with yearly 点検 as practice': withPractices(kuki, { inspectionFrequency: 'yearly' }),
} as const satisfies Record<string, RegulationProfile>;
const cases = Object.entries(practised);

/** An article of the profile in its own style, as a finding would name it. */
const someArticle = (profile: RegulationProfile, i = 5): string =>
  formatArticleRef(profile.articles[i] ?? { article: 1 }, profile.referenceStyle);

// ---------------------------------------------------------------- refusals of decide

/** Every actor that matters: no role, each role, each pair, every role; in the resource's 課 or another. */
function actors(): Actor[] {
  const sets: Role[][] = [[], ...roles.map((r) => [r]), ...roles.flatMap((a, i) => roles.slice(i + 1).map((b) => [a, b])), [...roles]];
  return sets.flatMap((r) => ['shimin', 'shiminzei', 'shimin-bu'].map((department) => ({ sub: 'me', name: 'me', roles: r, department })));
}

function resources(profile: RegulationProfile): { resource: Resource; subjects: string[] }[] {
  const owners = scopeOwners(profile);
  const subjects = owners.map((o) => o.articles);
  const finding = (createdBy: string, scope: ScopeId) => ({ createdBy, scope });
  const label = someArticle(profile);
  return [
    ...[
      { createdBy: 'me', lastEditedBy: 'a' },
      { createdBy: 'a', lastEditedBy: 'me' },
      { createdBy: 'a', lastEditedBy: 'a', submittedBy: 'me' },
      { createdBy: 'a', lastEditedBy: 'a' },
    ].map((plan) => ({
      resource: { type: 'plan', plan } as const,
      subjects: [],
    })),
    ...scopeIds.map((scope) => ({
      resource: { type: 'scope', scope, articleLabel: label, owners } as const,
      subjects: [label, ...subjects],
    })),
    { resource: { type: 'department', department: 'shimin', organisation }, subjects: [] },
    ...scopeIds.flatMap((scope) =>
      ['me', 'other'].flatMap((by) => [
        { resource: { type: 'finding', finding: finding(by, scope), owners } as const, subjects },
        ...[undefined, 'me'].map((submittedBy) => ({
          resource: { type: 'action', action: { department: 'shimin', submittedBy, finding: finding(by, scope) }, owners } as const,
          subjects,
        })),
      ]),
    ),
    ...(
      [
        { type: 'plan' },
        { type: 'finding', department: 'shimin', finding: finding('other', 'dx') },
        { type: 'action', department: 'shimin', finding: finding('other', 'lead') },
        { type: 'disposal', department: 'shimin' },
        { type: 'inspection', department: 'shimin' },
        { type: 'contractorCheck', department: 'shimin' },
      ] as const
    ).map((target) => ({ resource: { type: 'evidenceTarget', target, owners, organisation } as const, subjects })),
    ...[{ role: 'sectionManager' as const, department: 'shimin' }, { role: 'auditorDx' as const }, { user: 'someone' }].map((assignee) => ({
      resource: { type: 'task', task: { assignee }, organisation } as const,
      subjects: [],
    })),
  ];
}

/** The rule each own-課 refusal is about: the 点検 of each 課, the 委託先 and their yearly check. */
const ownSectionRules: Partial<Record<Action, ProvisionId>> = {
  'inspection:update': 'inspection',
  'inspection:submit': 'inspection',
  'contractor:create': 'contractor',
  'contractor:update': 'contractor',
  'contractorCheck:complete': 'contractorCheck',
};

/**
 * What a refusal is about: a missing role cites nothing; an own-課 refusal its rule; a
 * scope refusal the fixed scopes of the 監査補助者 (auditScope) when it names the actor's own
 * scope; every other refusal nothing.
 */
function refusalAbout(actor: Actor, action: Action, resource: Resource | undefined, profile: RegulationProfile): About[] {
  if (!resource || !decide(actor, action, undefined, profile).allowed) return [];
  const own = ownSectionRules[action];
  if (resource.type === 'department' && own) return [own];
  if (resource.type === 'scope' && resource.owners.some((o) => actor.roles.includes(o.role))) return ['auditScope'];
  return [];
}

function refusals(profile: RegulationProfile): Rendered[] {
  const seen = new Map<string, Rendered>();
  const all = resources(profile);
  for (const a of actors())
    for (const action of Object.keys(actionRoles) as Action[])
      for (const { resource, subjects } of [{ resource: undefined, subjects: [] }, ...all]) {
        const d = decide(a, action, resource, profile);
        if (d.allowed) continue;
        const about = refusalAbout(a, action, resource, profile);
        const key = `${d.reason} ${about.join('/')}`;
        if (!seen.has(key)) seen.set(key, { what: `decide ${action} on ${resource?.type ?? '—'}`, text: d.reason, subjects, about });
      }
  return [...seen.values()];
}

// ---------------------------------------------------------------- the rest

const outsourced: Pick<Disposal, 'contractor' | 'witness' | 'verifiedPhotoIds'> = {
  contractor: '委託先',
  witness: null,
  verifiedPhotoIds: [],
};

/** With a certificate as proof the message is about what completes the record; with a witness or photo, the regulation's 立会い too. */
function disposalMessages(profile: RegulationProfile): Rendered[] {
  const about: About[] =
    profile.practices.disposalProof === 'certificate' ? ['disposalCompleteness'] : ['disposalCompleteness', 'disposalWitness'];
  return completeness(outsourced, profile).missing.map((text) => ({ what: 'disposal completeness', text, about }));
}

/** The refusal of an article reference that cannot be read, with its example of the regulation's form. */
function articleMessages(profile: RegulationProfile): Rendered[] {
  try {
    resolveArticle(profile, 'きのう');
  } catch (err) {
    const text = (err as Error).message;
    const example = /「([^」]+)」のように/.exec(text)?.[1];
    return [{ what: 'article reference', text, subjects: example ? [example] : [], about: [] }];
  }
  throw new Error('きのう was read as an article');
}

/**
 * The rules each duty comes from: the year's plan from the 監査計画 (001 第26条第2項; practice elsewhere), the
 * 点検 and how often it runs, the yearly check of 委託先, the escalation of overdue actions
 * (practice), the deadlines of the reports to the PPC; the system's own duties are its practice.
 */
const dutyRules: Record<DutyId, About[]> = {
  'annual-plan': ['auditPlan'],
  'section-inspection': ['inspection', 'inspectionFrequency'],
  'contractor-check': ['contractorCheck'],
  'overdue-actions': ['overdueEscalation'],
  'incident-deadlines': ['ppcReport'],
  'training-followup': ['trainingFollowUp'],
  'evidence-pending': ['systemDuty'],
  'audit-anchor': ['systemDuty'],
};

function scheduleDescriptions(profile: RegulationProfile): Rendered[] {
  return dutySchedules(profile).map((s) => ({
    what: `schedule ${s.duty}`,
    text: `${s.description} ${s.source}`,
    about: dutyRules[s.duty],
  }));
}

/** The whole document (its descriptions too), and each route's summary with the rule of its `provision`. */
function openApiTexts(profile: RegulationProfile): Rendered[] {
  return [
    { what: 'OpenAPI document', text: JSON.stringify(openApiDocument(profile.provisions)) },
    ...routeList.map((r) => ({
      what: `summary of ${r.id}`,
      text: routeSummary(r, profile.provisions),
      about: r.provision ? [r.provision] : [],
    })),
  ];
}

/** Deps under the profile with a plan in progress and a 重大な不備 finding on one of its articles. */
async function majorFindingUnder(profile: RegulationProfile) {
  const deps = fakeDeps();
  deps.profile = profile;
  const plan = await planInProgress(deps);
  const article = someArticle(profile, 8);
  const finding = await createFinding(deps, lead, plan.planId, {
    department: 'shimin',
    article,
    rating: 'major',
    title: '件名',
    observation: '事実',
  });
  return { deps, plan, finding, article };
}

/** Deps under the profile with a plan in progress, a finding on one of its articles, and that finding's action overdue. */
async function auditUnder(profile: RegulationProfile): Promise<{ deps: FakeDeps; article: string }> {
  const { deps, finding, article } = await majorFindingUnder(profile);
  const a = await createAction(deps, lead, finding.findingId, { description: '手順書を改訂する', dueDate: '2026-12-31' });
  (deps.store.actionsById.get(a.actionId) as FollowUpAction).dueDate = '2026-05-01';
  return { deps, article };
}

/** The tasks of the reports' deadlines: the reminders the day before and the escalation once passed, of a 事案 of 101 people. */
async function incidentDeadlineTasks(profile: RegulationProfile): Promise<Task[]> {
  const deps = fakeDeps('2026-06-04T00:25:00+09:00');
  deps.profile = profile;
  const input = createIncidentSchema.parse({
    department: 'shimin',
    discoveredAt: '2026-06-01T10:00:00+09:00',
    summary: '住民票の写しを別人に誤送付した',
    category: 'leak',
    records: {
      items: ['氏名'],
      subjects: 101,
      sensitive: false,
      financialHarm: false,
      wrongfulPurpose: false,
      myNumber: false,
      encrypted: false,
    },
  });
  const i = newIncident('01KANSA0000000000000000NC1', input, profile.incidents, 'u', new Date('2026-06-01T10:30:00+09:00'));
  deps.store.incidentsById.set(i.incidentId, i);
  const definition = dutyDefinition(profile, 'incident-deadlines');
  if (!definition) throw new Error('no incident-deadlines duty');
  for (const today of ['2026-06-04', '2026-06-29'])
    await dutyWork['incident-deadlines'](deps, {
      duty: 'incident-deadlines',
      definition,
      period: today,
      instant: `${today}T00:25:00+09:00`,
      today,
    });
  return [...deps.store.tasksById.values()];
}

/** The 再受講 task of a session that ended with a 事務取扱担当者 of 市民課 who missed it. */
async function trainingFollowUpTasks(profile: RegulationProfile): Promise<Task[]> {
  const deps = fakeDeps('2026-08-01T00:35:00+09:00');
  deps.profile = profile;
  const s = person('01KANSA0000000000000000SA1', 'shimin', '安積 一郎');
  const t = session('01KANSA0000000000000000TR1', 2026, '特定個人情報等の取扱研修', { from: '2026-07-01', to: '2026-07-31' });
  deps.store.staffById.set(s.staffId, s);
  deps.store.trainingsById.set(t.trainingId, t);
  const definition = dutyDefinition(profile, 'training-followup');
  if (!definition?.enabled) return [];
  await dutyWork['training-followup'](deps, {
    duty: 'training-followup',
    definition,
    period: '2026-08-01',
    instant: '2026-08-01T00:35:00+09:00',
    today: '2026-08-01',
  });
  return [...deps.store.tasksById.values()];
}

/** The tasks the regulation's duties make (drafting the year's plan, overdue actions, the reports' deadlines), by title and source. */
async function dutyTasks(profile: RegulationProfile): Promise<Rendered[]> {
  const tasks: Task[] = [];
  const run = async (deps: FakeDeps, duty: 'annual-plan' | 'overdue-actions', today: string) => {
    const definition = profile.duties.find((d) => d.duty === duty);
    if (!definition?.enabled) return;
    await dutyWork[duty](deps, { duty, definition, period: today, instant: `${today}T00:00:00+09:00`, today });
  };
  const empty = fakeDeps('2027-04-01T00:00:00Z');
  empty.profile = profile;
  await run(empty, 'annual-plan', '2027-04-01');
  tasks.push(...empty.store.tasksById.values());
  if (profile.provisions.audit) {
    const { deps, article } = await auditUnder(profile);
    await run(deps, 'overdue-actions', '2026-06-01');
    tasks.push(...[...deps.store.tasksById.values()].map((t) => ({ ...t, title: t.title.replace(article, '〔subject〕') })));
  }
  tasks.push(...(await incidentDeadlineTasks(profile)));
  tasks.push(...(await trainingFollowUpTasks(profile)));
  return tasks.map((t) => ({ what: `task ${t.kind}`, text: `${t.title} ${t.source}`, about: dutyRules[t.duty as DutyId] }));
}

/** The plan gates' refusals: reporting with a 要改善 finding without an action, closing with an action not settled. */
async function gateMessages(profile: RegulationProfile): Promise<Rendered[]> {
  if (!profile.provisions.audit) return [];
  const { deps, plan, finding, article } = await majorFindingUnder(profile);
  const report = (await rejection(transitionPlan(deps, lead, plan.planId, 'report', { ifMatch: 4 }))) as Error;
  await createAction(deps, lead, finding.findingId, { description: '手順書を改訂する', dueDate: '2026-12-31' });
  await transitionPlan(deps, lead, plan.planId, 'report', { ifMatch: 4 });
  const close = (await rejection(transitionPlan(deps, chief, plan.planId, 'close', { ifMatch: 5 }))) as Error;
  return [
    { what: 'report gate', text: report.message, subjects: [article], about: ['reportGate'] },
    { what: 'close gate', text: close.message, subjects: [article], about: ['closeGate'] },
  ];
}

// ---------------------------------------------------------------- 委託先 and their 再委託先

const [idA, idB] = ['01KANSA00000000000000000S1', '01KANSA00000000000000000S2'] as const;
const recorded: Subcontractor[] = [
  { subcontractorId: idA, name: '再委託先A', handles: '入力業務' },
  { subcontractorId: idB, name: '再委託先B', handles: '保守' },
];

/** The field errors `run` throws (InvalidInput), each about `about`; none when it passes. */
function fieldErrors(what: string, about: About[], run: () => unknown): Rendered[] {
  try {
    run();
    return [];
  } catch (err) {
    if (!(err instanceof InvalidInput)) throw err;
    return [{ what, text: err.message, about }, ...err.errors.map((e) => ({ what: `${what} ${e.path}`, text: e.message, about }))];
  }
}

/**
 * The 再委託先 of a registration: an id not recorded (no rule), a 許諾 where the regulation
 * has none, a 再委託先 without the 許諾 the regulation requires (subcontractPermission).
 */
function subcontractorMessages(profile: RegulationProfile): Rendered[] {
  const p = profile.provisions;
  const next = () => '01KANSA00000000000000000S9';
  const permission = { grantedOn: '2026-04-01', grantedBy: '管理者' };
  return [
    ...fieldErrors('unknown 再委託先', [], () =>
      subcontractorsOf(p, [{ subcontractorId: '01KANSA00000000000000000S7', name: '再委託先C', handles: '印刷', permission }], [], next),
    ),
    ...fieldErrors('再委託の許諾 given', ['subcontractPermission'], () =>
      subcontractorsOf(p, [{ name: '再委託先C', handles: '印刷', permission }], [], next),
    ),
    ...fieldErrors('再委託の許諾 missing', ['subcontractPermission'], () =>
      subcontractorsOf(p, [{ name: '再委託先C', handles: '印刷' }], [], next),
    ),
  ];
}

/**
 * Completing a 委託先 check: remotely without a reason (contractorOnSite), an answer for a
 * 再委託先 of another contract or twice (no rule), a 再委託先 left unanswered (subcontracting).
 */
function contractorCheckMessages(profile: RegulationProfile): Rendered[] {
  const p = profile.provisions;
  const answer = (subcontractorId: string) => ({ subcontractorId, via: 'direct' as const, result: 'compliant' as const });
  const [a, b] = [answer(idA), answer(idB)];
  return [
    ...fieldErrors('remote check', ['contractorOnSite'], () => assertRemoteReason(p, { method: 'remote' })),
    ...fieldErrors('another contract’s 再委託先', [], () =>
      subcontractorChecksOf(p, recorded, [a, b, answer('01KANSA00000000000000000S7')]),
    ),
    ...fieldErrors('再委託先 answered twice', [], () => subcontractorChecksOf(p, recorded, [a, a, b])),
    ...fieldErrors('再委託先 unanswered', ['subcontracting'], () => subcontractorChecksOf(p, recorded, [a])),
  ];
}

/** The yearly check's task for a 委託先, where the profile has the duty: title and source. */
function contractorCheckTasks(profile: RegulationProfile): Rendered[] {
  const definition = profile.duties.find((d) => d.duty === 'contractor-check');
  if (!definition?.enabled) return [];
  const deps = fakeDeps();
  deps.profile = profile;
  const contractor: Contractor = {
    contractorId: '01KANSA00000000000000000C1',
    name: '株式会社委託',
    department: 'shimin',
    handles: '住民情報',
    contractFrom: '2026-04-01',
    contractTo: '2027-03-31',
    subcontractors: recorded,
    version: 1,
    createdBy: 'shimin-kacho',
    createdAt: '2026-04-01T00:00:00Z',
    updatedAt: '2026-04-01T00:00:00Z',
  };
  const { task } = openContractorCheck(deps, lead, '2026-06-01T00:00:00Z', { definition, period: 'FY2026', fiscalYear: 2026, contractor });
  return [{ what: 'task contractorCheck', text: `${task.title} ${task.source}`, about: ['contractorCheck', 'contractorOnSite'] }];
}

function samplePlanReport(profile: RegulationProfile): PlanReport {
  const input = planInput();
  return {
    plan: {
      ...input,
      planId: '01KANSA0000000000000000001',
      criteria: profile.regulation,
      status: 'approved',
      revision: 1,
      version: 3,
      createdBy: 'lead-1',
      lastEditedBy: 'lead-1',
      createdAt: '2026-06-01T00:00:00Z',
      updatedAt: '2026-06-01T00:00:00Z',
      approvedBy: 'chief-1',
      approvedAt: '2026-06-02T00:00:00Z',
    } as PlanReport['plan'],
    organisation,
    profile,
    findings: [],
    actions: [],
    at: new Date('2026-06-03T00:00:00Z'),
  };
}

async function reportTexts(profile: RegulationProfile): Promise<Rendered[]> {
  const r = samplePlanReport(profile);
  const { default: ExcelJS } = await import('exceljs');
  const xlsx = async (withResults: boolean) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderPlanXlsx(r, withResults)) as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((sheet) => {
      cells.push(sheet.name);
      sheet.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    });
    return cells.join('\n');
  };
  return [
    { what: 'plan form', text: planFormLabel(profile.provisions), about: ['planForm'] },
    { what: 'report recipient', text: reportTarget(r), about: ['auditReport'] },
    { what: 'plan HTML', text: renderPlanHtml(r, false) },
    { what: 'report HTML', text: renderPlanHtml(r, true) },
    { what: 'plan XLSX', text: await xlsx(false) },
    { what: 'report XLSX', text: await xlsx(true) },
  ];
}

// ---------------------------------------------------------------- 点検

/** The organisation with the 課 003's 別表 names (総務課, of its 総務課長), so that every profile opens its 点検. */
const withGeneralAffairs: Organisation = {
  departments: [...organisation.departments, { code: 'somu', name: '総務課', division: 'seisaku-bu' }],
};

/**
 * The 点検 tasks under the profile, by title and source: the section-inspection duty's (the
 * 課's, and on a joint 点検 the chief's opened with it), and those a submission opens (the
 * chief's report task where a report is made).
 */
async function inspectionTasks(profile: RegulationProfile): Promise<Rendered[]> {
  const definition = profile.duties.find((d) => d.duty === 'section-inspection');
  if (!definition?.enabled) return [];
  const deps = fakeDeps('2027-04-01T00:00:00Z');
  deps.profile = profile;
  deps.organisation = withGeneralAffairs;
  const report = applies(profile.provisions, 'inspectionReport') ? { reportToChief: { needed: true, reason: '施錠の不備' } } : {};
  const instant = '2027-04-01T00:00:00+09:00';
  const { period, today } = dutyPeriod(new Date(instant), definition.frequency);
  await dutyWork['section-inspection'](deps, { duty: 'section-inspection', definition, period, instant, today });
  for (const opened of deps.store.inspectionsById.values()) {
    const manager = actor(`${opened.department}-manager`, ['sectionManager'], opened.department);
    const answers = opened.checklist.map((_, index) => ({ index, result: 'ok' as const, note: '' }));
    await updateInspection(deps, manager, opened.inspectionId, { answers }, {});
    await submitInspection(deps, manager, opened.inspectionId, report, {});
  }
  // The 課's task is about the 点検; the chief's is about the report it received, or, on a joint
  // 点検, about the 点検 and its 見直し (003: both 第30条).
  const about = (t: { assignee: { role?: string } | { user: string } }): About[] =>
    'role' in t.assignee && t.assignee.role === 'chiefManager'
      ? profile.inspections?.jointWith
        ? ['inspection', 'review']
        : ['inspectionReport']
      : ['inspection'];
  return [...deps.store.tasksById.values()].map((t) => ({
    what: `task ${t.kind} (${t.duty})`,
    text: `${t.title} ${t.source}`,
    about: about(t),
  }));
}

/** What `reportOnSubmit` says: the judgment missing, a report without its reason, a report the regulation does not know. */
function reportMessages(profile: RegulationProfile): Rendered[] {
  const inputs = [{}, { reportToChief: { needed: true, reason: '' } }, { reportToChief: { needed: false, reason: '' } }];
  return inputs.flatMap((input) => {
    try {
      reportOnSubmit(profile, input);
      return [];
    } catch (err) {
      return [{ what: 'reportOnSubmit', text: (err as Error).message, about: ['inspectionReport'] as About[] }];
    }
  });
}

/** The refusals of the inspection actions on a joint 点検 (its 課, its evidence, its 見直し). */
function jointRefusals(profile: RegulationProfile): Rendered[] {
  const jointWith = profile.inspections?.jointWith ?? 'chiefManager';
  const joint: Resource[] = [
    { type: 'department', department: 'shimin', organisation, jointWith },
    { type: 'evidenceTarget', target: { type: 'inspection', department: 'shimin', jointWith }, owners: [], organisation },
    { type: 'inspectionReview', inspection: { submittedBy: 'me', lastEditedBy: 'me', jointWith } },
  ];
  const seen = new Map<string, Rendered>();
  for (const a of actors())
    for (const action of ['inspection:update', 'inspection:submit', 'evidence:create', 'inspection:review'] as const)
      for (const resource of joint) {
        const d = decide(a, action, resource, profile);
        if (!d.allowed && !seen.has(d.reason)) seen.set(d.reason, { what: `decide ${action} on a joint ${resource.type}`, text: d.reason });
      }
  return [...seen.values()];
}

async function inspectionTexts(profile: RegulationProfile): Promise<Rendered[]> {
  return [...(await inspectionTasks(profile)), ...reportMessages(profile), ...jointRefusals(profile)];
}

async function everything(profile: RegulationProfile): Promise<Rendered[]> {
  return [
    ...refusals(profile),
    ...disposalMessages(profile),
    ...articleMessages(profile),
    ...scheduleDescriptions(profile),
    ...openApiTexts(profile),
    ...(await dutyTasks(profile)),
    ...(await gateMessages(profile)),
    ...subcontractorMessages(profile),
    ...contractorCheckMessages(profile),
    ...contractorCheckTasks(profile),
    ...(await reportTexts(profile)),
    ...(await inspectionTexts(profile)),
  ];
}

describe('every message that can cite an article, under each profile', () => {
  it.each(cases)('%s: every article named is in the catalogue, and every rule cited is the profile’s own', async (_name, profile) => {
    const rendered = await everything(profile);
    expect(rendered.length).toBeGreaterThan(20);
    expect(wrongReferences(profile, rendered)).toEqual([]);
  });

  it.each(cases)(
    '%s: each message whose rule is known cites exactly that rule, and nothing where the profile lacks it',
    async (_name, profile) => {
      const rendered = (await everything(profile)).filter((r) => r.about !== undefined);
      // Refusals, route summaries, the schedule, gates, disposal, 委託先: the exact check covers them all.
      expect(rendered.length).toBeGreaterThan(routeList.length + 20);
      expect(wrongCitations(profile, rendered)).toEqual([]);
    },
  );

  it('the checker finds 001’s articles under 004, the other style, and an article cited for the wrong rule', () => {
    // 004 第18条 (アクセス制御) has two 項, and no rule of 004 is there.
    expect(wrongReferences(kuki, [{ what: 't', text: '必要です（第18条4項）' }])).toEqual([
      expect.stringContaining('第18条第4項 (no such 項)'),
      expect.stringContaining('第18条第4項 (not the article of any rule of 004)'),
    ]);
    expect(wrongReferences(nara, [{ what: 't', text: '（第27条）' }])[0]).toContain('the other style');
    expect(wrongReferences(koriyama, [{ what: 't', text: '（第５の７）' }])[0]).toContain('the other style');
    // 第27条 is in 004's catalogue (端末の限定等), but no rule of 004 is there.
    expect(wrongReferences(kuki, [{ what: 't', text: '（第27条）' }])).toEqual([expect.stringContaining('not the article of any rule')]);
    expect(wrongReferences(koka, [{ what: 't', text: '第９条' }])[0]).toContain('no such article');
    expect(wrongReferences(koriyama, [{ what: 't', text: '第17条の2', subjects: ['第17条の2'] }])).toEqual([]);
  });

  it('the exact check finds an article of another rule, a rule called practice, a missing citation, and one the profile lacks', () => {
    // 第43条 is 004's 点検: right for inspection, wrong on its disposal message.
    const disposal = '委託による消去・廃棄には、職員の立会いの記録が必要です（運用上のルール。第43条）。';
    expect(wrongCitations(kuki, [{ what: 't', text: disposal, about: ['disposalCompleteness', 'disposalWitness'] }])).toEqual([
      expect.stringContaining('第43条 (not the article of disposalCompleteness/disposalWitness)'),
      expect.stringContaining('no citation of disposalCompleteness/disposalWitness (第15条第2項)'),
    ]);
    // Right article, but the rest of the sentence cites another of 004's rules.
    expect(wrongCitations(kuki, [{ what: 't', text: '（第15条第2項。第36条）', about: ['disposalWitness'] }])).toEqual([
      expect.stringContaining('第36条 (not the article of disposalWitness)'),
    ]);
    expect(wrongCitations(kuki, [{ what: 't', text: '点検結果の提出（運用上のルール）', about: ['inspection'] }])).toEqual([
      expect.stringContaining('運用上のルール (inspection is not practice)'),
      expect.stringContaining('no citation of inspection (第43条)'),
    ]);
    expect(wrongCitations(kuki, [{ what: 't', text: '点検結果の提出は保護管理者のみが行えます。', about: ['inspection'] }])).toEqual([
      expect.stringContaining('no citation of inspection'),
    ]);
    // 003 has no yearly check of 委託先: citing its 委託先 article (第26条) for one is wrong.
    expect(wrongCitations(koka, [{ what: 't', text: '委託先の検査結果の記録（第26条）', about: ['contractorCheck'] }])).toEqual([
      expect.stringContaining('第26条 (not the article of contractorCheck)'),
    ]);
    expect(wrongCitations(koka, [{ what: 't', text: '監査計画（運用上のルール）', about: ['auditPlan'] }])).toEqual([
      expect.stringContaining('運用上のルール (auditPlan is not practice)'),
    ]);
    expect(wrongCitations(koka, [{ what: 't', text: '拒否します（第30条）。', about: [] }])).toEqual([
      expect.stringContaining('第30条 (not the article of no rule)'),
    ]);
    // What a message is about is not a citation; the same texts with their own rules pass.
    expect(
      wrongCitations(kuki, [
        { what: 't', text: '第9条（市民課）: 報告できません（運用上のルール）', subjects: ['第9条'], about: ['reportGate'] },
        { what: 't', text: '点検結果の提出（第43条）', about: ['inspection'] },
      ]),
    ).toEqual([]);
    expect(wrongCitations(koka, [{ what: 't', text: '委託先の検査結果の記録', about: ['contractorCheck'] }])).toEqual([]);
  });

  it('再委託先 and remote checks cite their own rule under each profile, and nothing where it has none', () => {
    const texts = (p: RegulationProfile) => [...subcontractorMessages(p), ...contractorCheckMessages(p)].map((r) => r.text);
    expect(texts(koriyama)).toContain(
      '実地検査によらない場合は、その理由（remoteReason）を入力してください（第22条第4項: 原則として実地検査）。',
    );
    // 004 第36条第1項第2号 has the contract state 事前承認等: a 許諾 is recorded, never asked for or refused.
    expect(texts(kuki).join('\n')).not.toContain('許諾');
    expect(texts(nara)).toContain(
      '再委託先「再委託先C」の許諾（許諾日と許諾した者）を入力してください。再委託には許諾が必要です（第8の8）。',
    );
    expect(texts(koka)).toContain(
      '再委託先「再委託先B」について、委託先を通じて又は委託元自らが行った確認とその結果を入力してください（第26条第2項）。',
    );
    // 002 (定期的検査等) and 003 do not say 原則として実地検査: a remote check needs no reason.
    for (const p of [nara, koka]) expect(texts(p).join('\n')).not.toContain('remoteReason');
    // 001's 許諾 (第22条第9項) covers only 個人番号利用事務等: asked for nowhere, refused nowhere.
    expect(texts(koriyama).join('\n')).not.toContain('許諾');
  });

  it('the yearly check’s task cites 原則として実地検査 where the regulation says it; 003 opens none', () => {
    const title = (p: RegulationProfile) => contractorCheckTasks(p)[0]?.text;
    expect(title(koriyama)).toBe('委託先「株式会社委託」の令和8年度の検査（第22条第4項: 原則として実地検査） 第22条第4項');
    expect(title(kuki)).toBe('委託先「株式会社委託」の令和8年度の検査（第36条第3項: 原則として実地検査） 第36条第3項');
    expect(title(nara)).toBe('委託先「株式会社委託」の令和8年度の検査（第8の5） 第8の5');
    expect(contractorCheckTasks(koka)).toEqual([]);
  });

  it('rules are cited by what they are about: 004’s disposal message cites 第15条第2項, never 第18条', () => {
    const [message] = disposalMessages(kuki);
    expect(message?.text).toContain('（運用上のルール。第15条第2項: 必要に応じて立会い又は写真等を付した書類）');
    expect(message?.text).not.toMatch(/第18条/);
    expect(disposalMessages(koka)[0]?.text).toContain('第35条第2項');
    expect(disposalMessages(nara)[0]?.text).toContain('第5の8');
  });

  it('an unreadable article reference is shown the form of the active regulation', () => {
    expect(articleMessages(nara)[0]?.text).toBe('条項「きのう」を解釈できません。「第1の1」のように指定してください。');
    expect(articleMessages(koriyama)[0]?.text).toBe('条項「きのう」を解釈できません。「第4条第1項」のように指定してください。');
  });

  it('own-課 refusals cite the profile’s 点検 and 委託先 rules and name its roles', () => {
    const other: Actor = actor('x', ['sectionManager'], 'shiminzei');
    const dept = { type: 'department', department: 'shimin', organisation } as const;
    const reason = (p: RegulationProfile, a: Action) => {
      const d = decide(other, a, dept, p);
      return d.allowed ? '' : d.reason;
    };
    expect(reason(kuki, 'inspection:submit')).toBe('点検結果の提出は、その課の保護管理者のみが行えます（第43条）。');
    expect(reason(nara, 'contractorCheck:complete')).toBe(
      '委託先の検査結果の記録は、委託する課の特定個人情報保護責任者のみが行えます（第8の5）。',
    );
    expect(reason(koka, 'contractor:create')).toBe('委託先の登録は、委託する課の事務取扱責任者のみが行えます（第26条）。');
    // 003 sets no periodic check of 委託先: nothing to cite.
    expect(reason(koka, 'contractorCheck:complete')).toBe('委託先の検査結果の記録は、委託する課の事務取扱責任者のみが行えます。');
  });

  it('a role the regulation lacks is left out of a refusal', () => {
    const staff: Actor = actor('s', ['sectionStaff'], 'shiminzei');
    const d = decide(staff, 'disposal:create', { type: 'department', department: 'shimin', organisation }, koka);
    expect(d).toEqual({ allowed: false, reason: '消去・廃棄の記録は、自分の課の事務取扱責任者・事務取扱担当者のみが登録できます。' });
    expect(decide(actor('c', ['chiefManager']), 'plan:create', undefined, koka)).toEqual({
      allowed: false,
      reason: '監査計画の起案を行う役職は、この規程にはありません。',
    });
    const seeing = decide(staff, 'action:read', { type: 'department', department: 'shimin', organisation }, kuki);
    expect(seeing).toEqual({ allowed: false, reason: '自分の所属する課のもののみ参照できます。' });
  });

  it('the plan is printed on 001’s 様式第4号（第26条関係）; 003 and 004 have no form and print none', async () => {
    expect(renderPlanHtml(samplePlanReport(koriyama), false)).toContain('<p class="form">様式第4号（第26条関係）</p>');
    for (const p of [koka, kuki, nara, withPractices(koka, { audits: true })]) {
      const html = renderPlanHtml(samplePlanReport(p), false);
      expect(html).not.toContain('様式');
      expect(html).not.toContain('第26条');
    }
    expect(renderPlanHtml(samplePlanReport(kuki), true)).toContain('報告先\u3000総括保護管理者（第42条）');
  });

  it('the schedule marks a practised 点検 interval as such, and 003’s as its regulation’s', () => {
    const inspection = (p: RegulationProfile) => dutySchedules(p).find((s) => s.duty === 'section-inspection')?.description;
    expect(inspection(kuki)).toBe('課ごとの点検（第43条）: 四半期ごと（4・7・10・1月の1日、運用上のルール） 00:10 日本時間');
    expect(inspection(koka)).toBe('課ごとの点検（第30条）: 毎年4月1日 00:10 日本時間');
  });

  it('route summaries cite the profile: 004 cites 第36条第3項 for the 委託先 check, 002 plan approval as practice', () => {
    const summary = (p: RegulationProfile, op: string) =>
      Object.values(
        (openApiDocument(p.provisions) as { paths: Record<string, Record<string, { operationId: string; summary: string }>> }).paths,
      )
        .flatMap((m) => Object.values(m))
        .find((o) => o.operationId === op)?.summary;
    expect(summary(kuki, 'completeContractorCheck')).toBe('委託先の検査結果を記録する（第36条第3項）');
    expect(summary(nara, 'approvePlan')).toBe('監査計画を承認する（起案・編集・提出した者以外、運用上のルール）');
    expect(summary(koka, 'approvePlan')).toBe('監査計画を承認する（起案・編集・提出した者以外）');
    expect(summary(koriyama, 'createFinding')).toBe('監査所見を記録する（監査範囲の決まった監査員は自らの範囲のみ、第7条の2第3項）');
  });
});

describe('点検 tasks and the report judgment, under each profile', () => {
  const titles = async (p: RegulationProfile) => (await inspectionTasks(p)).map((r) => r.text);

  it.each([
    [koriyama, '（第27条）', '総括保護管理者'],
    [nara, '（第10の2）', '特定個人情報保護総括責任者'],
    [kuki, '（第43条）', '総括保護管理者'],
  ] as const)('%#: the 課’s task and the chief’s report task cite the regulation’s report article', async (p, cited, chiefTitle) => {
    const texts = await titles(p);
    expect(texts.some((t) => /の点検（.+）/.test(t))).toBe(true);
    expect(texts.filter((t) => t.includes('の点検結果の報告')).every((t) => t.includes(`の点検結果の報告${cited}`))).toBe(true);
    expect(texts.some((t) => t.includes('の点検結果の報告'))).toBe(true);
    for (const m of reportMessages(p)) {
      expect(m.text).toContain(chiefTitle);
      expect(m.text).toContain(cited);
    }
  });

  it('003: the joint 点検 names both owners and 第30条 in every task; the report is refused without citing any article', async () => {
    const texts = await titles(koka);
    expect(texts).toEqual(
      expect.arrayContaining([
        '総務課 令和9年度の点検（総括責任者及び事務取扱責任者、第30条） 第30条',
        '総務課 令和9年度の点検及び安全管理措置の見直し（総括責任者及び事務取扱責任者、第30条） 第30条',
      ]),
    );
    for (const t of texts) expect(t).not.toMatch(/第27条|第28条/);
    const messages = new Set(reportMessages(koka).map((m) => m.text));
    expect([...messages]).toEqual(['この規程には、点検の結果を総括責任者に報告する定めがありません。reportToChief は指定できません。']);
  });
});

// ---------------------------------------------------------------- no article literal in code

/** An article number written in code: 「第27条」, 「第5の7」 (comments may cite 001 to explain). */
const articleLiteral = /第\s*[0-9０-９]+\s*(条|の[0-9０-９])/;
const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path, ext);
    return ext.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The lines of every string, template, regular expression and JSX text of a file's code that holds an article number. */
function articleLiterals(fileName: string, text: string): number[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node) ||
        ts.isRegularExpressionLiteral(node) ||
        ts.isJsxText(node)) &&
      articleLiteral.test(node.getText(file))
    )
      lines.push(file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return lines;
}

describe('no article number in code: every one comes from the active profile', () => {
  it('lib (but its profiles) and web/src hold no article literal outside comments', () => {
    const files = [
      ...sourceFiles(join(root, 'lib'), /\.ts$/).filter((f) => !relative(root, f).startsWith(join('lib', 'profiles'))),
      ...sourceFiles(join(root, 'web', 'src'), /\.tsx?$/),
    ];
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((f) => articleLiterals(f, readFileSync(f, 'utf8')).map((line) => `${relative(root, f)}:${line}`));
    expect(hits).toEqual([]);
  });

  it('the guard sees strings, templates, regular expressions and JSX, and not comments', () => {
    expect(articleLiterals('x.ts', "const a = '（第27条）';")).toEqual([1]);
    expect(articleLiterals('x.ts', 'const a = 1;\nconst b = `${a}（第１０の２）`;')).toEqual([2]);
    expect(articleLiterals('x.ts', 'const a = /第 7 条/;')).toEqual([1]);
    expect(articleLiterals('x.tsx', 'const a = <p>第22条第4項</p>;')).toEqual([1]);
    expect(articleLiterals('x.ts', '// 第27条: the 保護管理者 inspects\nconst a = 1;')).toEqual([]);
    expect(articleLiterals('x.ts', '/** 第18条4項 */\nconst a = "様式第4号";')).toEqual([]);
  });
});
