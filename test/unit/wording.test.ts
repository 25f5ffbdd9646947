import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createAction } from '#lib/app/actions.js';
import { dutyWork } from '#lib/app/duty-work.js';
import { createFinding } from '#lib/app/findings.js';
import { submitInspection, updateInspection } from '#lib/app/inspections.js';
import { transitionPlan } from '#lib/app/plans.js';
import type { PlanReport } from '#lib/app/reports.js';
import { scopeOwners } from '#lib/app/scope-owners.js';
import type { FollowUpAction } from '#lib/domain/action.js';
import { compareArticles, formatArticleRef, normalizeReference, parseArticleRef } from '#lib/domain/articles.js';
import { dutyPeriod } from '#lib/domain/calendar.js';
import { type Disposal, completeness } from '#lib/domain/disposal.js';
import { reportOnSubmit } from '#lib/domain/inspection.js';
import type { Organisation } from '#lib/domain/organisation.js';
import { type Action, type Resource, actionRoles, decide } from '#lib/domain/permissions.js';
import { applies } from '#lib/domain/provisions.js';
import { type Actor, type Role, roles } from '#lib/domain/roles.js';
import { type ScopeId, resolveArticle, scopeIds } from '#lib/domain/scopes.js';
import type { Task } from '#lib/domain/task.js';
import { openApiDocument } from '#lib/http/openapi.js';
import { dutySchedules } from '#lib/jobs/schedule.js';
import { koka } from '#lib/profiles/koka.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { kuki } from '#lib/profiles/kuki.js';
import { nara } from '#lib/profiles/nara.js';
import { withPractices } from '#lib/profiles/practices.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import { renderPlanHtml } from '#lib/reports/html.js';
import { renderPlanXlsx } from '#lib/reports/xlsx.js';
import { type FakeDeps, actor, chief, fakeDeps, lead, organisation, planInProgress, planInput, rejection } from './fakes.js';

/**
 * Every message kansa produces that can cite an article, rendered under each profile:
 * each article it names must be in that profile's catalogue (in its style: 第27条 or
 * 第10の2), and each it cites for a rule must be the article of one of the profile's
 * provisions, duties or auditor scopes. What a message is about (a finding's article, an
 * auditor's scope) is named as its subject: it must be in the catalogue, nothing more.
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

interface Rendered {
  /** Where it comes from, for the failure message. */
  what: string;
  text: string;
  /** What the message is about (a finding's article, a scope's articles): in the catalogue, not a rule's citation. */
  subjects?: readonly string[];
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

function refusals(profile: RegulationProfile): Rendered[] {
  const seen = new Map<string, Rendered>();
  const all = resources(profile);
  for (const a of actors())
    for (const action of Object.keys(actionRoles) as Action[])
      for (const { resource, subjects } of [{ resource: undefined, subjects: [] }, ...all]) {
        const d = decide(a, action, resource, profile);
        if (!d.allowed && !seen.has(d.reason))
          seen.set(d.reason, { what: `decide ${action} on ${resource?.type ?? '—'}`, text: d.reason, subjects });
      }
  return [...seen.values()];
}

// ---------------------------------------------------------------- the rest

const outsourced: Pick<Disposal, 'contractor' | 'witness' | 'verifiedPhotoIds'> = {
  contractor: '委託先',
  witness: null,
  verifiedPhotoIds: [],
};

function disposalMessages(profile: RegulationProfile): Rendered[] {
  return completeness(outsourced, profile).missing.map((text) => ({ what: 'disposal completeness', text }));
}

/** The refusal of an article reference that cannot be read, with its example of the regulation's form. */
function articleMessages(profile: RegulationProfile): Rendered[] {
  try {
    resolveArticle(profile, 'きのう');
  } catch (err) {
    const text = (err as Error).message;
    const example = /「([^」]+)」のように/.exec(text)?.[1];
    return [{ what: 'article reference', text, subjects: example ? [example] : [] }];
  }
  throw new Error('きのう was read as an article');
}

function scheduleDescriptions(profile: RegulationProfile): Rendered[] {
  return dutySchedules(profile).map((s) => ({ what: `schedule ${s.duty}`, text: `${s.description} ${s.source}` }));
}

function openApiTexts(profile: RegulationProfile): Rendered[] {
  return [{ what: 'OpenAPI document', text: JSON.stringify(openApiDocument(profile.provisions)) }];
}

/** Deps under the profile with a plan in progress, a finding on one of its articles, and that finding's action overdue. */
async function auditUnder(profile: RegulationProfile): Promise<{ deps: FakeDeps; article: string }> {
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
  const a = await createAction(deps, lead, finding.findingId, { description: '手順書を改訂する', dueDate: '2026-12-31' });
  (deps.store.actionsById.get(a.actionId) as FollowUpAction).dueDate = '2026-05-01';
  return { deps, article };
}

/** The tasks the regulation's duties make (drafting the year's plan, overdue actions), by title and source. */
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
  return tasks.map((t) => ({ what: `task ${t.kind}`, text: `${t.title} ${t.source}` }));
}

/** The plan gates' refusals: reporting with a 要改善 finding without an action, closing with an action not settled. */
async function gateMessages(profile: RegulationProfile): Promise<Rendered[]> {
  if (!profile.provisions.audit) return [];
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
  const report = (await rejection(transitionPlan(deps, lead, plan.planId, 'report', { ifMatch: 4 }))) as Error;
  await createAction(deps, lead, finding.findingId, { description: '手順書を改訂する', dueDate: '2026-12-31' });
  await transitionPlan(deps, lead, plan.planId, 'report', { ifMatch: 4 });
  const close = (await rejection(transitionPlan(deps, chief, plan.planId, 'close', { ifMatch: 5 }))) as Error;
  return [
    { what: 'report gate', text: report.message, subjects: [article] },
    { what: 'close gate', text: close.message, subjects: [article] },
  ];
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
 * chief's report task where a report is made; the 見直し task of a joint 点検 opened before
 * its chief's task came with it, rendered from a second period's).
 */
async function inspectionTasks(profile: RegulationProfile): Promise<Rendered[]> {
  const definition = profile.duties.find((d) => d.duty === 'section-inspection');
  if (!definition?.enabled) return [];
  const deps = fakeDeps('2027-04-01T00:00:00Z');
  deps.profile = profile;
  deps.organisation = withGeneralAffairs;
  const report = applies(profile.provisions, 'inspectionReport') ? { reportToChief: { needed: true, reason: '施錠の不備' } } : {};
  for (const [n, instant] of ['2027-04-01T00:00:00+09:00', '2028-04-01T00:00:00+09:00'].entries()) {
    const { period, today } = dutyPeriod(new Date(instant), definition.frequency);
    await dutyWork['section-inspection'](deps, { duty: 'section-inspection', definition, period, instant, today });
    for (const opened of [...deps.store.inspectionsById.values()].filter((i) => i.period === period)) {
      if (n === 1) delete opened.reviewTaskId;
      const manager = actor(`${opened.department}-manager`, ['sectionManager'], opened.department);
      const answers = opened.checklist.map((_, index) => ({ index, result: 'ok' as const, note: '' }));
      await updateInspection(deps, manager, opened.inspectionId, { answers }, {});
      await submitInspection(deps, manager, opened.inspectionId, report, {});
    }
  }
  return [...deps.store.tasksById.values()].map((t) => ({ what: `task ${t.kind} (${t.duty})`, text: `${t.title} ${t.source}` }));
}

/** What `reportOnSubmit` says: the judgment missing, a report without its reason, a report the regulation does not know. */
function reportMessages(profile: RegulationProfile): Rendered[] {
  const inputs = [{}, { reportToChief: { needed: true, reason: '' } }, { reportToChief: { needed: false, reason: '' } }];
  return inputs.flatMap((input) => {
    try {
      reportOnSubmit(profile, input);
      return [];
    } catch (err) {
      return [{ what: 'reportOnSubmit', text: (err as Error).message }];
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
        '総務課 令和10年度の点検を踏まえた安全管理措置の見直し（第30条） 第30条',
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
