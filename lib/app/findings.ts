import { allowedIn, authorizeIn } from './authorize.js';
import { Conflict, InvalidInput, NotFound } from '#lib/domain/errors.js';
import {
  type CreateFindingInput,
  type Finding,
  type FindingRecord,
  type UpdateFindingInput,
  findingRecordArticles,
} from '#lib/domain/finding.js';
import { type ArticleRef, formatArticleRef, sameArticle } from '#lib/domain/articles.js';
import { type Plan, planStatusLabels } from '#lib/domain/plan.js';
import type { Actor } from '#lib/domain/roles.js';
import { type ScopeId, resolveArticle } from '#lib/domain/scopes.js';
import { type Precondition, change, commitAsked } from './changes.js';
import type { Deps, Page, PageRequest } from './ports.js';
import { scopeOwners } from './scope-owners.js';
import { listDepartment, loadFor, loadVisible, notFoundOf, ofRegister } from './visibility.js';
import { allActionsOfPlan } from './plan-children.js';
import { assertEvidenceOf } from './evidence-links.js';

/**
 * 監査所見 use cases (第26条, 第7条の2第3項): each finding is on one article of the
 * regulation and one audited 課; the article decides whose scope it is in.
 */

/** 409 unless the plan is in progress. */
function assertAuditable(plan: Plan): void {
  if (plan.status !== 'inProgress') {
    throw new Conflict(
      `監査所見は「監査実施中」の監査計画にのみ記録・編集できます（現在: ${planStatusLabels[plan.status]}）。`,
      'plan-not-in-progress',
    );
  }
}

function assertAudited(plan: Plan, department: string): void {
  if (!plan.auditedDepartments.includes(department)) {
    throw new InvalidInput(
      `課「${department}」はこの監査計画の被監査部門ではありません（${plan.auditedDepartments.join('、')}）。`,
      [{ path: 'department', message: '被監査部門ではありません。' }],
      'department-not-audited',
    );
  }
}

/** A 事案 a finding refers to must exist and be visible to the auditor (400 otherwise, naming nothing more). */
async function assertIncidentSeen(deps: Deps, actor: Actor, incidentId: string | undefined): Promise<void> {
  if (incidentId === undefined) return;
  try {
    await loadVisible(deps, actor, 'incident', incidentId);
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
    const message = `事案 ${incidentId} は見つかりません。`;
    throw new InvalidInput(message, [{ path: 'incidentId', message }], 'incident-not-found');
  }
}

const recordLabels: Record<FindingRecord['type'], string> = { staffRegister: '職員名簿', trainingAttendance: '研修の受講状況' };

const badRecord = (message: string, code: string, path = 'record') => new InvalidInput(message, [{ path, message }], code);

/**
 * A record a finding cites must be of the rule its article is (compared article to article, 項
 * aside: 第11条第5項 fits a session of 第11条第2項), of the finding's 課, and there for the auditor
 * to read: a session that does not exist, or a 課 whose register they may not read, is a 400.
 */
async function assertRecordFits(
  deps: Deps,
  actor: Actor,
  finding: { article: ArticleRef; articleLabel: string; department: string },
  record: FindingRecord | undefined,
): Promise<void> {
  if (record === undefined) return;
  const what = recordLabels[record.type];
  const articles = findingRecordArticles(deps.profile.provisions, record.type);
  if (!articles.some((a) => sameArticle(a, finding.article))) {
    const named = [...new Set(articles.map((a) => formatArticleRef(a, deps.profile.referenceStyle)))];
    throw badRecord(
      named.length === 0
        ? `${deps.profile.regulation}には${what}を引用できる条項がありません。`
        : `${what}を引用できるのは${named.join('、')}の監査所見のみです（この監査所見は${finding.articleLabel}）。`,
      'record-not-on-article',
    );
  }
  if (record.department !== undefined && record.department !== finding.department)
    throw badRecord(
      `引用する${what}は、監査所見の課（${finding.department}）のものを指定してください。`,
      'record-department',
      'record.department',
    );
  if (record.type === 'staffRegister') {
    if (!allowedIn(deps, actor, 'staff:list', ofRegister(deps, 'staff', record.department)))
      throw badRecord(`課「${record.department}」の職員名簿は見つかりません。`, 'register-not-found', 'record.department');
    return;
  }
  try {
    await loadVisible(deps, actor, 'training', record.trainingId);
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
    throw badRecord(`研修 ${record.trainingId} は見つかりません。`, 'training-not-found', 'record.trainingId');
  }
  if (record.department !== undefined && !allowedIn(deps, actor, 'attendance:read', ofRegister(deps, 'training', record.department)))
    throw badRecord(`課「${record.department}」の受講状況は見つかりません。`, 'attendance-not-found', 'record.department');
}

/** Route the article to its scope and check the actor may record in it (403 names the scope). */
function scoped(deps: Deps, actor: Actor, article: CreateFindingInput['article']) {
  const resolved = resolveArticle(deps.profile, article);
  authorizeIn(deps, actor, 'finding:create', {
    type: 'scope',
    scope: resolved.scope,
    articleLabel: resolved.label,
    owners: scopeOwners(deps.profile),
  });
  return resolved;
}

/** Record a finding on an `inProgress` plan, for one of its audited 課, inside the recorder's scope. */
export async function createFinding(deps: Deps, actor: Actor, planId: string, input: CreateFindingInput): Promise<Finding> {
  const plan = await loadFor(deps, actor, 'plan', planId, 'finding:create');
  const resolved = scoped(deps, actor, input.article);
  assertAuditable(plan);
  assertAudited(plan, input.department);
  await assertIncidentSeen(deps, actor, input.incidentId);
  await assertRecordFits(deps, actor, { article: resolved.ref, articleLabel: resolved.label, department: input.department }, input.record);
  const findingId = deps.ids.next();
  // Evidence of a finding is registered with the finding as its target, so a new one has
  // none yet: any id given here is refused (attach it with PATCH once it is uploaded).
  await assertEvidenceOf(deps, { type: 'finding', id: findingId }, input.evidenceIds ?? []);
  const now = deps.clock.now().toISOString();
  const { article: _article, evidenceIds, ...fields } = input;
  const finding: Finding = {
    ...fields,
    findingId,
    planId,
    fiscalYear: plan.fiscalYear,
    article: resolved.ref,
    articleLabel: resolved.label,
    articleTitle: resolved.entry.title,
    scope: resolved.scope,
    evidenceIds: evidenceIds ?? [],
    version: 1,
    createdBy: actor.sub,
    createdAt: now,
    lastEditedBy: actor.sub,
    updatedAt: now,
  };
  // The plan must still be in progress when the finding lands.
  await deps.writer.commit(
    [change(deps, actor, now, 'finding', finding.findingId, 'finding.created', null, finding)],
    [{ entityType: 'plan', entityId: planId, version: plan.version, bumpChildren: true }],
  );
  return finding;
}

/** Findings of a plan by scope and 課; section roles see their own 課 only; a role that reads no findings gets 404. */
export async function listFindings(
  deps: Deps,
  actor: Actor,
  planId: string,
  query: { scope?: ScopeId | undefined; department?: string | undefined } & PageRequest,
): Promise<Page<Finding>> {
  if (!allowedIn(deps, actor, 'finding:list')) throw notFoundOf('plan');
  const department = listDepartment(deps, actor, 'finding:list', query.department);
  return deps.findings.list(planId, { ...query, department });
}

/** One finding; one the caller may not see is 404. */
export async function getFinding(deps: Deps, actor: Actor, findingId: string): Promise<Finding> {
  return loadVisible(deps, actor, 'finding', findingId);
}

/** Edit a finding while its plan is in progress: its author or the 監査責任者, still in scope. */
export async function updateFinding(
  deps: Deps,
  actor: Actor,
  findingId: string,
  input: UpdateFindingInput,
  pre: Precondition,
): Promise<Finding> {
  const before = await loadFor(deps, actor, 'finding', findingId, 'finding:update', {
    ...pre,
    on: (finding) => ({ type: 'finding', finding, owners: scopeOwners(deps.profile) }),
  });
  const { article, evidenceIds, record, ...fields } = input;
  // A new article must be in the editor's scope too (403 before any state rule).
  const resolved = article === undefined ? undefined : scoped(deps, actor, article);
  const plan = await deps.plans.get(before.planId);
  if (!plan) throw notFoundOf('plan');
  assertAuditable(plan);
  const after: Finding = {
    ...before,
    ...fields,
    version: before.version + 1,
    lastEditedBy: actor.sub,
    updatedAt: deps.clock.now().toISOString(),
  };
  if (input.department !== undefined) assertAudited(plan, input.department);
  await assertIncidentSeen(deps, actor, input.incidentId);
  // `null` takes the cited record off; a record kept is checked again when the article or 課 moves.
  if (record === null) delete after.record;
  else if (record !== undefined) after.record = record;
  if (record !== undefined || article !== undefined || input.department !== undefined)
    await assertRecordFits(
      deps,
      actor,
      {
        article: resolved?.ref ?? before.article,
        articleLabel: resolved?.label ?? before.articleLabel,
        department: after.department,
      },
      after.record,
    );
  if (evidenceIds !== undefined) {
    // Only evidence registered for this finding; ids already attached are not checked again.
    await assertEvidenceOf(deps, { type: 'finding', id: findingId }, evidenceIds, before.evidenceIds);
    after.evidenceIds = evidenceIds;
  }
  if ((article !== undefined || input.department !== undefined) && (await hasActions(deps, before))) {
    // Its actions belong to the 課 and scope the finding had; moving it would orphan them.
    throw new Conflict('改善措置が登録されている監査所見は、条項と課を変更できません。', 'finding-has-actions');
  }
  if (resolved !== undefined) {
    Object.assign(after, {
      article: resolved.ref,
      articleLabel: resolved.label,
      articleTitle: resolved.entry.title,
      scope: resolved.scope,
    });
  }
  await commitAsked(
    deps,
    { entityType: 'finding', entityId: findingId, ifMatch: pre.ifMatch },
    [change(deps, actor, after.updatedAt, 'finding', findingId, 'finding.updated', before, after)],
    [{ entityType: 'plan', entityId: plan.planId, version: plan.version, bumpChildren: true }],
  );
  return after;
}

async function hasActions(deps: Deps, finding: Finding): Promise<boolean> {
  return (await allActionsOfPlan(deps, finding.planId)).some((a) => a.findingId === finding.findingId);
}
