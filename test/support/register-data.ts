import { change } from '#lib/app/changes.js';
import type { Deps } from '#lib/app/ports.js';
import { rollOf } from '#lib/app/registers.js';
import { dutyActor } from '#lib/app/task-changes.js';
import {
  type CreateStaffInput,
  type Staff,
  type UpdateStaffInput,
  createStaffSchema,
  newStaff,
  updateStaff,
  updateStaffSchema,
} from '#lib/domain/staff.js';
import {
  type AttendanceRoll,
  type Training,
  attendanceSchema,
  createTrainingSchema,
  newTraining,
  recordAttendance,
} from '#lib/domain/training.js';

/**
 * Staff registers, training sessions and attendance written straight through a writer, the way
 * their use cases commit them (an entity with its audit event, a person's former attributes as a
 * period beside them), for the tests of what is drawn from them: the forms and the report's appendix.
 */

type Writes = Pick<Deps, 'writer' | 'ids' | 'clock' | 'staff' | 'attendance'>;
const by = dutyActor('register-data');

/** A person on a 課's register (the body as POST /staff takes it). */
export async function seedStaff(d: Writes, body: Record<string, unknown>): Promise<Staff> {
  const input: CreateStaffInput = createStaffSchema.parse(body);
  const at = d.clock.now().toISOString();
  const staff = newStaff(input, { staffId: d.ids.next() }, { sub: by.sub, at });
  await d.writer.commit([change(d, by, at, 'staff', staff.staffId, 'staff.registered', null, staff)]);
  return staff;
}

/** A change to a person (the body as PATCH /staff/{staffId} takes it): with `effectiveFrom`, what held before is kept as a period. */
export async function changeStaff(d: Writes, before: Staff, body: Record<string, unknown>): Promise<Staff> {
  const input: UpdateStaffInput = updateStaffSchema.parse(body);
  const at = d.clock.now().toISOString();
  const { after, closed } = updateStaff(before, input, at);
  const written = change(d, by, at, 'staff', after.staffId, 'staff.updated', before, after);
  if (closed) written.children = [{ kind: 'period', id: closed.validFrom, body: { ...closed } }];
  await d.writer.commit([written]);
  return after;
}

/** A session of a 年度's plan (the body as POST /trainings takes it). */
export async function seedTraining(d: Writes, body: Record<string, unknown>): Promise<Training> {
  const at = d.clock.now().toISOString();
  const training = newTraining(createTrainingSchema.parse(body), { trainingId: d.ids.next() }, { sub: by.sub, at });
  await d.writer.commit([change(d, by, at, 'training', training.trainingId, 'training.planned', null, training)]);
  return training;
}

/** Attendance of some of a 課's audience on a day (`today`: the day it is recorded, on or after it). */
export async function seedAttendance(
  d: Writes,
  training: Training,
  department: string,
  staffIds: string[],
  attendedOn: string,
): Promise<AttendanceRoll> {
  const before = await rollOf(d, training.trainingId, department);
  const at = d.clock.now().toISOString();
  const input = attendanceSchema.parse({ department, staffIds, attendedOn });
  const roll = recordAttendance(before, training, input, new Set(staffIds), { sub: by.sub, at, today: attendedOn });
  await d.writer.commit([change(d, by, at, 'attendance', roll.rollId, 'attendance.recorded', before, roll)]);
  return roll;
}
