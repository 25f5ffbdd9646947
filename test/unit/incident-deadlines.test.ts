import { describe, expect, it } from 'vitest';
import type { DutyResult, DutyRun } from '#lib/app/duty-units.js';
import { dutyWork } from '#lib/app/duty-work.js';
import { settledDeadlineTaskChanges } from '#lib/app/incidents.js';
import { dutyActor } from '#lib/app/task-changes.js';
import { noFlags, type Incident, createIncidentSchema, recordPpcReport } from '#lib/domain/incident.js';
import { newIncident } from '#lib/domain/incident-assessment.js';
import { alertSubject, deadlineAlerts, deadlineTaskSettled, deadlineTitleHead } from '#lib/domain/incident-deadlines.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { nara } from '#lib/profiles/nara.js';
import { dutyDefinition } from '#lib/profiles/system-duties.js';
import { type FakeDeps, fakeDeps } from './fakes.js';

/**
 * The daily `incident-deadlines` duty: a reminder the day before each open deadline of a
 * report to the PPC, an escalation to the chief (and kansa.IncidentDeadlinePassed) once it
 * passed, each once whatever the runs; the report recorded closes them.
 */

const id = '01KANSA0000000000000000NC1';

/** A 市民課 事案 learned of on 2026-06-01 concerning 101 people: 速報 2026-06-05, 確報 2026-06-30. */
function incident(profile: RegulationProfile = koriyama, records: Record<string, unknown> = {}): Incident {
  const input = createIncidentSchema.parse({
    department: 'shimin',
    discoveredAt: '2026-06-01T10:00:00+09:00',
    summary: '住民票の写しを別人に誤送付した',
    category: 'leak',
    records: {
      items: ['氏名', '住所'],
      subjects: 101,
      ...noFlags,
      ...records,
    },
  });
  return newIncident(id, input, profile.incidents, 'u-staff', new Date('2026-06-01T10:30:00+09:00'));
}

describe('deadlineAlerts', () => {
  const i = incident();

  it.each([
    ['2026-06-03', []],
    ['2026-06-04', [{ kind: 'incidentDeadlineReminder', stage: 'preliminary', deadline: '2026-06-05' }]],
    ['2026-06-05', []],
    ['2026-06-06', [{ kind: 'incidentDeadlinePassed', stage: 'preliminary', deadline: '2026-06-05' }]],
    ['2026-06-20', [{ kind: 'incidentDeadlinePassed', stage: 'preliminary', deadline: '2026-06-05' }]],
    [
      '2026-06-29',
      [
        { kind: 'incidentDeadlinePassed', stage: 'preliminary', deadline: '2026-06-05' },
        { kind: 'incidentDeadlineReminder', stage: 'final', deadline: '2026-06-30' },
      ],
    ],
    ['2026-06-30', [{ kind: 'incidentDeadlinePassed', stage: 'preliminary', deadline: '2026-06-05' }]],
  ] as const)('on %s', (today, alerts) => {
    expect(deadlineAlerts(i, today)).toEqual(alerts);
  });

  it('a 確報 filed first settles both; a closed 事案 owes nothing', () => {
    const filed = recordPpcReport(
      i,
      { stage: 'final', submittedAt: '2026-06-02T09:00:00+09:00' },
      'u',
      new Date('2026-06-02T10:00:00+09:00'),
    );
    expect(deadlineAlerts(filed, '2026-07-01')).toEqual([]);
    expect(deadlineAlerts(incident(koriyama, { subjects: 1 }), '2026-07-01')).toEqual([]);
  });

  it('002 特に重大: the 速報 is due on day 1, so no reminder, and escalated the next day', () => {
    const grave = incident(nara, { myNumber: true, inSystem: true });
    expect(deadlineAlerts(grave, '2026-06-01')).toEqual([]);
    expect(deadlineAlerts(grave, '2026-06-02')).toEqual([{ kind: 'incidentDeadlinePassed', stage: 'preliminary', deadline: '2026-06-01' }]);
  });

  it('the claim subject names the 事案, the stage and the kind', () => {
    expect(alertSubject(id, { stage: 'final', kind: 'incidentDeadlinePassed' })).toBe(`${id}#final#incidentDeadlinePassed`);
  });

  it('a deadline task is settled once its deadline is no longer open; other tasks never', () => {
    const reminder = {
      kind: 'incidentDeadlineReminder',
      dueDate: '2026-06-05',
      title: `${deadlineTitleHead('preliminary', '2026-06-05')}は明日です`,
    };
    expect(deadlineTaskSettled(i, reminder)).toBe(false);
    const filed = recordPpcReport(
      i,
      { stage: 'preliminary', submittedAt: '2026-06-02T09:00:00+09:00' },
      'u',
      new Date('2026-06-02T10:00:00+09:00'),
    );
    expect(deadlineTaskSettled(filed, reminder)).toBe(true);
    const passed = {
      kind: 'incidentDeadlinePassed',
      dueDate: '2026-06-30',
      title: `${deadlineTitleHead('final', '2026-06-30')}を過ぎています`,
    };
    expect(deadlineTaskSettled(filed, passed)).toBe(false);
    expect(deadlineTaskSettled(filed, { kind: 'inspection', dueDate: '2026-06-05', title: '点検' })).toBe(false);
  });

  it('a 速報 task whose date became the 確報’s deadline after a correction is settled: the stage matters too', () => {
    const corrected: Incident = { ...i, assessment: { ...i.assessment, deadlines: { preliminary: '2026-05-08', final: '2026-06-05' } } };
    const old = {
      kind: 'incidentDeadlineReminder',
      dueDate: '2026-06-05',
      title: `${deadlineTitleHead('preliminary', '2026-06-05')}は明日です`,
    };
    expect(deadlineTaskSettled(corrected, old)).toBe(true);
    expect(deadlineTaskSettled(corrected, { ...old, title: `${deadlineTitleHead('final', '2026-06-05')}は明日です` })).toBe(false);
  });
});

describe('the incident-deadlines duty', () => {
  function runOn(deps: FakeDeps, today: string, resumed = false): Promise<DutyResult> {
    const definition = dutyDefinition(deps.profile, 'incident-deadlines');
    if (!definition) throw new Error('no incident-deadlines duty');
    const run: DutyRun = { duty: 'incident-deadlines', definition, period: today, instant: `${today}T00:25:00+09:00`, today, resumed };
    return dutyWork['incident-deadlines'](deps, run);
  }
  const setUp = (profile: RegulationProfile = koriyama) => {
    const deps = fakeDeps('2026-06-04T00:25:00+09:00');
    deps.profile = profile;
    const i = incident(profile);
    deps.store.incidentsById.set(i.incidentId, structuredClone(i));
    return { deps, i };
  };
  const tasks = (deps: FakeDeps) => [...deps.store.tasksById.values()];

  it('has its source in the provision of the report and is enabled in every profile', () => {
    expect(dutyDefinition(koriyama, 'incident-deadlines')).toMatchObject({ enabled: true, source: '第24条', frequency: 'daily' });
    expect(dutyDefinition(nara, 'incident-deadlines')).toMatchObject({ enabled: true, source: '第9の3', assignee: 'sectionManager' });
  });

  it('the day before: one reminder for the chain’s filer, once; nothing on the day; after it the chief’s task and the event, once', async () => {
    const { deps } = setUp();
    const before = await runOn(deps, '2026-06-04');
    expect(before).toMatchObject({ created: 1, alreadyDone: 0 });
    expect(tasks(deps)).toEqual([
      expect.objectContaining({
        kind: 'incidentDeadlineReminder',
        assignee: { role: 'deputyManager' },
        subject: { type: 'incident', id },
        dueDate: '2026-06-05',
        source: '第24条',
        duty: 'incident-deadlines',
        period: '2026-06-04',
        title: '個人情報保護委員会への速報の期限（2026-06-05）は明日です: 市民課の事案（2026-06-01発覚）: 住民票の写しを別人に誤送付した',
      }),
    ]);
    expect(before.events.map((e) => e.type)).toEqual(['TaskCreated']);
    expect(await runOn(deps, '2026-06-04')).toMatchObject({ created: 0, alreadyDone: 1, events: [] });

    expect(await runOn(deps, '2026-06-05')).toMatchObject({ created: 0, alreadyDone: 0, skipped: 1, events: [] });

    const after = await runOn(deps, '2026-06-06');
    expect(after).toMatchObject({ created: 1, alreadyDone: 0 });
    const escalation = tasks(deps).find((t) => t.kind === 'incidentDeadlinePassed');
    expect(escalation).toMatchObject({
      assignee: { role: 'chiefManager' },
      dueDate: '2026-06-05',
      title: '個人情報保護委員会への速報の期限（2026-06-05）を過ぎています: 市民課の事案（2026-06-01発覚）: 住民票の写しを別人に誤送付した',
    });
    expect(after.events).toEqual([
      {
        type: 'IncidentDeadlinePassed',
        detail: {
          incidentId: id,
          department: 'shimin',
          stage: 'preliminary',
          deadline: '2026-06-05',
          passedOn: '2026-06-06',
          source: '第24条',
          taskIds: [escalation?.taskId],
          duty: 'incident-deadlines',
          period: '2026-06-06',
        },
      },
      expect.objectContaining({ type: 'TaskCreated', detail: expect.objectContaining({ taskId: escalation?.taskId }) }),
    ]);

    // Again the same day, and on the days after: found done, nothing new.
    for (const day of ['2026-06-06', '2026-06-07', '2026-06-20'])
      expect(await runOn(deps, day)).toMatchObject({ created: 0, alreadyDone: 1, events: [] });
    expect(tasks(deps)).toHaveLength(2);
  });

  it('a resumed run republishes only what a delivery of its own day committed', async () => {
    const { deps } = setUp();
    await runOn(deps, '2026-06-06');
    const sameDay = await runOn(deps, '2026-06-06', true);
    expect(sameDay).toMatchObject({ created: 0, alreadyDone: 1, republished: 2 });
    expect(sameDay.events.map((e) => e.type)).toEqual(['IncidentDeadlinePassed', 'TaskCreated']);
    expect(await runOn(deps, '2026-06-07', true)).toMatchObject({ created: 0, alreadyDone: 1, republished: 0, events: [] });
  });

  it('the 事案 read again decides: a report filed after the listing was read makes nothing', async () => {
    const { deps, i } = setUp();
    const filed = recordPpcReport(
      i,
      { stage: 'preliminary', submittedAt: '2026-06-03T09:00:00+09:00' },
      'u',
      new Date('2026-06-03T10:00:00+09:00'),
    );
    const listOpen = deps.incidents.listOpen;
    deps.incidents = { ...deps.incidents, listOpen: async (p) => ({ ...(await listOpen(p)), items: [i] }) };
    deps.store.incidentsById.set(id, filed);
    expect(await runOn(deps, '2026-06-04')).toMatchObject({ created: 0, skipped: 1, events: [] });
  });

  it('a 確報 landing between the read of the 事案 and the commit: read again, nothing made, nothing announced', async () => {
    const { deps, i } = setUp();
    const filed = recordPpcReport(
      i,
      { stage: 'final', submittedAt: '2026-06-05T09:00:00+09:00' },
      'u',
      new Date('2026-06-06T10:00:00+09:00'),
    );
    const get = deps.incidents.get;
    let reads = 0;
    deps.incidents = {
      ...deps.incidents,
      get: async (incidentId) => {
        const read = await get(incidentId);
        // The first read sees the 事案 before the 確報, which lands right after it.
        if ((reads += 1) === 1) deps.store.incidentsById.set(id, structuredClone(filed));
        return read;
      },
    };
    expect(await runOn(deps, '2026-06-06')).toMatchObject({ created: 0, skipped: 1, events: [] });
    expect(reads).toBe(2);
    expect(tasks(deps)).toEqual([]);
  });

  it('the unit commits only while the 事案 is at the version it read', async () => {
    const { deps, i } = setUp();
    await runOn(deps, '2026-06-06');
    expect(deps.store.checks).toEqual([[{ entityType: 'incident', entityId: id, version: i.version }]]);
  });

  it('002: the reminder goes to the 事案’s own 課 (特定個人情報保護責任者)', async () => {
    const { deps } = setUp(nara);
    // 002 makes a 100-person leak 特に重大: its 速報 is due on day 1; the 確報's reminder is the day before 2026-06-30.
    await runOn(deps, '2026-06-29');
    expect(tasks(deps).map((t) => [t.kind, t.assignee, t.dueDate])).toEqual([
      ['incidentDeadlinePassed', { role: 'chiefManager' }, '2026-06-01'],
      ['incidentDeadlineReminder', { role: 'sectionManager', department: 'shimin' }, '2026-06-30'],
    ]);
  });

  it('the report recorded closes the tasks of its deadline; a 確報 also those of the 速報; closing the 事案 all', async () => {
    const { deps, i } = setUp();
    await runOn(deps, '2026-06-04');
    await runOn(deps, '2026-06-06');
    await runOn(deps, '2026-06-29');
    const open = () => tasks(deps).filter((t) => t.status === 'open');
    expect(open().map((t) => [t.kind, t.dueDate])).toEqual([
      ['incidentDeadlineReminder', '2026-06-05'],
      ['incidentDeadlinePassed', '2026-06-05'],
      ['incidentDeadlineReminder', '2026-06-30'],
    ]);
    const actor = { sub: 'u-deputy', name: '副管理者', roles: ['deputyManager' as const], department: 'seisaku' };
    const at = '2026-06-29T10:00:00.000Z';
    const preliminary = recordPpcReport(i, { stage: 'preliminary', submittedAt: at }, actor.sub, new Date(at));
    const openOf = () => deps.tasks.openOfSubject('incident', i.incidentId);
    const closing = settledDeadlineTaskChanges(deps, actor, at, preliminary, await openOf());
    expect(closing.map((c) => [c.entityType, c.event.action, (c.entity as { dueDate: string }).dueDate])).toEqual([
      ['task', 'task.closed', '2026-06-05'],
      ['task', 'task.closed', '2026-06-05'],
    ]);
    await deps.writer.commit(closing);
    expect(open().map((t) => t.dueDate)).toEqual(['2026-06-30']);

    const final = recordPpcReport(i, { stage: 'final', submittedAt: at }, actor.sub, new Date(at));
    expect(settledDeadlineTaskChanges(deps, actor, at, final, await openOf()).map((c) => c.entityId)).toEqual(open().map((t) => t.taskId));
    // A 事案 closed (or whose facts no longer call for a report) owes no deadline at all.
    const closed = { ...preliminary, status: 'closed' as const };
    expect(settledDeadlineTaskChanges(deps, dutyActor('x'), at, closed, await openOf())).toHaveLength(1);
  });
});
