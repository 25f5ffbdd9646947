import { describe, expect, it } from 'vitest';
import { createFinding } from '#lib/app/findings.js';
import {
  acknowledgeIncident,
  closeIncidentCase,
  containIncident,
  createIncident,
  escalateIncident,
  getIncident,
  investigateIncident,
  listIncidents,
  recordIncidentNotice,
  recordIncidentPpcReport,
  recordIncidentPrevention,
  republishReported,
  updateIncidentFacts,
} from '#lib/app/incidents.js';
import { createEvidence, listEvidence } from '#lib/app/evidence.js';
import { Conflict, Forbidden, InvalidInput, NotFound, StaleVersion } from '#lib/domain/errors.js';
import { type CreateIncidentInput, type Incident, noFlags } from '#lib/domain/incident.js';
import type { Task } from '#lib/domain/task.js';
import {
  type FakeDeps,
  actor,
  chief,
  dxAuditor,
  fakeDeps,
  kohoAuditor,
  lead,
  planInProgress,
  shiminHead,
  shiminManager,
  shiminStaff,
  zeiManager,
} from './fakes.js';
import { sha256 } from '#test/fixtures/files.js';

/**
 * 事案 use cases against the fakes, under 001 (郡山市 第23条–第25条): who reports, who sees,
 * who takes each step, the tasks each step opens and closes in its own commit, and the
 * outbox of kansa.IncidentReported.
 */

/** A 会計年度任用職員 of 市民課: no role at all. */
const clerk = actor('clerk-1', [], 'shimin');
/** A 職員 whose token names no 課. */
const nobody = actor('nobody-1', [], '');

const report = (over: Partial<CreateIncidentInput> = {}, subjects: number | null = 101): CreateIncidentInput => ({
  department: 'shimin',
  discoveredAt: '2026-06-01T09:00:00+09:00',
  summary: '通知書を別の住所に誤送付した',
  category: 'leak',
  records: {
    items: ['氏名', '住所'],
    subjects,
    ...noFlags,
  },
  ...over,
});

const tasksOf = (d: FakeDeps, incidentId: string): Task[] =>
  [...d.store.tasksById.values()].filter((t) => t.subject.type === 'incident' && t.subject.id === incidentId);
const openKinds = (d: FakeDeps, incidentId: string) =>
  tasksOf(d, incidentId)
    .filter((t) => t.status === 'open')
    .map((t) => t.kind)
    .sort();

async function rejects<E>(p: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected ${type.name}`);
}

/** A 事案 of 市民課 moved along the chain by its 保護管理者. */
async function prevented(d: FakeDeps, subjects = 1): Promise<Incident> {
  const i = await createIncident(d, clerk, report({}, subjects));
  await containIncident(d, shiminManager, i.incidentId, { measures: '回収した' }, {});
  await investigateIncident(d, shiminManager, i.incidentId, { findings: '封入の確認漏れ' }, {});
  return recordIncidentPrevention(d, shiminManager, i.incidentId, { measures: '二人で確認する', shareWith: ['shiminzei'] }, {});
}

describe('reporting a 事案 (001 第23条第1項)', () => {
  it('a 職員 with no role reports one: assessed, the 保護管理者 and the PPC reporter get tasks, and the report is announced', async () => {
    const d = fakeDeps('2026-06-01T03:00:00Z');
    const i = await createIncident(d, clerk, report());
    expect(i.status).toBe('reported');
    expect(i.createdBy).toBe('clerk-1');
    expect(i.assessment.reportToPPC).toBe(true);
    expect(i.assessment.deadlines.preliminary).not.toBeNull();
    expect(i.assessment.deadlines.final).not.toBeNull();
    const tasks = tasksOf(d, i.incidentId);
    expect(tasks.map((t) => [t.kind, t.assignee])).toEqual(
      expect.arrayContaining([
        ['incidentResponse', { role: 'sectionManager', department: 'shimin' }],
        ['incidentReport', { role: 'deputyManager' }],
      ]),
    );
    // Titles cite the profile's provisions, never a literal of the code.
    const response = tasks.find((t) => t.kind === 'incidentResponse') as Task;
    expect(response.title).toContain('（第23条第1項）');
    expect(response.source).toBe('第23条第1項');
    const ppc = tasks.find((t) => t.kind === 'incidentReport') as Task;
    expect(ppc.title).toContain('（第24条）');
    expect(ppc.dueDate).toBe(i.assessment.deadlines.preliminary);
    // One commit: the 事案, its event and both tasks, with the outbox claim.
    expect(d.store.commits).toHaveLength(1);
    expect(d.store.events.map((e) => e.action)).toEqual(['incident.reported', 'task.created', 'task.created']);
    expect(d.events.published.map((e) => e.type)).toEqual(['IncidentReported', 'TaskCreated', 'TaskCreated']);
    expect(d.events.published[0]?.detail).toMatchObject({ incidentId: i.incidentId, department: 'shimin', reportToPPC: true });
    expect([...d.store.claims.values()].map((c) => c.events?.length)).toEqual([3]);
  });

  it('with no report required, only the 課 gets a task', async () => {
    const d = fakeDeps();
    const i = await createIncident(d, clerk, report({}, 100));
    expect(i.assessment.reportToPPC).toBe(false);
    expect(openKinds(d, i.incidentId)).toEqual(['incidentResponse']);
  });

  it('a repeated create publishes what its outbox stored again', async () => {
    const d = fakeDeps();
    const i = await createIncident(d, clerk, report());
    d.events.published.length = 0;
    await republishReported(d, i);
    expect(d.events.published.map((e) => e.type)).toEqual(['IncidentReported', 'TaskCreated', 'TaskCreated']);
  });

  it('refuses a token without a 課 (403), a 部 or unknown 課 (400), and a contractor of another 課', async () => {
    const d = fakeDeps();
    const forbidden = await rejects(createIncident(d, nobody, report()), Forbidden);
    expect(forbidden.message).toMatch(/所属する課/);
    await rejects(createIncident(d, clerk, report({ department: 'shimin-bu' })), InvalidInput);
    await rejects(createIncident(d, clerk, report({ department: 'no-such' })), InvalidInput);
    await rejects(createIncident(d, clerk, report({ contractorId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })), NotFound);
    d.store.contractorsById.set('01J00000000000000000000001', {
      contractorId: '01J00000000000000000000001',
      department: 'shiminzei',
      name: '株式会社○○',
    } as never);
    const other = await rejects(createIncident(d, clerk, report({ contractorId: '01J00000000000000000000001' })), InvalidInput);
    expect(other.errors[0]?.path).toBe('contractorId');
    expect(d.store.commits).toHaveLength(0);
  });
});

describe('who sees a 事案', () => {
  it('its reporter, the 課, its 部長 and the readers of every 課’s 事案; others get 404', async () => {
    const d = fakeDeps();
    const i = await createIncident(d, clerk, report());
    for (const who of [clerk, shiminManager, shiminStaff, shiminHead, lead, chief, kohoAuditor])
      expect((await getIncident(d, who, i.incidentId)).incidentId).toBe(i.incidentId);
    await rejects(getIncident(d, zeiManager, i.incidentId), NotFound);
    // 第7条の2第3項: 第23条–第25条 are the 広報広聴課長's to audit, not the DX戦略課長's.
    await rejects(getIncident(d, dxAuditor, i.incidentId), NotFound);
    await rejects(getIncident(d, actor('other-clerk', [], 'shimin'), i.incidentId), NotFound);
  });

  it('lists: a reporter with no role their own, a section its 課, readers of every 課 all', async () => {
    const d = fakeDeps();
    const mine = await createIncident(d, clerk, report());
    const theirs = await createIncident(d, zeiManager, report({ department: 'shiminzei' }));
    const ids = async (who: Parameters<typeof listIncidents>[1], q = {}) =>
      (await listIncidents(d, who, { limit: 20, fiscalYear: 2026, ...q })).items.map((i) => i.incidentId).sort();
    expect(await ids(clerk)).toEqual([mine.incidentId]);
    expect(await ids(shiminManager)).toEqual([mine.incidentId]);
    expect(await ids(zeiManager)).toEqual([theirs.incidentId]);
    expect(await ids(zeiManager, { mine: true })).toEqual([theirs.incidentId]);
    expect(await ids(lead)).toEqual([mine.incidentId, theirs.incidentId].sort());
    expect(await ids(lead, { department: 'shiminzei' })).toEqual([theirs.incidentId]);
    expect(await ids(lead, { status: 'closed' })).toEqual([]);
    await rejects(ids(clerk, { department: 'shiminzei' }), Forbidden);
  });
});

describe('correcting the facts (PATCH)', () => {
  it('recomputes the assessment, opens and closes the PPC task, and the trail shows each change', async () => {
    const d = fakeDeps();
    const i = await createIncident(d, clerk, report());
    const down = await updateIncidentFacts(d, lead, i.incidentId, { records: { subjects: 100 } }, { ifMatch: 1 });
    expect(down.assessment.reportToPPC).toBe(false);
    expect(openKinds(d, i.incidentId)).toEqual(['incidentResponse']);
    const up = await updateIncidentFacts(d, shiminManager, i.incidentId, { records: { subjects: 101 } }, { ifMatch: 2 });
    expect(up.assessment.reportToPPC).toBe(true);
    expect(openKinds(d, i.incidentId)).toEqual(['incidentReport', 'incidentResponse']);
    const trail = d.store.events.filter((e) => e.entityType === 'incident' && e.action === 'incident.updated');
    expect(
      trail.map((e) => [(e.before?.records as { subjects: number }).subjects, (e.after.records as { subjects: number }).subjects]),
    ).toEqual([
      [101, 100],
      [100, 101],
    ]);
    expect(trail.map((e) => (e.after.assessment as { reportToPPC: boolean }).reportToPPC)).toEqual([false, true]);
  });

  it('moved deadlines replace the PPC task with one due by the new date', async () => {
    const d = fakeDeps('2026-06-10T03:00:00Z');
    const i = await createIncident(d, clerk, report());
    const later = await updateIncidentFacts(d, lead, i.incidentId, { discoveredAt: '2026-06-08T09:00:00+09:00' }, {});
    expect(later.assessment.deadlines.preliminary).not.toBe(i.assessment.deadlines.preliminary);
    const reports = tasksOf(d, i.incidentId).filter((t) => t.kind === 'incidentReport');
    expect(reports.map((t) => [t.status, t.dueDate])).toEqual([
      ['done', i.assessment.deadlines.preliminary],
      ['open', later.assessment.deadlines.preliminary],
    ]);
  });

  it('after the 確報 a correction opens no PPC task; after the 速報 the new task names only the 確報', async () => {
    const d = fakeDeps('2026-06-10T03:00:00Z');
    const i = await createIncident(d, clerk, report());
    await recordIncidentPpcReport(d, lead, i.incidentId, { stage: 'preliminary', submittedAt: '2026-06-02T00:00:00Z' }, {});
    const moved = await updateIncidentFacts(d, lead, i.incidentId, { discoveredAt: '2026-06-03T09:00:00+09:00' }, {});
    const open = () => tasksOf(d, i.incidentId).filter((t) => t.kind === 'incidentReport' && t.status === 'open');
    expect(open().map((t) => [t.dueDate, t.title.replace(/:.*/, '')])).toEqual([
      [moved.assessment.deadlines.final, `個人情報保護委員会への確報（確報 ${moved.assessment.deadlines.final}まで）`],
    ]);
    await recordIncidentPpcReport(d, lead, i.incidentId, { stage: 'final', submittedAt: '2026-06-09T00:00:00Z' }, {});
    expect(open()).toEqual([]);
    const earlier = await updateIncidentFacts(d, lead, i.incidentId, { discoveredAt: '2026-06-02T09:00:00+09:00' }, {});
    expect(earlier.assessment.deadlines).not.toEqual(moved.assessment.deadlines);
    const off = await updateIncidentFacts(d, lead, i.incidentId, { records: { subjects: 100 } }, {});
    expect(off.assessment.reportToPPC).toBe(false);
    await updateIncidentFacts(d, lead, i.incidentId, { records: { subjects: 101 } }, {});
    expect(open()).toEqual([]);
  });

  it('412 on a stale If-Match, 403 for a role outside the chain, 404 for one who cannot see it', async () => {
    const d = fakeDeps();
    const i = await createIncident(d, clerk, report());
    await rejects(updateIncidentFacts(d, lead, i.incidentId, { summary: '改める' }, { ifMatch: 9 }), StaleVersion);
    await rejects(updateIncidentFacts(d, clerk, i.incidentId, { summary: '改める' }, {}), Forbidden);
    await rejects(updateIncidentFacts(d, shiminStaff, i.incidentId, { summary: '改める' }, {}), Forbidden);
    await rejects(updateIncidentFacts(d, zeiManager, i.incidentId, { summary: '改める' }, {}), NotFound);
  });
});

describe('the chain (001 第23条第2項–第5項, 第24条, 第25条)', () => {
  it('each step in one commit with its event and its tasks', async () => {
    const d = fakeDeps();
    const i = await createIncident(d, clerk, report());
    await rejects(investigateIncident(d, shiminManager, i.incidentId, { findings: '先に調査' }, {}), Conflict);
    await rejects(containIncident(d, kohoAuditor, i.incidentId, { measures: '他の課' }, {}), Forbidden);
    await containIncident(d, shiminManager, i.incidentId, { measures: '回収した' }, { ifMatch: 1 });
    await investigateIncident(d, shiminManager, i.incidentId, { findings: '確認漏れ' }, {});
    expect(openKinds(d, i.incidentId)).toEqual(['incidentInvestigation', 'incidentReport']);
    expect(tasksOf(d, i.incidentId).find((t) => t.kind === 'incidentInvestigation')?.assignee).toEqual({ role: 'deputyManager' });
    await rejects(escalateIncident(d, shiminManager, i.incidentId, { reason: '重大' }, {}), Forbidden);
    await escalateIncident(d, lead, i.incidentId, { reason: '100人を超える' }, {});
    expect(tasksOf(d, i.incidentId).find((t) => t.kind === 'incidentEscalation')?.assignee).toEqual({ role: 'chiefManager' });
    await rejects(
      recordIncidentPrevention(d, shiminManager, i.incidentId, { measures: '二人で確認', shareWith: ['shimin-bu'] }, {}),
      InvalidInput,
    );
    await recordIncidentPrevention(d, shiminManager, i.incidentId, { measures: '二人で確認', shareWith: ['shiminzei', 'shimin'] }, {});
    expect(tasksOf(d, i.incidentId).find((t) => t.kind === 'incidentShare')?.assignee).toEqual({
      role: 'sectionManager',
      department: 'shiminzei',
    });
    // closing waits for the 確報
    const blocked = await rejects(closeIncidentCase(d, chief, i.incidentId, {}, {}), Conflict);
    expect(blocked.message).toContain('確報');
    await recordIncidentPpcReport(d, lead, i.incidentId, { stage: 'preliminary', submittedAt: '2026-06-01T00:00:00Z' }, {});
    expect(openKinds(d, i.incidentId)).toContain('incidentReport');
    await recordIncidentPpcReport(d, lead, i.incidentId, { stage: 'final', submittedAt: '2026-06-01T00:00:00Z' }, {});
    expect(openKinds(d, i.incidentId)).not.toContain('incidentReport');
    await rejects(recordIncidentNotice(d, lead, i.incidentId, { kind: 'publication', at: '2026-06-01T00:00:00Z' }, {}), Forbidden);
    await recordIncidentNotice(d, chief, i.incidentId, { kind: 'publication', at: '2026-06-01T00:00:00Z' }, {});
    await recordIncidentNotice(d, lead, i.incidentId, { kind: 'subjects', at: '2026-06-01T00:00:00Z' }, {});
    // the 市民税課 acknowledges; its task closes with it
    await rejects(acknowledgeIncident(d, shiminManager, i.incidentId, {}), Forbidden);
    await acknowledgeIncident(d, zeiManager, i.incidentId, {});
    await rejects(acknowledgeIncident(d, zeiManager, i.incidentId, {}), Conflict);
    expect(openKinds(d, i.incidentId)).toEqual(['incidentEscalation', 'incidentInvestigation']);
    await rejects(closeIncidentCase(d, lead, i.incidentId, {}, {}), Forbidden);
    const closed = await closeIncidentCase(d, chief, i.incidentId, { comment: '対応を終えた' }, {});
    expect(closed.status).toBe('closed');
    expect(openKinds(d, i.incidentId)).toEqual([]);
    const actions = d.store.events.filter((e) => e.entityType === 'incident').map((e) => e.action);
    expect(actions).toEqual([
      'incident.reported',
      'incident.contained',
      'incident.investigated',
      'incident.escalated',
      'incident.preventionRecorded',
      'incident.ppcReported',
      'incident.ppcReported',
      'incident.noticeRecorded',
      'incident.noticeRecorded',
      'incident.acknowledged',
      'incident.closed',
    ]);
    // every commit wrote the 事案 once, with its own event
    for (const commit of d.store.commits) expect(commit.filter((c) => c.entityType === 'incident')).toHaveLength(1);
  });

  it('a 事案 needing no report closes once prevention is recorded', async () => {
    const d = fakeDeps();
    const i = await prevented(d, 1);
    expect((await closeIncidentCase(d, chief, i.incidentId, {}, {})).status).toBe('closed');
    await rejects(containIncident(d, shiminManager, i.incidentId, { measures: 'もう一度' }, {}), Conflict);
  });

  it('closing the 事案 closes a PPC task still open with it', async () => {
    const d = fakeDeps();
    const i = await prevented(d, 101);
    await recordIncidentPpcReport(d, lead, i.incidentId, { stage: 'final', submittedAt: '2026-06-01T00:00:00Z' }, {});
    // A task left open by an earlier version of the correction (it opened one after the 確報).
    const left = { ...(tasksOf(d, i.incidentId).find((t) => t.kind === 'incidentReport') as Task), taskId: '01KANSA00000000000000LEFT1' };
    d.store.tasksById.set(left.taskId, { ...left, status: 'open', version: 1 });
    await closeIncidentCase(d, chief, i.incidentId, {}, {});
    expect(openKinds(d, i.incidentId)).toEqual(['incidentShare']);
    expect(d.store.commits.at(-1)?.map((c) => c.entityId)).toContain(left.taskId);
  });

  it('the 課 the prevention was shared with reads the 事案', async () => {
    const d = fakeDeps();
    const i = await prevented(d);
    expect((await getIncident(d, zeiManager, i.incidentId)).sharing).toEqual([{ department: 'shiminzei' }]);
  });
});

describe('evidence of a 事案 and findings referring to one', () => {
  const photo = { fileName: '誤送付.jpg', contentType: 'image/jpeg', size: 100, sha256: sha256(Buffer.from('x')) };

  it('the reporter with no role attaches and reads its evidence; another 課 gets 404, a 部長 outside the chain 403', async () => {
    const d = fakeDeps();
    const i = await createIncident(d, clerk, report());
    const { evidence } = await createEvidence(d, clerk, { target: { type: 'incident', id: i.incidentId }, ...photo });
    expect(evidence.department).toBe('shimin');
    const list = await listEvidence(d, clerk, { targetType: 'incident', targetId: i.incidentId, limit: 20 });
    expect(list.items.map((e) => e.evidenceId)).toEqual([evidence.evidenceId]);
    await rejects(createEvidence(d, zeiManager, { target: { type: 'incident', id: i.incidentId }, ...photo }), NotFound);
    await rejects(createEvidence(d, shiminHead, { target: { type: 'incident', id: i.incidentId }, ...photo }), Forbidden);
    // the chain's roles attach too (the 総括保護管理者 closes it)
    await createEvidence(d, chief, { target: { type: 'incident', id: i.incidentId }, ...photo });
  });

  it('a finding names a 事案 its auditor sees; an unknown one is a 400', async () => {
    const d = fakeDeps();
    const plan = await planInProgress(d);
    const i = await createIncident(d, clerk, report());
    const base = { department: 'shimin', article: '第23条', rating: 'minor' as const, title: '事案の対応', observation: '確認した' };
    const f = await createFinding(d, lead, plan.planId, { ...base, incidentId: i.incidentId });
    expect(f.incidentId).toBe(i.incidentId);
    const bad = await rejects(createFinding(d, lead, plan.planId, { ...base, incidentId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }), InvalidInput);
    expect(bad.errors[0]?.path).toBe('incidentId');
  });
});
