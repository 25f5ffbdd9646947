import { describe, expect, it } from 'vitest';
import { type Action, type Resource, decide } from '#lib/domain/permissions.js';
import type { Role } from '#lib/domain/roles.js';
import { createStaffSchema, newStaff, updateStaff, updateStaffSchema } from '#lib/domain/staff.js';
import { attendanceSchema } from '#lib/domain/training.js';
import { getProfile } from '#lib/profiles/index.js';
import type { RegulationProfile } from '#lib/profiles/types.js';
import {
  attendanceChange,
  audienceLabel,
  completionRows,
  completionText,
  completionTotal,
  createStaffBody,
  initialSection,
  isRetake,
  offeredAudiences,
  readableSections,
  staffFieldsOf,
  staffFormNames,
  trainingFormName,
  updateStaffBody,
} from '../../web/src/training-view.js';

const koriyama = getProfile('001');
const nara = getProfile('002');
const koka = getProfile('003');
const kuki = getProfile('004');
const organisation = {
  departments: [
    { code: 'citizen-affairs', name: '市民部', division: 'citizen-affairs' },
    { code: 'citizens', name: '市民課', division: 'citizen-affairs' },
    { code: 'resident-tax', name: '市民税課', division: 'citizen-affairs' },
    { code: 'general', name: '総務部', division: 'general' },
    { code: 'it', name: 'DX戦略課', division: 'general' },
  ],
};
/** What a screen asks of the session: the same decision the server takes. */
const sessionOf = (roles: Role[], department: string, profile: RegulationProfile = koriyama) => ({
  organisation,
  me: { department },
  can: (action: Action, resource?: Resource) => decide({ sub: 'u', name: 'u', roles, department }, action, resource, profile).allowed,
});

describe('the names the profile gives the register and the training', () => {
  it('names the exports after the forms (001), else after its term, and none where no one is designated (004)', () => {
    expect(staffFormNames(koriyama)).toEqual({ form1: '様式第1号', form2: '様式第2号' });
    expect(staffFormNames(nara)).toEqual({ form1: '特定個人情報取扱担当者一覧（職員別）', form2: '特定個人情報取扱担当者一覧（課別）' });
    expect(staffFormNames(kuki)).toBeUndefined();
    expect(trainingFormName(koriyama)).toBe('様式第3号');
    expect(trainingFormName(kuki)).toBe('研修計画');
  });

  it('offers only the audiences whose rule the profile has, worded as it words them', () => {
    expect(offeredAudiences(koriyama)).toEqual(['allStaff', 'handlers', 'systemAdmins', 'managers']);
    expect(offeredAudiences(koka)).toEqual(['handlers']);
    expect(offeredAudiences(kuki)).not.toContain('handlers');
    expect(audienceLabel(nara, 'handlers')).toBe('特定個人情報取扱担当者');
    expect(audienceLabel(koriyama, 'managers')).toBe(`${koriyama.roleTitles.sectionManager}及び${koriyama.roleTitles.sectionStaff}`);
  });
});

describe('the register form', () => {
  const person = newStaff(
    createStaffSchema.parse({
      department: 'citizens',
      name: '安積 一郎',
      title: '主事',
      kind: 'regular',
      handler: false,
      from: '2026-04-01',
    }),
    { staffId: '01JSTAFF000000000000000001' },
    { sub: 'm', at: '2026-04-01T00:00:00Z' },
  );

  it('sends a new person as the schema takes it: 事務 only for a handler, blanks as null', () => {
    const f = { ...staffFieldsOf(undefined, '2026-04-01'), name: '安積 一郎', title: '主事', handlerDuties: '住民基本台帳事務' };
    expect(createStaffSchema.safeParse(createStaffBody('citizens', f)).success).toBe(true);
    expect(createStaffBody('citizens', f)).toMatchObject({ handler: false, handlerDuties: null, post: null, employeeNumber: null });
    const handler = createStaffBody('citizens', { ...f, handler: true, handlerDuties: '' });
    expect(createStaffSchema.safeParse(handler).error?.issues.map((i) => i.path.join('.'))).toEqual(['handlerDuties']);
  });

  it('sends only what changed, with the day it takes effect; the domain keeps what held before', () => {
    const f = { ...staffFieldsOf(person), handler: true, handlerDuties: '住民基本台帳事務' };
    const body = updateStaffBody(person, f, '2026-10-01');
    expect(body).toEqual({ handler: true, handlerDuties: '住民基本台帳事務', effectiveFrom: '2026-10-01' });
    const { after, closed } = updateStaff(person, updateStaffSchema.parse(body), '2026-09-01T00:00:00Z');
    expect(after).toMatchObject({ handler: true, since: '2026-10-01' });
    expect(closed).toMatchObject({ handler: false, validFrom: '2026-04-01', validTo: '2026-09-30' });
    // A correction (no 適用日) of the start day moves it; nothing unchanged is sent.
    expect(updateStaffBody(person, { ...staffFieldsOf(person), from: '2026-04-02' }, '')).toEqual({ from: '2026-04-02' });
    expect(updateStaffSchema.safeParse(updateStaffBody(person, staffFieldsOf(person), '')).success).toBe(false);
  });
});

describe('attendance ticks', () => {
  const audience = [{ staffId: 'A' }, { staffId: 'B' }, { staffId: 'C' }];

  it('records the newly ticked and takes back the unticked, leaving the rest alone', () => {
    expect(attendanceChange(audience, new Set(['A']), new Set(['A', 'B']))).toEqual({ staffIds: ['B'], unmark: [] });
    expect(attendanceChange(audience, new Set(['A', 'B']), new Set(['B']))).toEqual({ staffIds: [], unmark: ['A'] });
    expect(attendanceChange(audience, new Set(['A']), new Set(['A']))).toEqual({ staffIds: [], unmark: [] });
  });

  it('an untouched list is refused before it is sent', () => {
    const body = { department: 'citizens', ...attendanceChange(audience, new Set(), new Set()), attendedOn: '2026-07-10' };
    expect(attendanceSchema.safeParse(body).success).toBe(false);
  });

  it('a day after the session is a 再受講', () => {
    const t = { timing: { from: '2026-07-01', to: '2026-07-31' } };
    expect(isRetake(t, '2026-07-31')).toBe(false);
    expect(isRetake(t, '2026-08-01')).toBe(true);
  });
});

describe('completion', () => {
  const training = {
    trainingId: 'T',
    fiscalYear: 2026,
    name: '特定個人情報等の取扱研修',
    timing: { from: '2026-07-01', to: '2026-07-31' },
    audience: ['handlers' as const],
    method: 'elearning' as const,
    note: '',
    version: 1,
    createdBy: 'vice-mayor',
    createdAt: '',
    updatedAt: '',
    completion: [
      { department: 'citizens', audience: 3, attended: 2, retaken: 1 },
      { department: 'resident-tax', audience: 0, attended: 0, retaken: 0 },
    ],
  };

  it('adds up and words a rate', () => {
    expect(completionTotal(training.completion)).toEqual({ audience: 3, attended: 2, retaken: 1 });
    expect(completionText({ audience: 3, attended: 2 })).toBe('2/3人（66%）');
    expect(completionText({ audience: 0, attended: 0 })).toBe('対象者なし');
  });

  it('shows every 課 to the chief, and a 課 its own only', () => {
    const chief = sessionOf(['chiefManager'], 'vice-mayor-office');
    expect(completionRows(chief, [training], true).map((r) => r.completion?.department)).toEqual(['citizens', 'resident-tax']);
    const manager = sessionOf(['sectionManager'], 'citizens');
    expect(completionRows(manager, [training], false).map((r) => r.completion?.department)).toEqual(['citizens']);
    expect(completionRows(manager, [{ ...training, completion: [] }], false)).toEqual([
      { training: { ...training, completion: [] }, completion: undefined },
    ]);
  });
});

describe('which 課 a register screen offers', () => {
  it('the 課 its own, the 部長 those of the 部, the chief and the auditor of 第8条 every one', () => {
    const manager = sessionOf(['sectionManager'], 'citizens');
    expect(readableSections(manager, 'staff')).toEqual(['citizens']);
    expect(initialSection(manager, readableSections(manager, 'staff'), undefined)).toBe('citizens');
    const head = sessionOf(['deptHead'], 'citizen-affairs');
    expect(readableSections(head, 'staff')).toEqual(['citizens', 'resident-tax']);
    expect(initialSection(head, readableSections(head, 'staff'), undefined)).toBe('citizens');
    expect(readableSections(sessionOf(['chiefManager'], 'vice-mayor-office'), 'staff')).toEqual(['citizens', 'resident-tax', 'it']);
    expect(readableSections(sessionOf(['auditorDx'], 'it'), 'staff')).toEqual(['citizens', 'resident-tax', 'it']);
    expect(readableSections(sessionOf([], 'citizens'), 'staff')).toEqual([]);
  });
});
