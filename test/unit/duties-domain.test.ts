import { describe, expect, it } from 'vitest';
import { completeContractorCheckSchema, contractOverlaps, createContractorSchema, updateContractorSchema } from '#lib/domain/contractor.js';
import { Conflict, InvalidInput } from '#lib/domain/errors.js';
import { answerChecklist, assertSubmittable, emptyChecklist, submissionProblems, updateInspectionSchema } from '#lib/domain/inspection.js';
import { decide } from '#lib/domain/permissions.js';
import type { Actor, Role } from '#lib/domain/roles.js';
import {
  addDays,
  assigneeFor,
  assigneeUser,
  assigneesOf,
  closeTask,
  isAssignedTo,
  periodLabel,
  periodRange,
  type Task,
} from '#lib/domain/task.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { organisation } from './fakes.js';

const who = (roles: Role[], department = 'shimin'): Actor => ({ sub: 'u', name: 'u', roles, department });

describe('duty periods', () => {
  it.each([
    ['FY2027', { fiscalYear: 2027, from: '2027-04-01', to: '2028-03-31' }],
    ['FY2027-Q1', { fiscalYear: 2027, quarter: 1, from: '2027-04-01', to: '2027-06-30' }],
    ['FY2027-Q2', { fiscalYear: 2027, quarter: 2, from: '2027-07-01', to: '2027-09-30' }],
    ['FY2027-Q3', { fiscalYear: 2027, quarter: 3, from: '2027-10-01', to: '2027-12-31' }],
    ['FY2027-Q4', { fiscalYear: 2027, quarter: 4, from: '2028-01-01', to: '2028-03-31' }],
  ])('%s runs %o', (period, range) => {
    expect(periodRange(period)).toEqual(range);
  });

  it.each(['2027-04-02', 'FY2027-Q5', 'fy2027', ''])('%s is not a yearly or quarterly period (400)', (period) => {
    expect(() => periodRange(period)).toThrow(InvalidInput);
  });

  it('labels periods in 和暦 and adds days across months and leap days', () => {
    expect(periodLabel('FY2027-Q1')).toBe('令和9年度第1四半期');
    expect(periodLabel('FY2019')).toBe('平成31年度');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-03-31', 1)).toBe('2027-04-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
  });
});

describe('task assignees', () => {
  it('section roles carry their 課, the others do not', () => {
    expect(assigneeFor('sectionManager', 'shimin')).toEqual({ role: 'sectionManager', department: 'shimin' });
    expect(assigneeFor('auditLead', 'seisaku')).toEqual({ role: 'auditLead' });
    const dx = who(['auditorDx', 'sectionManager'], 'dx-senryaku');
    expect(assigneesOf(dx)).toEqual([{ role: 'auditorDx' }, { role: 'sectionManager', department: 'dx-senryaku' }, { user: dx.sub }]);
    // Someone with no role still has the tasks given to them by name.
    const nobody = who([]);
    expect(assigneesOf(nobody)).toEqual([{ user: nobody.sub }]);
  });

  it('a task for one person is theirs alone, whatever roles others hold', () => {
    const staff = who(['sectionStaff'], 'shimin');
    const mine = { assignee: assigneeUser(staff.sub, 'shimin') };
    expect(mine.assignee).toEqual({ user: staff.sub, department: 'shimin' });
    expect(assigneeUser(staff.sub, undefined)).toEqual({ user: staff.sub });
    expect(isAssignedTo(mine, staff)).toBe(true);
    expect(isAssignedTo(mine, { ...who(['sectionStaff', 'sectionManager'], 'shimin'), sub: 'someone-else' })).toBe(false);
  });

  it('a task is the actor’s by role, and by 課 for section roles', () => {
    const task = { assignee: { role: 'sectionManager' as const, department: 'shimin' } };
    expect(isAssignedTo(task, who(['sectionManager'], 'shimin'))).toBe(true);
    expect(isAssignedTo(task, who(['sectionManager'], 'shiminzei'))).toBe(false);
    expect(isAssignedTo(task, who(['sectionStaff'], 'shimin'))).toBe(false);
    // The 事務取扱担当者 is a section role too: a task for them names their 課.
    const affair = { assignee: assigneeFor('affairStaff', 'shimin') };
    expect(affair.assignee).toEqual({ role: 'affairStaff', department: 'shimin' });
    expect(isAssignedTo(affair, who(['affairStaff'], 'shimin'))).toBe(true);
    expect(isAssignedTo(affair, who(['affairStaff'], 'shiminzei'))).toBe(false);
    expect(isAssignedTo({ assignee: { role: 'auditLead' } }, who(['auditLead', 'deputyManager'], 'seisaku'))).toBe(true);
  });

  it('closing records who and when and moves the version on', () => {
    const open: Task = {
      taskId: 'T',
      kind: 'inspection',
      title: 't',
      duty: 'section-inspection',
      period: 'FY2027-Q1',
      source: '第27条',
      assignee: { role: 'sectionManager', department: 'shimin' },
      subject: { type: 'inspection', id: 'I' },
      dueDate: '2027-06-30',
      status: 'open',
      createdAt: 'c',
      version: 1,
      updatedAt: 'c',
    };
    expect(closeTask(open, 'mgr', 'now')).toMatchObject({ status: 'done', closedBy: 'mgr', closedAt: 'now', version: 2, updatedAt: 'now' });
  });

  it.each([
    [['sectionManager'], 'shimin', true],
    [['sectionStaff'], 'shimin', true],
    [['affairStaff'], 'shimin', true],
    [['affairStaff'], 'shiminzei', false],
    [['sectionManager'], 'shiminzei', false],
    [['deptHead'], 'shimin-bu', true],
    [['deptHead'], 'seisaku-bu', false],
    [['chiefManager'], 'x', true],
    [['auditorKoho'], 'koho-kocho', true],
  ] as const)('a 課 task is read by %o of %s: %s', (roles, department, allowed) => {
    const r = decide(
      who([...roles], department),
      'task:read',
      {
        type: 'task',
        task: { assignee: { role: 'sectionManager', department: 'shimin' } },
        organisation,
      },
      koriyama,
    );
    expect(r.allowed).toBe(allowed);
  });

  it('a task without a 課 is read by its role and by readers of every 課, not by section roles', () => {
    const notice = { type: 'task' as const, task: { assignee: { role: 'auditorDx' as const } }, organisation };
    expect(decide(who(['auditorDx', 'sectionManager'], 'dx-senryaku'), 'task:read', notice, koriyama).allowed).toBe(true);
    expect(decide(who(['deputyManager']), 'task:read', notice, koriyama).allowed).toBe(true);
    expect(decide(who(['sectionManager']), 'task:read', notice, koriyama).allowed).toBe(false);
  });
});

describe('own-課 actions (第22条, 第27条)', () => {
  const dept = (department: string) => ({ type: 'department' as const, department, organisation });
  it.each([
    ['inspection:update', ['sectionStaff'], 'shimin', true],
    ['inspection:update', ['sectionStaff'], 'shiminzei', false],
    ['inspection:submit', ['sectionManager'], 'shimin', true],
    ['inspection:submit', ['sectionStaff'], 'shimin', false],
    ['inspection:update', ['affairStaff'], 'shimin', true],
    ['inspection:update', ['affairStaff'], 'shiminzei', false],
    ['inspection:submit', ['affairStaff'], 'shimin', false],
    ['contractor:create', ['affairStaff'], 'shimin', false],
    ['contractor:create', ['sectionManager'], 'shimin', true],
    ['contractor:create', ['sectionManager'], 'shiminzei', false],
    ['contractor:create', ['auditLead'], 'shimin', false],
    ['contractorCheck:complete', ['auditorDx', 'sectionManager'], 'shimin', true],
    ['contractorCheck:complete', ['auditorDx', 'sectionManager'], 'dx-senryaku', false],
  ] as const)('%s by %o of 市民課 on %s: %s', (action, roles, department, allowed) => {
    const d = decide(who([...roles], 'shimin'), action, dept(department), koriyama);
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) expect(d.reason).toMatch(/保護管理者/);
  });
});

describe('点検 checklist (第27条)', () => {
  const open = { status: 'open' as const, checklist: emptyChecklist(['記録媒体', '処理経路', '保管方法']) };

  it('answers by index; an index outside the checklist is a 400; a submitted 点検 is a 409', () => {
    const answered = answerChecklist(open, [{ index: 2, result: 'na', note: '' }]);
    expect(answered.map((c) => c.result)).toEqual([null, null, 'na']);
    expect(open.checklist[2]?.result).toBeNull();
    expect(() => answerChecklist(open, [{ index: 3, result: 'ok', note: '' }])).toThrow(InvalidInput);
    expect(() => answerChecklist({ ...open, status: 'submitted' }, [{ index: 0, result: 'ok', note: '' }])).toThrow(Conflict);
  });

  it('submits only with every item answered and a note on each 要改善', () => {
    const partial = answerChecklist(open, [
      { index: 0, result: 'ok', note: '' },
      { index: 1, result: 'issue', note: ' ' },
    ]);
    expect(submissionProblems(partial).map((p) => p.path)).toEqual(['checklist.1.note', 'checklist.2']);
    expect(() => assertSubmittable({ status: 'open', checklist: partial })).toThrow(InvalidInput);
    const full = answerChecklist({ status: 'open', checklist: partial }, [
      { index: 1, result: 'issue', note: '経路図が古い' },
      { index: 2, result: 'ok', note: '' },
    ]);
    expect(() => assertSubmittable({ status: 'open', checklist: full })).not.toThrow();
    expect(() => assertSubmittable({ status: 'submitted', checklist: full })).toThrow(Conflict);
  });

  it('the PATCH body needs at least one answer with a known result', () => {
    expect(updateInspectionSchema.safeParse({ answers: [] }).success).toBe(false);
    expect(updateInspectionSchema.safeParse({ answers: [{ index: 0, result: 'bad' }] }).success).toBe(false);
    expect(updateInspectionSchema.parse({ answers: [{ index: 0, result: null }] }).answers[0]).toEqual({
      index: 0,
      result: null,
      note: '',
    });
  });
});

describe('委託先 (第22条)', () => {
  const body = { name: '株式会社○○', department: 'shimin', handles: '住民票データ', contractFrom: '2027-04-01', contractTo: '2028-03-31' };

  it('a contract ends on or after it starts', () => {
    expect(createContractorSchema.safeParse(body).success).toBe(true);
    expect(createContractorSchema.safeParse({ ...body, contractTo: '2027-03-31' }).success).toBe(false);
    expect(updateContractorSchema.safeParse({}).success).toBe(false);
    expect(updateContractorSchema.safeParse({ contractFrom: '2027-05-01', contractTo: '2027-04-30' }).success).toBe(false);
  });

  it.each([
    ['2026-04-01', '2027-03-31', false],
    ['2026-04-01', '2027-04-01', true],
    ['2028-03-31', '2029-03-31', true],
    ['2028-04-01', '2029-03-31', false],
  ])('a contract %s–%s overlaps 2027年度: %s', (contractFrom, contractTo, overlaps) => {
    expect(contractOverlaps({ contractFrom, contractTo }, '2027-04-01', '2028-03-31')).toBe(overlaps);
  });

  it('issues need notes (the remote reason depends on the profile: test/unit/contractors.test.ts)', () => {
    const onSite = { method: 'onSite', checkedOn: '2027-06-01', result: 'compliant' };
    expect(completeContractorCheckSchema.safeParse(onSite).success).toBe(true);
    expect(completeContractorCheckSchema.safeParse({ ...onSite, method: 'remote', remoteReason: '県外のため映像で確認' }).success).toBe(
      true,
    );
    expect(completeContractorCheckSchema.safeParse({ ...onSite, result: 'issues' }).success).toBe(false);
  });
});
