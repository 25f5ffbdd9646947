import { type Staff, type StaffOnDate, type StaffPeriod, asOf } from '#lib/domain/staff.js';
import { type AttendanceRoll, type Training, audienceOf, rollIdOf } from '#lib/domain/training.js';
import { allPages } from './duty-units.js';
import type { Deps } from './ports.js';

/**
 * Reading a 課's staff register and a session's audience, the one way every use case does it
 * (the register's routes, attendance, the `training-followup` duty, the forms). A register is one
 * partition of an index, read to its end: a 課's people and their periods, a few hundred items.
 */

/** A 課's whole register: its people and their periods. */
export async function registerRows(deps: Pick<Deps, 'staff'>, department: string): Promise<{ people: Staff[]; periods: StaffPeriod[] }> {
  const rows = await allPages((page) => deps.staff.registerPage(department, page));
  const people: Staff[] = [];
  const periods: StaffPeriod[] = [];
  for (const r of rows) {
    if ('validFrom' in r) periods.push(r);
    else people.push(r);
  }
  return { people, periods };
}

/** A 課's register on `date`: who was on it, with what held that day. */
export async function registerOn(deps: Pick<Deps, 'staff'>, department: string, date: string): Promise<StaffOnDate[]> {
  const { people, periods } = await registerRows(deps, department);
  return asOf(people, periods, date);
}

/** A session's audience in a 課: its register on the session's last day, filtered by the session's 対象者. */
export async function audienceIn(
  deps: Pick<Deps, 'staff'>,
  training: Pick<Training, 'audience' | 'timing'>,
  department: string,
): Promise<StaffOnDate[]> {
  return audienceOf(training, await registerOn(deps, department, training.timing.to));
}

/** The 課's roll of a session, or null when nobody of it has attended yet. */
export async function rollOf(deps: Pick<Deps, 'attendance'>, trainingId: string, department: string): Promise<AttendanceRoll | null> {
  return (await deps.attendance.get(rollIdOf(trainingId, department))) ?? null;
}
