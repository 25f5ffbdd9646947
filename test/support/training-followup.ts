import { change } from '#lib/app/changes.js';
import type { Change, Deps } from '#lib/app/ports.js';
import type { Actor } from '#lib/domain/roles.js';
import { type Staff, createStaffSchema, newStaff } from '#lib/domain/staff.js';
import { type AttendanceRoll, type Audience, type Training, createTrainingSchema, newTraining, rollIdOf } from '#lib/domain/training.js';

/**
 * The register, sessions and rolls the `training-followup` duty reads, built by the domain's own
 * constructors (so they are what the routes would store) and written, for DynamoDB, as changes
 * with their audit events.
 */

const at = '2026-04-01T00:00:00.000Z';
const by = { sub: 'u-seed', at };
export const seeder: Actor = { sub: by.sub, name: '登録者', roles: [], department: '' };

/** A person on a 課's register from `from` (to `to`), a 事務取扱担当者 unless said otherwise. */
export function person(
  staffId: string,
  department: string,
  name: string,
  opts: { handler?: boolean; from?: string; to?: string | null } = {},
): Staff {
  const handler = opts.handler ?? true;
  const input = createStaffSchema.parse({
    department,
    name,
    title: '主事',
    kind: 'regular',
    handler,
    handlerDuties: handler ? '住民基本台帳事務' : null,
    from: opts.from ?? '2026-04-01',
    to: opts.to ?? null,
  });
  return newStaff(input, { staffId }, by);
}

/** A session of `fiscalYear` held from `from` to `to` for `audience`. */
export function session(
  trainingId: string,
  fiscalYear: number,
  name: string,
  timing: { from: string; to: string },
  audience: Audience[] = ['handlers'],
): Training {
  return newTraining(createTrainingSchema.parse({ fiscalYear, name, timing, audience, method: 'classroom' }), { trainingId }, by);
}

/** The 課's roll of `t` as one recording stores it: each person attended on the day given. */
export function roll(t: Training, department: string, attended: Record<string, string>): AttendanceRoll {
  return {
    rollId: rollIdOf(t.trainingId, department),
    trainingId: t.trainingId,
    department,
    fiscalYear: t.fiscalYear,
    attended: Object.entries(attended).map(([staffId, attendedOn]) => ({ staffId, attendedOn, recordedBy: by.sub })),
    version: 1,
    createdBy: by.sub,
    createdAt: at,
    updatedAt: at,
  };
}

/** The changes that store them all, each with its audit event, as the routes would. */
export function seedChanges(
  deps: Pick<Deps, 'ids'>,
  rows: { people?: Staff[]; sessions?: Training[]; rolls?: AttendanceRoll[] },
): Change[] {
  return [
    ...(rows.people ?? []).map((s) => change(deps, seeder, at, 'staff', s.staffId, 'staff.registered', null, s)),
    ...(rows.sessions ?? []).map((t) => change(deps, seeder, at, 'training', t.trainingId, 'training.planned', null, t)),
    ...(rows.rolls ?? []).map((r) => change(deps, seeder, at, 'attendance', r.rollId, 'attendance.recorded', null, r)),
  ];
}
