import { InvalidInput } from './errors.js';

/**
 * The organisation: 課 (sections) and the 部 (division) each belongs to. A 保護責任者
 * (部長, 第4条の3) carries the 部 code as department and sees the sections under it.
 */
export interface Department {
  code: string;
  name: string;
  /** Code of the 部 the section belongs to (a 部 names itself). */
  division: string;
}

export interface Organisation {
  departments: readonly Department[];
}

export function divisionOf(org: Organisation, department: string): string | undefined {
  return org.departments.find((d) => d.code === department)?.division;
}

export function departmentName(org: Organisation, department: string): string {
  return org.departments.find((d) => d.code === department)?.name ?? department;
}

/** The 課 under a 部 (not the 部 itself), in the organisation's order: what its 保護責任者 oversees. */
export function sectionsOf(org: Organisation, division: string): Department[] {
  return org.departments.filter((d) => d.division === division && d.code !== division);
}

/** Every 課 of the organisation (not the 部), in its order: those that keep a register, take 点検 and report 事案. */
export function allSections(org: Organisation): Department[] {
  return org.departments.filter((d) => d.code !== d.division);
}

/** 400 unless `department` is a 課 of the organisation (named in the error at `path`). */
export function assertSection(org: Organisation, department: string, path = 'department'): void {
  if (!allSections(org).some((d) => d.code === department)) {
    const message = `組織に存在しない課が指定されています: ${department}`;
    throw new InvalidInput(message, [{ path, message }]);
  }
}
