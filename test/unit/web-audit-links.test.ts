import { describe, expect, it } from 'vitest';
import { findingRecordArticles } from '#lib/domain/finding.js';
import { type Action, type Resource, decide } from '#lib/domain/permissions.js';
import type { Role } from '#lib/domain/roles.js';
import { getProfile } from '#lib/profiles/index.js';
import { auditDate, citableRecords, offersTrainingAppendix, recordBody, recordHref, recordText } from '../../web/src/audit-links.js';

const koriyama = getProfile('001');
const nara = getProfile('002');
const koka = getProfile('003');
const kuki = getProfile('004');
const trainingId = '01KAQ7Z9X3M5N6P7Q8R9S0T1V2';

describe('the records a finding may cite, by its article', () => {
  it('offers the register on the designation and attendance on training, 項 aside (001)', () => {
    expect(citableRecords(koriyama.provisions, '第8条（事務取扱担当者の指定）', '')).toEqual(['staffRegister']);
    expect(citableRecords(koriyama.provisions, '第8条', '2')).toEqual(['staffRegister']);
    expect(citableRecords(koriyama.provisions, '第11条', '5')).toEqual(['trainingAttendance']);
    expect(citableRecords(koriyama.provisions, '第１１条', '')).toEqual(['trainingAttendance']);
    expect(citableRecords(koriyama.provisions, '第9条', '')).toEqual([]);
    expect(citableRecords(koriyama.provisions, '第8条の2', '')).toEqual([]);
  });

  it('offers nothing for an article not typed or not read yet', () => {
    expect(citableRecords(koriyama.provisions, '', '')).toEqual([]);
    expect(citableRecords(koriyama.provisions, '事務取扱', '')).toEqual([]);
  });

  it('follows each regulation: 002 numbers by section and item, 004 designates no one', () => {
    expect(citableRecords(nara.provisions, '第2の5', '')).toEqual(['staffRegister']);
    expect(citableRecords(nara.provisions, '第3の4', '')).toEqual(['trainingAttendance']);
    expect(citableRecords(nara.provisions, '第3の9', '')).toEqual([]);
    expect(citableRecords(kuki.provisions, '第8条', '')).toEqual(['trainingAttendance']);
  });

  it('reads an article given down to its 号 by the article (003 第22条第2項第3号)', () => {
    expect(findingRecordArticles(koka.provisions, 'trainingAttendance')).toContainEqual({ article: 22 });
    expect(citableRecords(koka.provisions, '第22条', '')).toEqual(['trainingAttendance']);
    expect(citableRecords(koka.provisions, '第21条', '')).toEqual(['staffRegister']);
  });
});

describe('the audit date a cited record stands on', () => {
  const plan = {
    schedule: { from: '2026-10-01', to: '2026-11-30', byDepartment: [{ department: 'citizens', from: '2026-10-05', to: '2026-10-09' }] },
  };
  it('is today while the 課 is audited, else the nearer end of its own schedule', () => {
    expect(auditDate(plan, 'citizens', '2026-10-07')).toBe('2026-10-07');
    expect(auditDate(plan, 'citizens', '2026-09-01')).toBe('2026-10-05');
    expect(auditDate(plan, 'citizens', '2026-12-07')).toBe('2026-10-09');
  });
  it("is bounded by the plan's schedule for a 課 without one of its own", () => {
    expect(auditDate(plan, 'resident-tax', '2026-10-07')).toBe('2026-10-07');
    expect(auditDate(plan, 'resident-tax', '2027-01-10')).toBe('2026-11-30');
    expect(auditDate({ schedule: { from: '2026-10-01', to: '2026-11-30' } }, 'citizens', '2026-01-01')).toBe('2026-10-01');
  });
});

describe('the cited record sent and shown', () => {
  const fields = { department: 'citizens', asOf: '2026-11-30', trainingId: '' };
  it('sends the register of the 課, or the session once one is chosen, and nothing when citing none', () => {
    expect(recordBody('staffRegister', fields)).toEqual({ type: 'staffRegister', department: 'citizens', asOf: '2026-11-30' });
    expect(recordBody('trainingAttendance', fields)).toBeUndefined();
    expect(recordBody('trainingAttendance', { ...fields, trainingId })).toEqual({
      type: 'trainingAttendance',
      trainingId,
      department: 'citizens',
      asOf: '2026-11-30',
    });
    expect(recordBody('', { ...fields, trainingId })).toBeUndefined();
  });

  it('links the register on its date and the session, and names them', () => {
    const register = { type: 'staffRegister' as const, department: 'citizens', asOf: '2026-11-30' };
    const attendance = { type: 'trainingAttendance' as const, trainingId, asOf: '2026-11-30' };
    expect(recordHref(register)).toBe('/staff?department=citizens&asOf=2026-11-30');
    expect(recordHref(attendance)).toBe(`/trainings/${trainingId}`);
    const label = (code: string) => (code === 'citizens' ? '市民課' : code);
    expect(recordText(register, label)).toBe('職員名簿（市民課・令和8年11月30日（2026-11-30）現在）');
    expect(recordText(attendance, label, '個人情報保護研修')).toBe(
      '研修の受講状況: 個人情報保護研修（全課・令和8年11月30日（2026-11-30）現在）',
    );
    expect(recordText({ ...attendance, department: 'citizens' }, label)).toBe(
      '研修の受講状況（市民課・令和8年11月30日（2026-11-30）現在）',
    );
  });
});

describe('the training appendix of the results report', () => {
  const organisation = {
    departments: [
      { code: 'citizen-affairs', name: '市民部', division: 'citizen-affairs' },
      { code: 'citizens', name: '市民課', division: 'citizen-affairs' },
      { code: 'it', name: 'DX戦略課', division: 'general' },
    ],
  };
  const sessionOf = (roles: Role[], department: string) => ({
    organisation,
    can: (action: Action, resource?: Resource) => decide({ sub: 'u', name: 'u', roles, department }, action, resource, koriyama).allowed,
  });
  const plan = { auditedDepartments: ['citizens'] };
  it("is offered to those who read an audited 課's attendance, not to another 課's 保護管理者", () => {
    expect(offersTrainingAppendix(sessionOf(['auditLead'], 'policy'), plan)).toBe(true);
    expect(offersTrainingAppendix(sessionOf(['auditorDx'], 'it'), plan)).toBe(true);
    expect(offersTrainingAppendix(sessionOf(['sectionManager'], 'citizens'), plan)).toBe(true);
    expect(offersTrainingAppendix(sessionOf(['sectionManager'], 'it'), plan)).toBe(false);
  });
});
