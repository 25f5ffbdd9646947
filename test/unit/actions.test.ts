import { describe, expect, it } from 'vitest';
import { createAction, getAction, listActionNotes, listActions, transitionAction } from '#lib/app/actions.js';
import { createFinding, updateFinding } from '#lib/app/findings.js';
import { transitionPlan } from '#lib/app/plans.js';
import type { FollowUpAction } from '#lib/domain/action.js';
import { Conflict, Forbidden, InvalidInput, NotFound, StaleVersion } from '#lib/domain/errors.js';
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
  rejection,
  shiminHead,
  shiminManager,
  shiminStaff,
  zeiManager,
} from './fakes.js';

const actionInput = (dueDate = '2026-12-25') => ({ description: '郵送前の二重確認を手順書に定め、記録様式を整備する。', dueDate });

/** An inProgress plan (市民課, 市民税課, DX戦略課) with a 要改善 finding on 第17条の2 in 市民課 by the DX auditor. */
/** Evidence registered for `target` in the fake store, as POST /evidence leaves it. */
function evidenceOf(
  deps: FakeDeps,
  evidenceId: string,
  target: { type: 'action' | 'finding'; id: string },
  status: 'pending' | 'verified' | 'rejected' = 'verified',
): string {
  const at = '2026-10-01T00:00:00.000Z';
  deps.store.evidenceById.set(evidenceId, {
    evidenceId,
    target,
    department: 'shimin',
    fileName: '手順書.pdf',
    contentType: 'application/pdf',
    size: 100,
    sha256: '0'.repeat(64),
    status,
    objectKey: `evidence/${target.type}/${target.id}/${evidenceId}`,
    uploadedBy: 'shimin-tanto',
    createdAt: at,
    version: 1,
    updatedAt: at,
  });
  return evidenceId;
}

async function setup(now = '2026-10-01T00:00:00Z'): Promise<{ deps: FakeDeps; plan: Plan; finding: Finding }> {
  const deps = fakeDeps(now);
  const plan = await planInProgress(deps);
  const finding = await createFinding(deps, dxAuditor, plan.planId, findingInput());
  return { deps, plan, finding };
}

describe('createAction', () => {
  it('adds an open action owned by the finding’s 課, with what the finding says, checking the plan’s version', async () => {
    const { deps, plan, finding } = await setup();
    const a = await createAction(deps, dxAuditor, finding.findingId, actionInput());
    expect(a).toEqual({
      actionId: expect.any(String),
      trailHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      findingId: finding.findingId,
      planId: plan.planId,
      fiscalYear: 2026,
      department: 'shimin',
      description: actionInput().description,
      dueDate: '2026-12-25',
      status: 'open',
      finding: { articleLabel: '第17条の2', title: finding.title, rating: 'minor', scope: 'dx', createdBy: 'dx-1' },
      evidenceIds: [],
      version: 1,
      createdBy: 'dx-1',
      createdAt: '2026-10-01T00:00:00.000Z',
      updatedAt: '2026-10-01T00:00:00.000Z',
      overdue: false,
    });
    // The stored action has no view field.
    expect(deps.store.actionsById.get(a.actionId)).not.toHaveProperty('overdue');
    const [c] = deps.store.commits.at(-1) ?? [];
    expect(c).toMatchObject({ entityType: 'action', expectedVersion: null, event: { action: 'action.created' } });
    expect(deps.store.checks.at(-1)).toEqual([{ entityType: 'plan', entityId: plan.planId, version: plan.version, bumpChildren: true }]);
  });

  it.each([
    // [clock (UTC), JST date, due date, allowed]
    ['2026-10-01T00:00:00Z', '2026-10-01', '2026-09-30', false],
    ['2026-10-01T00:00:00Z', '2026-10-01', '2026-10-01', true],
    ['2026-09-30T15:00:00Z', '2026-10-01', '2026-09-30', false],
    ['2026-09-30T14:59:59Z', '2026-09-30', '2026-09-30', true],
  ])('at %s (JST %s) a due date of %s → allowed: %s', async (now, today, dueDate, allowed) => {
    const { deps, finding } = await setup();
    deps.clock.set(now);
    if (allowed) {
      await expect(createAction(deps, lead, finding.findingId, actionInput(dueDate))).resolves.toMatchObject({ dueDate, status: 'open' });
      return;
    }
    const err = await rejection(createAction(deps, lead, finding.findingId, actionInput(dueDate)));
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).message).toContain(`今日（${today}）以降`);
    expect(err).toMatchObject({ errors: [{ path: 'dueDate' }] });
  });

  it('on a reported plan yes; on a closed plan → 409 plan-not-open', async () => {
    const deps = fakeDeps('2026-10-01T00:00:00Z');
    const plan = await planInProgress(deps);
    const ok = await createFinding(deps, lead, plan.planId, findingInput({ rating: 'conforming', article: '第26条' }));
    await transitionPlan(deps, lead, plan.planId, 'report', {});
    await expect(createAction(deps, lead, ok.findingId, actionInput())).resolves.toMatchObject({ status: 'open' });
    const a = [...deps.store.actionsById.values()][0] as FollowUpAction;
    await transitionAction(deps, chief, a.actionId, 'acceptRisk', {}, { note: '軽微のため受容する。' });
    await transitionPlan(deps, chief, plan.planId, 'close', {});
    const err = await rejection(createAction(deps, lead, ok.findingId, actionInput()));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'plan-not-open' });
    expect((err as Conflict).message).toContain('完了');
  });

  it('who may add one: the finding’s auditor or the 監査責任者; not the other assistant, not the 課', async () => {
    const { deps, finding } = await setup();
    await expect(createAction(deps, actor('dx-2', ['auditorDx']), finding.findingId, actionInput())).resolves.toMatchObject({
      status: 'open',
    });
    const err = await rejection(createAction(deps, kohoAuditor, finding.findingId, actionInput()));
    expect(err).toBeInstanceOf(Forbidden);
    expect((err as Forbidden).message).toContain('改善措置を登録できるのは');
    expect(await rejection(createAction(deps, shiminManager, finding.findingId, actionInput()))).toBeInstanceOf(Forbidden);
    expect(await rejection(createAction(deps, lead, '01KANSA0000000000000000ZZZ', actionInput()))).toMatchObject({
      code: 'finding-not-found',
    });
  });
});

describe('transitionAction', () => {
  it('submits only evidence registered for this action and not rejected: anything else is a 400 and nothing is written', async () => {
    const { deps, finding } = await setup();
    const { actionId } = await createAction(deps, dxAuditor, finding.findingId, actionInput());
    const other = await createAction(deps, dxAuditor, finding.findingId, actionInput());
    const ids = {
      unknown: '01KANSAEVIDENCE0000000000X',
      otherAction: evidenceOf(deps, '01KANSAEVIDENCE00000000003', { type: 'action', id: other.actionId }),
      finding: evidenceOf(deps, '01KANSAEVIDENCE00000000004', { type: 'finding', id: finding.findingId }),
      rejected: evidenceOf(deps, '01KANSAEVIDENCE00000000005', { type: 'action', id: actionId }, 'rejected'),
    };
    const commits = deps.store.commits.length;
    for (const [what, id] of Object.entries(ids)) {
      const err = await transitionAction(deps, shiminStaff, actionId, 'submit', {}, { note: '対応しました。', evidenceIds: [id] }).catch(
        (e: unknown) => e,
      );
      expect(err, what).toBeInstanceOf(InvalidInput);
      expect((err as InvalidInput).errors).toEqual([{ path: 'evidenceIds.0', message: expect.stringContaining(id) }]);
    }
    expect(deps.store.commits.length).toBe(commits);
    expect(deps.store.actionsById.get(actionId)?.status).toBe('open');
  });

  it('keeps at most 100 evidence ids on an action, however often it is submitted (a 409 beyond)', async () => {
    const { deps, finding } = await setup();
    const { actionId: id } = await createAction(deps, dxAuditor, finding.findingId, actionInput());
    const ids = Array.from({ length: 101 }, (_, i) =>
      evidenceOf(deps, `01KANSAEVIDENCE${String(i).padStart(11, '0')}`, { type: 'action', id }),
    );
    await transitionAction(deps, shiminStaff, id, 'submit', {}, { note: '一度目', evidenceIds: ids.slice(0, 50) });
    await transitionAction(deps, dxAuditor, id, 'reopen', {}, { note: '不足' });
    const twice = await transitionAction(deps, shiminStaff, id, 'submit', {}, { note: '二度目', evidenceIds: ids.slice(50, 100) });
    expect(twice.evidenceIds).toHaveLength(100);
    await transitionAction(deps, dxAuditor, id, 'reopen', {}, { note: 'さらに不足' });
    const third = transitionAction(deps, shiminStaff, id, 'submit', {}, { note: '三度目', evidenceIds: ids.slice(100) });
    await expect(third).rejects.toMatchObject({
      kind: 'conflict',
      code: 'too-many-attachments',
      message: expect.stringContaining('100件まで'),
    });
    // Ids already attached may be named again.
    await expect(
      transitionAction(deps, shiminStaff, id, 'submit', {}, { note: '四度目', evidenceIds: ids.slice(0, 10) }),
    ).resolves.toMatchObject({ status: 'submitted' });
  });

  it('runs the whole lifecycle with history and one event per step', async () => {
    const { deps, finding } = await setup();
    const created = await createAction(deps, dxAuditor, finding.findingId, actionInput());
    const id = created.actionId;

    deps.clock.set('2026-10-05T01:00:00Z');
    const progressed = await transitionAction(deps, shiminStaff, id, 'progress', { ifMatch: 1 }, { note: '手順書の案を作成中。' });
    expect(progressed).toMatchObject({ status: 'inProgress', version: 2 });

    deps.clock.set('2026-10-20T01:00:00Z');
    evidenceOf(deps, '01KANSAEVIDENCE00000000001', { type: 'action', id });
    evidenceOf(deps, '01KANSAEVIDENCE00000000002', { type: 'action', id }, 'pending');
    const submitted = await transitionAction(
      deps,
      shiminManager,
      id,
      'submit',
      { ifMatch: 2 },
      { note: '手順書を制定した。', evidenceIds: ['01KANSAEVIDENCE00000000001'] },
    );
    expect(submitted).toMatchObject({
      status: 'submitted',
      version: 3,
      submittedBy: 'shimin-kacho',
      submittedAt: '2026-10-20T01:00:00.000Z',
      evidenceIds: ['01KANSAEVIDENCE00000000001'],
    });

    deps.clock.set('2026-10-21T01:00:00Z');
    const reopened = await transitionAction(deps, dxAuditor, id, 'reopen', { ifMatch: 3 }, { note: '記録様式が未添付。' });
    expect(reopened).toMatchObject({ status: 'reopened', version: 4 });

    deps.clock.set('2026-10-22T01:00:00Z');
    await transitionAction(deps, shiminStaff, id, 'progress', { ifMatch: 4 }, { note: '記録様式を作成中。' });
    const resubmitted = await transitionAction(
      deps,
      shiminStaff,
      id,
      'submit',
      { ifMatch: 5 },
      { note: '記録様式を添付した。', evidenceIds: ['01KANSAEVIDENCE00000000002', '01KANSAEVIDENCE00000000001'] },
    );
    expect(resubmitted).toMatchObject({
      status: 'submitted',
      version: 6,
      submittedBy: 'shimin-tanto',
      evidenceIds: ['01KANSAEVIDENCE00000000001', '01KANSAEVIDENCE00000000002'],
    });

    deps.clock.set('2026-10-23T01:00:00Z');
    const verified = await transitionAction(deps, lead, id, 'verify', { ifMatch: 6 }, { note: '確認した。' });
    expect(verified).toMatchObject({
      status: 'verified',
      version: 7,
      verifiedBy: 'lead-1',
      verifiedAt: '2026-10-23T01:00:00.000Z',
      overdue: false,
    });

    const notes = await listActionNotes(deps, shiminStaff, id, { limit: 100 });
    expect(notes.items).toEqual([
      { kind: 'progress', note: '手順書の案を作成中。', by: 'shimin-tanto', at: '2026-10-05T01:00:00.000Z', version: 2 },
      { kind: 'submit', note: '手順書を制定した。', by: 'shimin-kacho', at: '2026-10-20T01:00:00.000Z', version: 3 },
      { kind: 'reopen', note: '記録様式が未添付。', by: 'dx-1', at: '2026-10-21T01:00:00.000Z', version: 4 },
      { kind: 'progress', note: '記録様式を作成中。', by: 'shimin-tanto', at: '2026-10-22T01:00:00.000Z', version: 5 },
      { kind: 'submit', note: '記録様式を添付した。', by: 'shimin-tanto', at: '2026-10-22T01:00:00.000Z', version: 6 },
      { kind: 'verify', note: '確認した。', by: 'lead-1', at: '2026-10-23T01:00:00.000Z', version: 7 },
    ]);
    expect(verified).not.toHaveProperty('history');

    const trail = deps.store.events.filter((e) => e.entityType === 'action' && e.entityId === id);
    expect(trail.map((e) => [e.action, e.version, e.actor.sub, e.reason])).toEqual([
      ['action.created', 1, 'dx-1', undefined],
      ['action.progressed', 2, 'shimin-tanto', '手順書の案を作成中。'],
      ['action.submitted', 3, 'shimin-kacho', '手順書を制定した。'],
      ['action.reopened', 4, 'dx-1', '記録様式が未添付。'],
      ['action.progressed', 5, 'shimin-tanto', '記録様式を作成中。'],
      ['action.submitted', 6, 'shimin-tanto', '記録様式を添付した。'],
      ['action.verified', 7, 'lead-1', '確認した。'],
    ]);
    expect(trail[6]).toMatchObject({
      before: { status: 'submitted', version: 6 },
      after: { status: 'verified', version: 7, verifiedBy: 'lead-1' },
    });
    expect(await getAction(deps, shiminStaff, id)).toEqual(verified);
  });

  it('職務の分離: the DX戦略課長 who submitted an action of their own 課 cannot verify it; the 監査責任者 can', async () => {
    const { deps, plan } = await setup();
    const f = await createFinding(deps, dxAuditor, plan.planId, findingInput({ department: 'dx-senryaku', article: '第20条第1項' }));
    const a = await createAction(deps, dxAuditor, f.findingId, actionInput());
    await transitionAction(deps, dxAuditor, a.actionId, 'submit', {}, { note: '対応済み。' });
    const before = deps.store.commits.length;
    const err = await rejection(transitionAction(deps, dxAuditor, a.actionId, 'verify', {}, {}));
    expect(err).toBeInstanceOf(Forbidden);
    expect((err as Forbidden).message).toContain('職務の分離');
    // Reopening is verification's other outcome: refused alike.
    expect(await rejection(transitionAction(deps, dxAuditor, a.actionId, 'reopen', {}, { note: '自分で差戻し' }))).toBeInstanceOf(
      Forbidden,
    );
    expect(deps.store.commits).toHaveLength(before);
    await expect(transitionAction(deps, lead, a.actionId, 'verify', {}, {})).resolves.toMatchObject({
      status: 'verified',
      verifiedBy: 'lead-1',
    });
  });

  it('a submitter holding auditLead cannot verify either', async () => {
    const { deps, plan } = await setup();
    const both = actor('both-1', ['auditLead', 'sectionManager'], 'shimin');
    const f = await createFinding(deps, both, plan.planId, findingInput({ article: '第26条' }));
    const a = await createAction(deps, both, f.findingId, actionInput());
    await transitionAction(deps, both, a.actionId, 'submit', {}, { note: '対応済み。' });
    expect(await rejection(transitionAction(deps, both, a.actionId, 'verify', {}, {}))).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('職務の分離'),
    });
  });

  it('work is for the owning 課 only (another 課 does not even see it: 404); verifying is for auditors of the finding', async () => {
    const { deps, finding } = await setup();
    const a = await createAction(deps, lead, finding.findingId, actionInput());
    expect(await rejection(transitionAction(deps, zeiManager, a.actionId, 'progress', {}, { note: '他課' }))).toBeInstanceOf(NotFound);
    expect(await rejection(transitionAction(deps, shiminHead, a.actionId, 'progress', {}, { note: '部長' }))).toBeInstanceOf(Forbidden);
    expect(await rejection(transitionAction(deps, lead, a.actionId, 'submit', {}, { note: '監査側' }))).toBeInstanceOf(Forbidden);
    await transitionAction(deps, shiminManager, a.actionId, 'submit', {}, { note: '完了' });
    expect(await rejection(transitionAction(deps, kohoAuditor, a.actionId, 'verify', {}, {}))).toBeInstanceOf(Forbidden);
    await expect(transitionAction(deps, actor('dx-2', ['auditorDx']), a.actionId, 'verify', {}, {})).resolves.toMatchObject({
      status: 'verified',
    });
  });

  it('an illegal transition → 409; a stale If-Match → 412; an unknown action → 404', async () => {
    const { deps, finding } = await setup();
    const a = await createAction(deps, lead, finding.findingId, actionInput());
    expect(await rejection(transitionAction(deps, lead, a.actionId, 'verify', {}, {}))).toMatchObject({
      kind: 'conflict',
      code: 'illegal-transition',
    });
    const stale = await rejection(transitionAction(deps, shiminStaff, a.actionId, 'progress', { ifMatch: 5 }, { note: 'x' }));
    expect(stale).toBeInstanceOf(StaleVersion);
    expect(stale).toMatchObject({ currentVersion: 1 });
    expect(
      await rejection(transitionAction(deps, shiminStaff, '01KANSA0000000000000000ZZZ', 'progress', {}, { note: 'x' })),
    ).toBeInstanceOf(NotFound);
  });

  it('an action of a 課 the caller may not see → 404 before If-Match: its version is not told', async () => {
    const { deps, finding } = await setup();
    const a = await createAction(deps, lead, finding.findingId, actionInput());
    const hidden = await rejection(transitionAction(deps, zeiManager, a.actionId, 'progress', { ifMatch: 5 }, { note: '他課' }));
    expect(hidden).toBeInstanceOf(NotFound);
    expect(hidden).not.toHaveProperty('currentVersion');
    // Seen but not theirs to work: the If-Match first (412), then the reason (403).
    expect(await rejection(transitionAction(deps, shiminHead, a.actionId, 'progress', { ifMatch: 5 }, { note: '部長' }))).toBeInstanceOf(
      StaleVersion,
    );
    expect(await rejection(transitionAction(deps, shiminHead, a.actionId, 'progress', { ifMatch: 1 }, { note: '部長' }))).toBeInstanceOf(
      Forbidden,
    );
    expect(deps.store.events.filter((e) => e.entityId === a.actionId)).toHaveLength(1);
  });

  it('the 総括保護管理者 accepts a risk with a reason; nobody else', async () => {
    const { deps, finding } = await setup();
    const a = await createAction(deps, lead, finding.findingId, actionInput());
    expect(await rejection(transitionAction(deps, lead, a.actionId, 'acceptRisk', {}, { note: '受容' }))).toBeInstanceOf(Forbidden);
    deps.clock.set('2026-11-01T00:00:00Z');
    const accepted = await transitionAction(deps, chief, a.actionId, 'acceptRisk', { ifMatch: 1 }, { note: '費用対効果から受容する。' });
    expect(accepted).toMatchObject({ status: 'riskAccepted', riskAcceptedBy: 'chief-1', riskAcceptedAt: '2026-11-01T00:00:00.000Z' });
    expect(deps.store.events.at(-1)).toMatchObject({ action: 'action.riskAccepted', reason: '費用対効果から受容する。' });
  });

  it('the view says overdue from the clock, in Japan time', async () => {
    const { deps, finding } = await setup();
    const a = await createAction(deps, lead, finding.findingId, actionInput('2026-10-31'));
    deps.clock.set('2026-10-31T14:59:59Z');
    expect((await getAction(deps, lead, a.actionId)).overdue).toBe(false);
    deps.clock.set('2026-10-31T15:00:00Z');
    expect((await getAction(deps, lead, a.actionId)).overdue).toBe(true);
    // A submitted action is no longer overdue.
    const s = await transitionAction(deps, shiminStaff, a.actionId, 'submit', {}, { note: '完了' });
    expect(s.overdue).toBe(false);
  });

  it('a finding with actions keeps its article and 課: moving it would orphan its actions (409)', async () => {
    const { deps, finding } = await setup();
    await createAction(deps, lead, finding.findingId, actionInput());
    expect(await rejection(updateFinding(deps, lead, finding.findingId, { article: '第23条' }, {}))).toMatchObject({
      kind: 'conflict',
      code: 'finding-has-actions',
    });
    expect(await rejection(updateFinding(deps, lead, finding.findingId, { department: 'shiminzei' }, {}))).toMatchObject({
      kind: 'conflict',
      code: 'finding-has-actions',
    });
    await expect(updateFinding(deps, lead, finding.findingId, { title: '件名の修正' }, {})).resolves.toMatchObject({ title: '件名の修正' });
  });

  it('listActions: overdue with a settled status is empty', async () => {
    const { deps } = await setup();
    await expect(listActions(deps, lead, { status: 'verified', overdue: true, limit: 20 })).resolves.toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('getAction: a 課 that does not own the action gets 404', async () => {
    const { deps, finding } = await setup();
    const a = await createAction(deps, lead, finding.findingId, actionInput());
    expect(await rejection(getAction(deps, zeiManager, a.actionId))).toMatchObject({ kind: 'notFound', code: 'action-not-found' });
    await expect(getAction(deps, shiminHead, a.actionId)).resolves.toMatchObject({ actionId: a.actionId });
  });
});

describe('report gate (第26条1項) and close gate (第28条)', () => {
  /** Three findings: 要改善 on 第17条の2 (市民課), 重大な不備 on 第23条 (市民税課), 適合 on 第26条 (DX戦略課). */
  async function audited() {
    const { deps, plan, finding: minor } = await setup();
    const major = await createFinding(
      deps,
      kohoAuditor,
      plan.planId,
      findingInput({ department: 'shiminzei', article: '第23条第2項', rating: 'major', title: '事案報告の遅延' }),
    );
    const fine = await createFinding(
      deps,
      lead,
      plan.planId,
      findingInput({ department: 'dx-senryaku', article: '第26条', rating: 'conforming', title: '監査計画どおり' }),
    );
    return { deps, plan, minor, major, fine };
  }

  it('report → 409 listing the 要改善/重大な不備 findings without an action, by article label', async () => {
    const { deps, plan, major } = await audited();
    const before = deps.store.commits.length;
    const err = await rejection(transitionPlan(deps, lead, plan.planId, 'report', {}));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'findings-without-action' });
    const message = (err as Conflict).message;
    expect(message).toContain('2件');
    expect(message).toContain('第17条の2（市民課）');
    expect(message).toContain('第23条第2項（市民税課）「事案報告の遅延」');
    expect(message).not.toContain('第26条');
    expect(deps.store.commits).toHaveLength(before);

    await createAction(deps, kohoAuditor, major.findingId, actionInput());
    const again = await rejection(transitionPlan(deps, lead, plan.planId, 'report', {}));
    expect((again as Conflict).message).toContain('1件');
    expect((again as Conflict).message).not.toContain('第23条');
  });

  it('report succeeds once every 要改善/重大な不備 finding has an action; close waits for every action to settle', async () => {
    const { deps, plan, minor, major } = await audited();
    const a1 = await createAction(deps, dxAuditor, minor.findingId, actionInput());
    const a2 = await createAction(deps, kohoAuditor, major.findingId, actionInput());
    const reported = await transitionPlan(deps, lead, plan.planId, 'report', {});
    expect(reported).toMatchObject({ status: 'reported', reportedBy: 'lead-1' });

    const open = await rejection(transitionPlan(deps, chief, plan.planId, 'close', {}));
    expect(open).toBeInstanceOf(Conflict);
    expect(open).toMatchObject({ code: 'actions-not-settled' });
    expect((open as Conflict).message).toContain('2件');
    expect((open as Conflict).message).toContain('第17条の2（市民課）');
    expect((open as Conflict).message).toContain('未着手');

    await transitionAction(deps, shiminStaff, a1.actionId, 'submit', {}, { note: '完了' });
    await transitionAction(deps, dxAuditor, a1.actionId, 'verify', {}, {});
    const stillOpen = await rejection(transitionPlan(deps, chief, plan.planId, 'close', {}));
    expect((stillOpen as Conflict).message).toContain('1件');
    expect((stillOpen as Conflict).message).toContain('第23条第2項（市民税課）');

    await transitionAction(deps, chief, a2.actionId, 'acceptRisk', {}, { note: '受容する。' });
    const closed = await transitionPlan(deps, chief, plan.planId, 'close', {});
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'chief-1' });

    // The close commit checks every action's version in the same transaction.
    const versions = [...deps.store.actionsById.values()].map((a) => ({ entityType: 'action', entityId: a.actionId, version: a.version }));
    expect(versions.map((v) => v.version)).toEqual([3, 2]);
    expect(deps.store.checks.at(-1)).toEqual(expect.arrayContaining(versions));
    expect(deps.store.checks.at(-1)).toHaveLength(2);
    expect(deps.store.commits.at(-1)?.map((c) => c.event.action)).toEqual(['plan.closed']);
  });

  it('an action that changed after the gate read it → the close is refused (409), nothing written', async () => {
    const { deps, plan, minor, major } = await audited();
    const a1 = await createAction(deps, dxAuditor, minor.findingId, actionInput());
    const a2 = await createAction(deps, kohoAuditor, major.findingId, actionInput());
    await transitionPlan(deps, lead, plan.planId, 'report', {});
    await transitionAction(deps, chief, a1.actionId, 'acceptRisk', {}, { note: '受容' });
    await transitionAction(deps, chief, a2.actionId, 'acceptRisk', {}, { note: '受容' });
    // The gate reads versions older than the stored ones (a change landed in between).
    const stale = [...deps.store.actionsById.values()].map((a) => ({ ...structuredClone(a), version: a.version - 1 }));
    const late: FakeDeps = { ...deps, actions: { ...deps.actions, listOfPlan: async () => ({ items: stale, nextCursor: null }) } };
    const before = deps.store.commits.length;
    const err = await rejection(transitionPlan(late, chief, plan.planId, 'close', {}));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'related-changed' });
    expect(deps.store.commits).toHaveLength(before);
    expect(deps.store.plansById.get(plan.planId)?.status).toBe('reported');
  });

  it('only the 監査責任者 reports and only the 総括保護管理者 closes', async () => {
    const { deps, plan } = await setup();
    expect(await rejection(transitionPlan(deps, chief, plan.planId, 'report', {}))).toBeInstanceOf(Forbidden);
    expect(await rejection(transitionPlan(deps, lead, plan.planId, 'close', {}))).toBeInstanceOf(Forbidden);
  });
});

describe('listActions', () => {
  async function seeded() {
    const { deps, plan, finding } = await setup('2026-10-01T00:00:00Z');
    const zeiFinding = await createFinding(deps, kohoAuditor, plan.planId, findingInput({ department: 'shiminzei', article: '第23条' }));
    const early = await createAction(deps, lead, finding.findingId, actionInput('2026-10-10'));
    const late = await createAction(deps, lead, finding.findingId, actionInput('2026-12-25'));
    const done = await createAction(deps, lead, finding.findingId, actionInput('2026-10-05'));
    await transitionAction(deps, shiminStaff, done.actionId, 'submit', {}, { note: '完了' });
    const zei = await createAction(deps, lead, zeiFinding.findingId, actionInput('2026-10-02'));
    return { deps, early, late, done, zei };
  }

  it('overdue=true passes overdueBefore = today in Japan from the clock', async () => {
    const { deps, early, zei } = await seeded();
    deps.clock.set('2026-10-10T15:00:00Z'); // 2026-10-11 00:00 JST
    const page = await listActions(deps, lead, { overdue: true, limit: 20 });
    expect(deps.store.actionListQueries.at(-1)).toMatchObject({ overdueBefore: '2026-10-11', department: undefined });
    expect(page.items.map((a) => a.actionId)).toEqual([zei.actionId, early.actionId]);
    expect(page.items.every((a) => a.overdue)).toBe(true);

    deps.clock.set('2026-10-10T14:59:59Z'); // still 2026-10-10 in Japan: the action due that day is not overdue
    const before = await listActions(deps, lead, { overdue: true, limit: 20 });
    expect(deps.store.actionListQueries.at(-1)?.overdueBefore).toBe('2026-10-10');
    expect(before.items.map((a) => a.actionId)).toEqual([zei.actionId]);
  });

  it('without overdue, no overdueBefore; every action with its overdue flag', async () => {
    const { deps } = await seeded();
    deps.clock.set('2026-10-11T00:00:00Z');
    const page = await listActions(deps, lead, { limit: 20 });
    expect(deps.store.actionListQueries.at(-1)?.overdueBefore).toBeUndefined();
    expect(page.items.map((a) => [a.dueDate, a.status, a.overdue])).toEqual([
      ['2026-10-02', 'open', true],
      ['2026-10-05', 'submitted', false],
      ['2026-10-10', 'open', true],
      ['2026-12-25', 'open', false],
    ]);
  });

  it('a 保護担当者 is limited to their 課; another 課 → 403; status passes through', async () => {
    const { deps, done } = await seeded();
    const own = await listActions(deps, shiminStaff, { limit: 20 });
    expect(deps.store.actionListQueries.at(-1)).toMatchObject({ department: 'shimin' });
    expect(new Set(own.items.map((a) => a.department))).toEqual(new Set(['shimin']));
    expect(own.items).toHaveLength(3);
    expect(await rejection(listActions(deps, shiminStaff, { department: 'shiminzei', limit: 20 }))).toBeInstanceOf(Forbidden);
    const submitted = await listActions(deps, shiminManager, { status: 'submitted', limit: 20 });
    expect(submitted.items.map((a) => a.actionId)).toEqual([done.actionId]);
    expect(deps.store.actionListQueries.at(-1)).toMatchObject({ department: 'shimin', status: 'submitted' });
  });

  it('a 保護責任者 lists a 課 of their 部', async () => {
    const { deps, zei } = await seeded();
    const page = await listActions(deps, shiminHead, { department: 'shiminzei', limit: 20 });
    expect(page.items.map((a) => a.actionId)).toEqual([zei.actionId]);
    expect(await rejection(listActions(deps, shiminHead, { department: 'dx-senryaku', limit: 20 }))).toBeInstanceOf(Forbidden);
  });
});
