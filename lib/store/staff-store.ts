import type { AttendanceReader, Page, PageRequest, StaffReader, TrainingReader } from '#lib/app/ports.js';
import type { Staff, StaffPeriod } from '#lib/domain/staff.js';
import type { AttendanceRoll, Training } from '#lib/domain/training.js';
import { lists } from './keys.js';
import { entityStore } from './table.js';

/** The staff register: a person by id; one page of a 課's register, its people and their periods together. */
export class DynamoStaffStore extends entityStore('staff') implements StaffReader {
  registerPage(department: string, page: PageRequest): Promise<Page<Staff | StaffPeriod>> {
    return this.query<Staff | StaffPeriod>(lists.register(department), page);
  }
}

/** Training sessions: by id, and a 年度's by first day. */
export class DynamoTrainingStore extends entityStore('training') implements TrainingReader {
  list(q: { fiscalYear: number } & PageRequest): Promise<Page<Training>> {
    return this.query(lists.trainings(q.fiscalYear), q);
  }
}

/** Attendance rolls: one by id (`<trainingId>-<課>`), a session's by 課, a 課's by session. */
export class DynamoAttendanceStore extends entityStore('attendance') implements AttendanceReader {
  ofTraining(trainingId: string, page: PageRequest): Promise<Page<AttendanceRoll>> {
    return this.query(lists.rollsOfTraining(trainingId), page);
  }

  ofDepartment(department: string, fiscalYear: number, page: PageRequest): Promise<Page<AttendanceRoll>> {
    return this.query(lists.rollsOfDepartment(department, fiscalYear), page);
  }
}
