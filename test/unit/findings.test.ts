import { describe, expect, it } from 'vitest';
import { createFinding, getFinding, listFindings, updateFinding } from '#lib/app/findings.js';
import { createPlan, transitionPlan } from '#lib/app/plans.js';
import { Conflict, Forbidden, InvalidInput, NotFound, StaleVersion } from '#lib/domain/errors.js';
import type { Evidence, EvidenceStatus } from '#lib/domain/evidence.js';
import type { Finding } from '#lib/domain/finding.js';
import type { Plan } from '#lib/domain/plan.js';
import {
  type FakeDeps,
  actor,
  chief,
  dxAuditor,
  fakeDeps,
  findingInput,
  kohoAuditor,
  lead,
  planInProgress,
  planInput,
  rejection,
  shiminHead,
  shiminManager,
  shiminStaff,
  zeiManager,
} from './fakes.js';

/** An inProgress plan auditing 市民課, 市民税課 and DX戦略課. */
async function setup(): Promise<{ deps: FakeDeps; plan: Plan }> {
  const deps = fakeDeps('2026-10-01T00:00:00Z');
  const plan = await planInProgress(deps);
  return { deps, plan };
}

describe('createFinding', () => {
  it('records a finding on an inProgress plan with the article’s label, title and scope, and checks the plan’s version', async () => {
    const { deps, plan } = await setup();
    const before = deps.store.commits.length;
    const f = await createFinding(deps, dxAuditor, plan.planId, findingInput({ article: '第 17 条の 2', evidenceIds: [] }));
    expect(f).toMatchObject({
      planId: plan.planId,
      fiscalYear: 2026,
      department: 'shimin',
      article: { article: 17, branch: 2 },
      articleLabel: '第17条の2',
      articleTitle: '誤送付等の防止',
      scope: 'dx',
      rating: 'minor',
      evidenceIds: [],
      version: 1,
      createdBy: 'dx-1',
      lastEditedBy: 'dx-1',
      createdAt: '2026-10-01T00:00:00.000Z',
    });
    expect(deps.store.commits).toHaveLength(before + 1);
    const [c] = deps.store.commits.at(-1) ?? [];
    expect(c).toMatchObject({
      entityType: 'finding',
      entityId: f.findingId,
      expectedVersion: null,
      event: { action: 'finding.created', before: null },
    });
    expect(deps.store.checks.at(-1)).toEqual([{ entityType: 'plan', entityId: plan.planId, version: plan.version, bumpChildren: true }]);
    expect(await getFinding(deps, lead, f.findingId)).toEqual(f);
  });

  it.each([
    ['auditorKoho', kohoAuditor, '第11条第2項', 'koho', '教育研修', '第11条第2項'],
    ['auditorKoho', kohoAuditor, { article: 4, branch: 3 }, 'koho', '保護責任者', '第4条の3'],
    ['auditorDx', dxAuditor, '第十一条第五項', 'dx', '教育研修', '第11条第5項'],
    ['auditLead', lead, '第26条第1項', 'lead', '監査', '第26条第1項'],
    ['auditLead', lead, '第23条', 'koho', '事案の報告及び再発防止措置', '第23条'],
  ] as const)('%s on %j → scope %s', async (_who, who, article, scope, articleTitle, articleLabel) => {
    const { deps, plan } = await setup();
    await expect(createFinding(deps, who, plan.planId, findingInput({ article }))).resolves.toMatchObject({
      scope,
      articleTitle,
      articleLabel,
    });
  });

  it('auditorDx on 第23条 → 403 naming the 広報広聴 scope; nothing written', async () => {
    const { deps, plan } = await setup();
    const before = deps.store.commits.length;
    const err = await rejection(createFinding(deps, dxAuditor, plan.planId, findingInput({ article: '第23条' })));
    expect(err).toBeInstanceOf(Forbidden);
    expect((err as Forbidden).message).toContain('第23条は監査補助者（広報広聴課長）の監査範囲です');
    expect((err as Forbidden).message).toContain('第7条の2第3項');
    expect(deps.store.commits).toHaveLength(before);
  });

  it('an assistant on an article of the 監査責任者 alone (第26条) → 403', async () => {
    const { deps, plan } = await setup();
    const err = await rejection(createFinding(deps, kohoAuditor, plan.planId, findingInput({ article: '第26条' })));
    expect(err).toBeInstanceOf(Forbidden);
    expect((err as Forbidden).message).toContain('監査責任者のみが監査所見を記録できる');
  });

  it.each([
    ['第11条', 'paragraph-required'],
    ['第40条', 'unknown-article'],
    ['第18条の3', 'unknown-article'],
    ['第11条第7項', 'unknown-paragraph'],
    ['第十七条の', 'invalid-article'],
  ])('article %s → 400 %s', async (article, code) => {
    const { deps, plan } = await setup();
    const err = await rejection(createFinding(deps, lead, plan.planId, findingInput({ article })));
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err).toMatchObject({ code });
  });

  it('a 課 the plan does not audit → 400 department-not-audited', async () => {
    const { deps, plan } = await setup();
    const err = await rejection(createFinding(deps, lead, plan.planId, findingInput({ department: 'koho-kocho' })));
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err).toMatchObject({ code: 'department-not-audited', errors: [{ path: 'department' }] });
  });

  it('only on an inProgress plan: draft, approved and reported → 409; unknown → 404', async () => {
    const deps = fakeDeps();
    const draft = await createPlan(deps, lead, planInput({ auditedDepartments: ['shimin'] }));
    expect(await rejection(createFinding(deps, lead, draft.planId, findingInput()))).toMatchObject({
      kind: 'conflict',
      code: 'plan-not-in-progress',
    });
    await transitionPlan(deps, lead, draft.planId, 'submit', {});
    await transitionPlan(deps, chief, draft.planId, 'approve', {});
    const err = await rejection(createFinding(deps, lead, draft.planId, findingInput()));
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Conflict).message).toContain('承認済み');
    await transitionPlan(deps, lead, draft.planId, 'start', {});
    await transitionPlan(deps, lead, draft.planId, 'report', {});
    expect(await rejection(createFinding(deps, lead, draft.planId, findingInput()))).toMatchObject({
      kind: 'conflict',
      code: 'plan-not-in-progress',
    });
    expect(await rejection(createFinding(deps, lead, '01KANSA0000000000000000ZZZ', findingInput()))).toBeInstanceOf(NotFound);
  });

  it('a role that records no findings → 403 when it sees the plan, 404 when it may not even see it', async () => {
    const { deps, plan } = await setup();
    expect(await rejection(createFinding(deps, chief, plan.planId, findingInput()))).toBeInstanceOf(Forbidden);
    for (const who of [shiminManager, shiminHead]) {
      expect(await rejection(createFinding(deps, who, plan.planId, findingInput()))).toBeInstanceOf(NotFound);
    }
    expect(deps.store.commits.filter((c) => c.some((x) => x.entityType === 'finding'))).toHaveLength(0);
  });

  it('the plan changed between read and write (e.g. reported meanwhile) → 409 from the precheck, nothing written', async () => {
    const { deps, plan } = await setup();
    await transitionPlan(deps, lead, plan.planId, 'report', {});
    const late: FakeDeps = { ...deps, plans: { ...deps.plans, get: async () => structuredClone(plan) } };
    const before = deps.store.commits.length;
    const err = await rejection(createFinding(late, lead, plan.planId, findingInput()));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'related-changed' });
    expect(deps.store.commits).toHaveLength(before);
    expect(deps.store.findingsById.size).toBe(0);
  });
});

describe('updateFinding', () => {
  async function withFinding(): Promise<{ deps: FakeDeps; plan: Plan; f: Finding }> {
    const { deps, plan } = await setup();
    const f = await createFinding(deps, dxAuditor, plan.planId, findingInput());
    return { deps, plan, f };
  }

  it('re-scopes on an article change, inside the editor’s scope', async () => {
    const { deps, f } = await withFinding();
    deps.clock.set('2026-10-02T00:00:00Z');
    const updated = await updateFinding(deps, dxAuditor, f.findingId, { article: '第13条第2項', rating: 'major' }, { ifMatch: 1 });
    expect(updated).toMatchObject({
      article: { article: 13, paragraph: 2 },
      articleLabel: '第13条第2項',
      articleTitle: 'アクセス制限',
      scope: 'dx',
      rating: 'major',
      version: 2,
      lastEditedBy: 'dx-1',
      updatedAt: '2026-10-02T00:00:00.000Z',
      createdBy: 'dx-1',
    });
    const [c] = deps.store.commits.at(-1) ?? [];
    expect(c).toMatchObject({
      expectedVersion: 1,
      event: {
        action: 'finding.updated',
        before: { articleLabel: '第17条の2', rating: 'minor' },
        after: { articleLabel: '第13条第2項', rating: 'major' },
      },
    });
  });

  it('the 監査責任者 may move a finding into another scope: 第17条の2 (dx) → 第23条 (koho)', async () => {
    const { deps, f } = await withFinding();
    await expect(updateFinding(deps, lead, f.findingId, { article: '第23条' }, {})).resolves.toMatchObject({
      scope: 'koho',
      articleTitle: '事案の報告及び再発防止措置',
    });
  });

  it('an assistant may not move their finding out of their scope → 403, nothing written', async () => {
    const { deps, f } = await withFinding();
    const before = deps.store.commits.length;
    const err = await rejection(updateFinding(deps, dxAuditor, f.findingId, { article: '第23条' }, {}));
    expect(err).toBeInstanceOf(Forbidden);
    expect((err as Forbidden).message).toContain('第23条は監査補助者（広報広聴課長）の監査範囲です');
    expect(deps.store.commits).toHaveLength(before);
    expect((await getFinding(deps, lead, f.findingId)).scope).toBe('dx');
  });

  it('who may edit: the author, the 監査責任者, a holder of the scope’s role; not the other assistant', async () => {
    const { deps, f } = await withFinding();
    await expect(updateFinding(deps, actor('dx-2', ['auditorDx']), f.findingId, { title: '別のDX担当' }, {})).resolves.toMatchObject({
      version: 2,
    });
    await expect(updateFinding(deps, lead, f.findingId, { title: '監査責任者が修正' }, {})).resolves.toMatchObject({ version: 3 });
    const err = await rejection(updateFinding(deps, kohoAuditor, f.findingId, { title: '越権' }, {}));
    expect(err).toBeInstanceOf(Forbidden);
    expect((err as Forbidden).message).toContain('監査所見を編集できるのは');
    expect(await rejection(updateFinding(deps, shiminManager, f.findingId, { title: '被監査部門' }, {}))).toBeInstanceOf(Forbidden);
  });

  it('a 課 the plan does not audit → 400; a stale If-Match → 412; an unknown finding → 404', async () => {
    const { deps, f } = await withFinding();
    expect(await rejection(updateFinding(deps, dxAuditor, f.findingId, { department: 'koho-kocho' }, {}))).toMatchObject({
      kind: 'invalid',
      code: 'department-not-audited',
    });
    await expect(updateFinding(deps, dxAuditor, f.findingId, { department: 'shiminzei' }, { ifMatch: 1 })).resolves.toMatchObject({
      department: 'shiminzei',
    });
    const stale = await rejection(updateFinding(deps, dxAuditor, f.findingId, { title: '古い版' }, { ifMatch: 1 }));
    expect(stale).toBeInstanceOf(StaleVersion);
    expect(stale).toMatchObject({ currentVersion: 2 });
    expect(await rejection(updateFinding(deps, lead, '01KANSA0000000000000000ZZZ', { title: 'x' }, {}))).toBeInstanceOf(NotFound);
  });

  it('no edits once the plan is reported → 409', async () => {
    const { deps, plan } = await setup();
    const f = await createFinding(deps, lead, plan.planId, findingInput({ rating: 'conforming' }));
    await transitionPlan(deps, lead, plan.planId, 'report', {});
    expect(await rejection(updateFinding(deps, lead, f.findingId, { title: '報告後' }, {}))).toMatchObject({
      kind: 'conflict',
      code: 'plan-not-in-progress',
    });
  });
});

describe('listFindings and getFinding: who sees which 課', () => {
  async function seeded(): Promise<{ deps: FakeDeps; plan: Plan; byDept: Record<string, Finding> }> {
    const { deps, plan } = await setup();
    const shimin = await createFinding(deps, dxAuditor, plan.planId, findingInput({ department: 'shimin', article: '第17条の2' }));
    const zei = await createFinding(deps, kohoAuditor, plan.planId, findingInput({ department: 'shiminzei', article: '第23条' }));
    const dx = await createFinding(deps, lead, plan.planId, findingInput({ department: 'dx-senryaku', article: '第26条' }));
    return { deps, plan, byDept: { shimin, shiminzei: zei, 'dx-senryaku': dx } };
  }
  const ids = (fs: Finding[]) => fs.map((f) => f.findingId).sort();

  it('a 保護管理者 is limited to their own 課 without asking', async () => {
    const { deps, plan, byDept } = await seeded();
    const page = await listFindings(deps, shiminManager, plan.planId, { limit: 20 });
    expect(ids(page.items)).toEqual([byDept.shimin?.findingId]);
    expect(deps.store.findingListQueries.at(-1)).toMatchObject({ planId: plan.planId, department: 'shimin' });
  });

  it('a 保護管理者 asking for another 課 → 403', async () => {
    const { deps, plan } = await seeded();
    const err = await rejection(listFindings(deps, shiminManager, plan.planId, { department: 'shiminzei', limit: 20 }));
    expect(err).toBeInstanceOf(Forbidden);
    expect((err as Forbidden).message).toContain('自分の所属する課');
  });

  it("a 保護担当者 reads no findings: a plan's findings are not there for them (404, as for an unknown plan)", async () => {
    const { deps, plan } = await seeded();
    expect(await rejection(listFindings(deps, shiminStaff, plan.planId, { limit: 20 }))).toBeInstanceOf(NotFound);
  });

  it('a 保護責任者 names a 課 of their 部 (400 listing them otherwise); another 部 → 403', async () => {
    const { deps, plan, byDept } = await seeded();
    const missing = await rejection(listFindings(deps, shiminHead, plan.planId, { limit: 20 }));
    expect(missing).toBeInstanceOf(InvalidInput);
    expect((missing as InvalidInput).message).toContain('shimin: 市民課');
    expect((missing as InvalidInput).message).toContain('shiminzei: 市民税課');
    const page = await listFindings(deps, shiminHead, plan.planId, { department: 'shiminzei', limit: 20 });
    expect(ids(page.items)).toEqual([byDept.shiminzei?.findingId]);
    expect(await rejection(listFindings(deps, shiminHead, plan.planId, { department: 'dx-senryaku', limit: 20 }))).toBeInstanceOf(
      Forbidden,
    );
  });

  it('auditors see every 課 and filter by scope', async () => {
    const { deps, plan, byDept } = await seeded();
    const all = await listFindings(deps, kohoAuditor, plan.planId, { limit: 20 });
    expect(ids(all.items)).toEqual(ids(Object.values(byDept)));
    expect(deps.store.findingListQueries.at(-1)?.department).toBeUndefined();
    const koho = await listFindings(deps, lead, plan.planId, { scope: 'koho', limit: 20 });
    expect(koho.items.map((f) => f.articleLabel)).toEqual(['第23条']);
  });

  it('getFinding: own 課 yes; another 課 is 404 (not even its existence)', async () => {
    const { deps, byDept } = await seeded();
    const shimin = byDept.shimin as Finding;
    const zei = byDept.shiminzei as Finding;
    await expect(getFinding(deps, shiminManager, shimin.findingId)).resolves.toEqual(shimin);
    expect(await rejection(getFinding(deps, zeiManager, shimin.findingId))).toMatchObject({ kind: 'notFound', code: 'finding-not-found' });
    await expect(getFinding(deps, shiminHead, zei.findingId)).resolves.toEqual(zei);
    expect(await rejection(getFinding(deps, actor('seisaku-bucho', ['deptHead'], 'seisaku-bu'), zei.findingId))).toBeInstanceOf(NotFound);
  });
});

describe('evidence on a finding: only evidence registered for that very finding', () => {
  /** Evidence registered for `target`, put straight into the store (as POST /evidence would). */
  function evidenceFor(deps: FakeDeps, target: Evidence['target'], status: EvidenceStatus, fileName = '記録.pdf'): string {
    const evidenceId = deps.ids.next();
    deps.store.evidenceById.set(evidenceId, {
      evidenceId,
      target,
      department: 'shimin',
      fileName,
      contentType: 'application/pdf',
      size: 1000,
      sha256: 'a'.repeat(64),
      status,
      objectKey: `evidence/${target.type}/${target.id}/${evidenceId}`,
      uploadedBy: 'dx-1',
      createdAt: '2026-10-01T00:00:00.000Z',
      version: 1,
      updatedAt: '2026-10-01T00:00:00.000Z',
    });
    return evidenceId;
  }
  const japanese = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

  it('create: a new finding has no evidence yet, so any id is a Japanese 400 and nothing is written', async () => {
    const { deps, plan } = await setup();
    const other = await createFinding(deps, dxAuditor, plan.planId, findingInput());
    const ofOther = evidenceFor(deps, { type: 'finding', id: other.findingId }, 'verified');
    const before = deps.store.commits.length;
    for (const ids of [['01KANSA0000000000000000ZZZ'], [ofOther]]) {
      const err = await rejection(createFinding(deps, dxAuditor, plan.planId, findingInput({ evidenceIds: ids })));
      expect(err, ids.join()).toBeInstanceOf(InvalidInput);
      expect(err).toMatchObject({ code: 'evidence-not-of-target', errors: [{ path: 'evidenceIds.0' }] });
      expect((err as InvalidInput).message).toMatch(japanese);
    }
    expect(deps.store.commits).toHaveLength(before);
    expect(deps.store.findingsById.size).toBe(1);
  });

  it('update: unknown, another target’s or rejected evidence → Japanese 400 naming each, nothing written; its own verified evidence attaches', async () => {
    const { deps, plan } = await setup();
    const f = await createFinding(deps, dxAuditor, plan.planId, findingInput());
    const other = await createFinding(deps, dxAuditor, plan.planId, findingInput());
    const own = evidenceFor(deps, { type: 'finding', id: f.findingId }, 'verified');
    const pending = evidenceFor(deps, { type: 'finding', id: f.findingId }, 'pending');
    const rejected = evidenceFor(deps, { type: 'finding', id: f.findingId }, 'rejected', '偽装.pdf');
    const ofOtherFinding = evidenceFor(deps, { type: 'finding', id: other.findingId }, 'verified');
    const ofPlan = evidenceFor(deps, { type: 'plan', id: plan.planId }, 'verified');
    const ofAction = evidenceFor(deps, { type: 'action', id: f.findingId }, 'verified');
    const before = deps.store.commits.length;
    for (const [ids, bad] of [
      [[own, '01KANSA0000000000000000ZZZ'], 1],
      [[ofOtherFinding], 0],
      [[own, ofPlan], 1],
      [[ofAction], 0],
      [[own, rejected], 1],
    ] as const) {
      const err = await rejection(updateFinding(deps, dxAuditor, f.findingId, { evidenceIds: [...ids] }, {}));
      expect(err, ids.join()).toBeInstanceOf(InvalidInput);
      expect(err).toMatchObject({ code: 'evidence-not-of-target', errors: [{ path: `evidenceIds.${bad}` }] });
      expect((err as InvalidInput).message).toMatch(japanese);
    }
    expect((await rejection(updateFinding(deps, dxAuditor, f.findingId, { evidenceIds: [rejected] }, {}))) as InvalidInput).toMatchObject({
      errors: [{ message: expect.stringContaining('偽装.pdf') }],
    });
    expect(deps.store.commits).toHaveLength(before);
    expect(await getFinding(deps, lead, f.findingId)).toMatchObject({ version: 1, evidenceIds: [] });

    const attached = await updateFinding(deps, dxAuditor, f.findingId, { evidenceIds: [own, pending] }, { ifMatch: 1 });
    expect(attached).toMatchObject({ version: 2, evidenceIds: [own, pending] });
    // Evidence attached before stays attachable even if its verification fails later.
    deps.store.evidenceById.set(pending, { ...(deps.store.evidenceById.get(pending) as Evidence), status: 'rejected' });
    await expect(
      updateFinding(deps, dxAuditor, f.findingId, { evidenceIds: [own, pending], title: '再編集' }, { ifMatch: 2 }),
    ).resolves.toMatchObject({ version: 3 });
  });
});
