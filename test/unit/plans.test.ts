import { describe, expect, it } from 'vitest';
import type { Change } from '#lib/app/ports.js';
import { createPlan, createRevision, getPlan, listPlans, transitionPlan, updatePlan } from '#lib/app/plans.js';
import { Conflict, Forbidden, InvalidInput, NotFound, StaleVersion } from '#lib/domain/errors.js';
import type { Plan } from '#lib/domain/plan.js';
import { type FakeDeps, actor, chief, fakeDeps, lead, planInput } from './fakes.js';

const ulidShape = /^[0-9A-HJKMNP-TV-Z]{26}$/;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** Each change carries exactly one event, of its own entity, at its new version. */
function expectOneEventPerEntity(commit: Change[]): void {
  expect(new Set(commit.map((c) => c.entityId)).size).toBe(commit.length);
  for (const c of commit) {
    expect(c.event.entityType).toBe(c.entityType);
    expect(c.event.entityId).toBe(c.entityId);
    expect(c.event.version).toBe(c.entity.version);
    expect(c.event.eventId).toMatch(ulidShape);
  }
}

const summary = (commit: Change[]) =>
  commit.map((c) => ({ entityId: c.entityId, action: c.event.action, expectedVersion: c.expectedVersion, version: c.entity.version }));

/** An approved plan, by the usual route: lead drafts and submits, chief approves. */
async function approvedPlan(deps: FakeDeps): Promise<Plan> {
  const plan = await createPlan(deps, lead, planInput());
  await transitionPlan(deps, lead, plan.planId, 'submit', { ifMatch: 1 });
  return transitionPlan(deps, chief, plan.planId, 'approve', { ifMatch: 2 });
}

describe('fakes', () => {
  it('ids look like ULIDs and sort in issue order', () => {
    const { ids } = fakeDeps();
    const issued = Array.from({ length: 40 }, () => ids.next());
    for (const id of issued) expect(id).toMatch(ulidShape);
    expect([...issued].sort()).toEqual(issued);
    expect(new Set(issued).size).toBe(issued.length);
  });

  it('the writer refuses a stale expectedVersion and writes nothing of the commit', async () => {
    const deps = fakeDeps();
    const plan = await createPlan(deps, lead, planInput());
    const [good] = deps.store.commits[0] ?? [];
    if (good?.entityType !== 'plan') throw new Error('no plan commit');
    const stale = { ...good, expectedVersion: 7, entity: { ...plan, version: 8 }, event: { ...good.event, eventId: deps.ids.next() } };
    const other = { ...good, entityId: 'other', expectedVersion: null, event: { ...good.event, eventId: deps.ids.next() } };
    expect(await rejection(deps.writer.commit([other, stale]))).toMatchObject({ kind: 'staleVersion', currentVersion: 1 });
    expect(deps.store.plansById.has('other')).toBe(false);
    expect(deps.store.commits).toHaveLength(1);
  });

  it('the writer enforces prechecks: another version or a missing entity → Conflict, nothing written', async () => {
    const deps = fakeDeps();
    const plan = await createPlan(deps, lead, planInput());
    const [good] = deps.store.commits[0] ?? [];
    if (!good) throw new Error('no commit');
    const other = (n: number) => ({
      ...good,
      entityId: `other-${n}`,
      expectedVersion: null,
      event: { ...good.event, eventId: deps.ids.next() },
    });
    const checks = [
      [{ entityType: 'plan' as const, entityId: plan.planId, version: 2 }],
      [{ entityType: 'plan' as const, entityId: 'missing', version: 1 }],
      [{ entityType: 'action' as const, entityId: plan.planId, version: 1 }],
    ];
    for (const [i, check] of checks.entries()) {
      const err = await rejection(deps.writer.commit([other(i)], check));
      expect(err).toBeInstanceOf(Conflict);
      expect(err).toMatchObject({ code: 'related-changed' });
    }
    expect(deps.store.plansById.size).toBe(1);
    expect(deps.store.commits).toHaveLength(1);
    await deps.writer.commit([other(9)], [{ entityType: 'plan', entityId: plan.planId, version: 1 }]);
    expect(deps.store.plansById.has('other-9')).toBe(true);
    expect(deps.store.checks.at(-1)).toEqual([{ entityType: 'plan', entityId: plan.planId, version: 1 }]);
  });
});

describe('plan life: create → submit → return → update → submit → approve', () => {
  it('raises the version by one per step and records one event per change', async () => {
    const deps = fakeDeps('2026-06-01T00:00:00Z');

    const created = await createPlan(deps, lead, planInput());
    expect(created).toMatchObject({
      planId: expect.stringMatching(ulidShape),
      status: 'draft',
      version: 1,
      revision: 1,
      criteria: '郡山市保有個人情報等の取扱基準',
      profile: { id: '001' },
      createdBy: 'lead-1',
      lastEditedBy: 'lead-1',
      createdAt: '2026-06-01T00:00:00.000Z',
    });
    const id = created.planId;

    deps.clock.set('2026-06-02T00:00:00Z');
    const submitted = await transitionPlan(deps, lead, id, 'submit', { ifMatch: 1 });
    expect(submitted).toMatchObject({ status: 'submitted', version: 2, submittedBy: 'lead-1', submittedAt: '2026-06-02T00:00:00.000Z' });

    deps.clock.set('2026-06-03T00:00:00Z');
    const returned = await transitionPlan(deps, chief, id, 'return', { ifMatch: 2 }, '日程を見直すこと');
    expect(returned).toMatchObject({ status: 'returned', version: 3, returnedBy: 'chief-1', returnReason: '日程を見直すこと' });

    deps.clock.set('2026-06-03T09:00:00Z');
    const updated = await updatePlan(deps, lead, id, { schedule: { from: '2026-10-15', to: '2026-12-15' } }, { ifMatch: 3 });
    expect(updated).toMatchObject({
      status: 'returned',
      version: 4,
      schedule: { from: '2026-10-15', to: '2026-12-15' },
      lastEditedBy: 'lead-1',
    });

    const resubmitted = await transitionPlan(deps, lead, id, 'submit', { ifMatch: 4 });
    expect(resubmitted).toMatchObject({ status: 'submitted', version: 5 });

    deps.clock.set('2026-06-04T00:00:00Z');
    const approved = await transitionPlan(deps, chief, id, 'approve', { ifMatch: 5 }, '承認します。');
    expect(approved).toMatchObject({
      status: 'approved',
      version: 6,
      approvedBy: 'chief-1',
      approvedAt: '2026-06-04T00:00:00.000Z',
      approvalComment: '承認します。',
    });

    expect(await getPlan(deps, chief, id)).toEqual(approved);

    const commits = deps.store.commits;
    expect(commits.map(summary)).toEqual([
      [{ entityId: id, action: 'plan.created', expectedVersion: null, version: 1 }],
      [{ entityId: id, action: 'plan.submitted', expectedVersion: 1, version: 2 }],
      [{ entityId: id, action: 'plan.returned', expectedVersion: 2, version: 3 }],
      [{ entityId: id, action: 'plan.updated', expectedVersion: 3, version: 4 }],
      [{ entityId: id, action: 'plan.submitted', expectedVersion: 4, version: 5 }],
      [{ entityId: id, action: 'plan.approved', expectedVersion: 5, version: 6 }],
    ]);
    for (const commit of commits) expectOneEventPerEntity(commit);

    const events = commits.map((c) => c[0]?.event);
    expect(events[0]).toMatchObject({ before: null, actor: { sub: 'lead-1', roles: ['auditLead', 'deputyManager'] } });
    expect(events[2]).toMatchObject({
      reason: '日程を見直すこと',
      actor: { sub: 'chief-1' },
      before: { status: 'submitted', version: 2 },
      after: { status: 'returned', version: 3, returnReason: '日程を見直すこと' },
    });
    expect(events[3]).toMatchObject({
      before: { schedule: { from: '2026-10-01', to: '2026-11-30' } },
      after: { schedule: { from: '2026-10-15', to: '2026-12-15' } },
    });
    expect(events[5]).toMatchObject({ reason: '承認します。', at: '2026-06-04T00:00:00.000Z' });
    // The event records only what changed.
    expect(Object.keys(events[3]?.after ?? {}).sort()).toEqual(['lastEditedAt', 'schedule', 'updatedAt', 'version']);
  });
});

describe('preconditions and frozen plans', () => {
  it('If-Match naming another version → StaleVersion with the current version, nothing written', async () => {
    const deps = fakeDeps();
    const plan = await createPlan(deps, lead, planInput());
    const err = await rejection(updatePlan(deps, lead, plan.planId, { purpose: '別の目的' }, { ifMatch: 2 }));
    expect(err).toBeInstanceOf(StaleVersion);
    expect(err).toMatchObject({ currentVersion: 1 });
    expect(await rejection(transitionPlan(deps, lead, plan.planId, 'submit', { ifMatch: 0 }))).toBeInstanceOf(StaleVersion);
    expect(deps.store.commits).toHaveLength(1);
  });

  it('a change by someone else between read and write → 412 with the current version when If-Match named one, else 409', async () => {
    const deps = fakeDeps();
    const plan = await createPlan(deps, lead, planInput());
    const snapshot = await getPlan(deps, lead, plan.planId);
    await updatePlan(deps, lead, plan.planId, { purpose: '先に保存された目的' }, {});
    // A reader that still returns what it read before the other change.
    const late: FakeDeps = { ...deps, plans: { ...deps.plans, get: async () => structuredClone(snapshot) } };
    expect(await rejection(updatePlan(late, lead, plan.planId, { purpose: '後から保存' }, { ifMatch: 1 }))).toMatchObject({
      kind: 'staleVersion',
      currentVersion: 2,
    });
    // No If-Match: the caller named no version, so losing the race is a conflict to reload and retry.
    const raced = await rejection(updatePlan(late, lead, plan.planId, { purpose: '後から保存' }, {}));
    expect(raced).toBeInstanceOf(Conflict);
    expect(raced).toMatchObject({ code: 'concurrent-update', message: expect.stringContaining('読み込み直して') });
    expect((await getPlan(deps, lead, plan.planId)).purpose).toBe('先に保存された目的');
  });

  it('updating an approved plan → Conflict that points to a revision', async () => {
    const deps = fakeDeps();
    const plan = await approvedPlan(deps);
    const err = await rejection(updatePlan(deps, lead, plan.planId, { purpose: '承認後の変更' }, { ifMatch: plan.version }));
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Conflict).message).toContain('改訂版');
    expect(deps.store.commits).toHaveLength(3);
  });

  it('updating the schedule out of the 年度 → InvalidInput', async () => {
    const deps = fakeDeps();
    const plan = await createPlan(deps, lead, planInput());
    const err = await rejection(updatePlan(deps, lead, plan.planId, { fiscalYear: 2027 }, { ifMatch: 1 }));
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err).toMatchObject({ errors: [{ path: 'schedule' }] });
  });

  it('an unknown plan, or one the role may not read → the same NotFound; seen but not theirs to change → Forbidden', async () => {
    const deps = fakeDeps();
    const plan = await createPlan(deps, lead, planInput());
    expect(await rejection(getPlan(deps, lead, '01KANSA0000000000000000ZZZ'))).toBeInstanceOf(NotFound);
    const staff = actor('staff-1', ['sectionStaff']);
    expect(await rejection(getPlan(deps, staff, '01KANSA0000000000000000ZZZ'))).toBeInstanceOf(NotFound);
    expect(await rejection(getPlan(deps, staff, plan.planId))).toStrictEqual(
      await rejection(getPlan(deps, staff, '01KANSA0000000000000000ZZZ')),
    );
    expect(await rejection(transitionPlan(deps, staff, plan.planId, 'submit', { ifMatch: 9 }))).toBeInstanceOf(NotFound);
    expect(await rejection(transitionPlan(deps, chief, plan.planId, 'submit', { ifMatch: 9 }))).toBeInstanceOf(StaleVersion);
    expect(await rejection(transitionPlan(deps, chief, plan.planId, 'submit', { ifMatch: 1 }))).toBeInstanceOf(Forbidden);
  });

  it('only auditLead creates a plan', async () => {
    const deps = fakeDeps();
    expect(await rejection(createPlan(deps, chief, planInput()))).toBeInstanceOf(Forbidden);
    expect(deps.store.commits).toHaveLength(0);
  });

  it('職務の分離: a chiefManager who also drafted the plan cannot approve or return it', async () => {
    const deps = fakeDeps();
    const both = actor('both-1', ['chiefManager', 'auditLead']);
    const plan = await createPlan(deps, both, planInput());
    await transitionPlan(deps, both, plan.planId, 'submit', { ifMatch: 1 });
    for (const t of ['approve', 'return'] as const) {
      const err = await rejection(transitionPlan(deps, both, plan.planId, t, { ifMatch: 2 }, '理由'));
      expect(err).toBeInstanceOf(Forbidden);
      expect((err as Forbidden).message).toContain('職務の分離');
    }
    await expect(transitionPlan(deps, chief, plan.planId, 'approve', { ifMatch: 2 })).resolves.toMatchObject({ status: 'approved' });
  });
});

describe('revisions of an approved plan', () => {
  it('createRevision makes a draft revision and marks the approved plan, in one commit of two changes', async () => {
    const deps = fakeDeps();
    const approved = await approvedPlan(deps);
    const before = deps.store.commits.length;

    const revision = await createRevision(deps, lead, approved.planId, { ifMatch: approved.version });
    expect(revision).toMatchObject({
      planId: expect.stringMatching(ulidShape),
      status: 'draft',
      version: 1,
      revision: 2,
      revisionOf: approved.planId,
      purpose: approved.purpose,
      schedule: approved.schedule,
      auditedDepartments: approved.auditedDepartments,
      createdBy: 'lead-1',
    });
    expect(revision.planId).not.toBe(approved.planId);
    expect(revision).not.toHaveProperty('approvedBy');
    expect(revision).not.toHaveProperty('submittedBy');

    expect(deps.store.commits).toHaveLength(before + 1);
    const commit = deps.store.commits.at(-1) ?? [];
    expect(summary(commit)).toEqual([
      { entityId: revision.planId, action: 'plan.revisionCreated', expectedVersion: null, version: 1 },
      { entityId: approved.planId, action: 'plan.revisionOpened', expectedVersion: approved.version, version: approved.version + 1 },
    ]);
    expectOneEventPerEntity(commit);

    // The approved revision stays approved and readable.
    const stillApproved = await getPlan(deps, chief, approved.planId);
    expect(stillApproved).toMatchObject({
      status: 'approved',
      pendingRevisionId: revision.planId,
      version: approved.version + 1,
      purpose: approved.purpose,
    });
  });

  it('approving the revision supersedes the old plan in the same commit', async () => {
    const deps = fakeDeps();
    const approved = await approvedPlan(deps);
    const revision = await createRevision(deps, lead, approved.planId, { ifMatch: approved.version });
    await updatePlan(deps, lead, revision.planId, { purpose: '改訂後の目的' }, { ifMatch: 1 });
    await transitionPlan(deps, lead, revision.planId, 'submit', { ifMatch: 2 });
    const before = deps.store.commits.length;

    const approvedRevision = await transitionPlan(deps, chief, revision.planId, 'approve', { ifMatch: 3 });
    expect(approvedRevision).toMatchObject({ status: 'approved', version: 4, revision: 2, purpose: '改訂後の目的' });

    expect(deps.store.commits).toHaveLength(before + 1);
    const commit = deps.store.commits.at(-1) ?? [];
    expect(summary(commit)).toEqual([
      { entityId: revision.planId, action: 'plan.approved', expectedVersion: 3, version: 4 },
      { entityId: approved.planId, action: 'plan.superseded', expectedVersion: approved.version + 1, version: approved.version + 2 },
    ]);
    expectOneEventPerEntity(commit);

    const old = await getPlan(deps, chief, approved.planId);
    expect(old).toMatchObject({ status: 'approved', supersededBy: revision.planId, purpose: approved.purpose });
    expect(old).not.toHaveProperty('pendingRevisionId');
    expect(commit[1]?.event).toMatchObject({
      before: { pendingRevisionId: revision.planId, supersededBy: null },
      after: { pendingRevisionId: null, supersededBy: revision.planId },
    });

    // The superseded plan can be neither started nor revised again.
    expect(await rejection(transitionPlan(deps, lead, approved.planId, 'start', {}))).toMatchObject({
      kind: 'conflict',
      code: 'plan-superseded',
    });
    expect(await rejection(createRevision(deps, lead, approved.planId, {}))).toMatchObject({ kind: 'conflict', code: 'plan-superseded' });
    // The new approved revision can be started.
    await expect(transitionPlan(deps, lead, revision.planId, 'start', { ifMatch: 4 })).resolves.toMatchObject({
      status: 'inProgress',
      version: 5,
    });
  });

  it('a second createRevision while one is pending → Conflict, nothing written', async () => {
    const deps = fakeDeps();
    const approved = await approvedPlan(deps);
    await createRevision(deps, lead, approved.planId, {});
    const before = deps.store.commits.length;
    const err = await rejection(createRevision(deps, lead, approved.planId, {}));
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'revision-pending' });
    expect(deps.store.commits).toHaveLength(before);
  });

  it('the old plan cannot be started while its revision is pending', async () => {
    const deps = fakeDeps();
    const approved = await approvedPlan(deps);
    await createRevision(deps, lead, approved.planId, {});
    expect(await rejection(transitionPlan(deps, lead, approved.planId, 'start', {}))).toMatchObject({
      kind: 'conflict',
      code: 'revision-pending',
    });
  });

  it('only an approved plan can be revised', async () => {
    const deps = fakeDeps();
    const plan = await createPlan(deps, lead, planInput());
    expect(await rejection(createRevision(deps, lead, plan.planId, {}))).toMatchObject({ kind: 'conflict', code: 'plan-not-revisable' });
  });
});

describe('listPlans', () => {
  async function seed(deps: FakeDeps): Promise<Record<number, string>> {
    const a = await createPlan(deps, lead, planInput({ fiscalYear: 2026, schedule: { from: '2026-10-01', to: '2026-11-30' } }));
    const b = await createPlan(deps, lead, planInput({ fiscalYear: 2027, schedule: { from: '2027-10-01', to: '2027-11-30' } }));
    return { 2026: a.planId, 2027: b.planId };
  }

  it.each([
    ['2027-03-31T14:59:59Z', 2026],
    ['2027-03-31T15:00:00Z', 2027],
  ])('without fiscalYear, at %s lists the current JST 年度 (%i)', async (now, fy) => {
    const deps = fakeDeps();
    const ids = await seed(deps);
    deps.clock.set(now);
    const page = await listPlans(deps, chief, { limit: 20 });
    expect(page.items.map((p) => p.planId)).toEqual([ids[fy]]);
    expect(deps.store.planListQueries.at(-1)).toMatchObject({ fiscalYear: fy, limit: 20 });
  });

  it('an explicit fiscalYear and status are passed through', async () => {
    const deps = fakeDeps('2027-03-31T15:00:00Z');
    const ids = await seed(deps);
    const page = await listPlans(deps, chief, { fiscalYear: 2026, status: 'draft', limit: 5 });
    expect(page.items.map((p) => p.planId)).toEqual([ids[2026]]);
    expect(deps.store.planListQueries.at(-1)).toEqual({ fiscalYear: 2026, status: 'draft', limit: 5 });
  });

  it('is refused to a role that may not read plans', async () => {
    expect(await rejection(listPlans(fakeDeps(), actor('head-1', ['deptHead']), { limit: 20 }))).toBeInstanceOf(Forbidden);
  });
});
