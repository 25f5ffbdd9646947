import {
  createTraining,
  getTraining,
  importTrainingAttendance,
  listNonAttendees,
  listTrainings,
  recordTrainingAttendance,
  updateTrainingPlan,
} from '#lib/app/trainings.js';
import type { AttendanceRoll, Training } from '#lib/domain/training.js';
import { type Operations, type Replays, httpApi, versioned } from '../stack.js';
import { trainingRoutes } from '../routes/trainings.js';

const created = (t: Training) => versioned(t, `/trainings/${t.trainingId}`);

/** A repeated create (same Idempotency-Key) answers the session it planned. */
export const trainingReplays: Replays<'trainings'> = {
  createTraining: (t) => created(t as Training),
};

/** HTTP → use case for the training plan and attendance routes (第11条). */
export const trainingOperations: Operations<'trainings'> = {
  createTraining: async (r, d) => created(await createTraining(d, r.actor, r.body)),
  listTrainings: async (r, d) => ({ body: await listTrainings(d, r.actor, r.query) }),
  getTraining: async (r, d) => versioned(await getTraining(d, r.actor, r.params.trainingId)),
  updateTraining: async (r, d) => versioned(await updateTrainingPlan(d, r.actor, r.params.trainingId, r.body, r)),
  recordAttendance: async (r, d) => versioned(await recordTrainingAttendance(d, r.actor, r.params.trainingId, r.body)),
  importAttendance: async (r, d) => {
    const result = await importTrainingAttendance(d, r.actor, r.params.trainingId, r.query, r.body);
    return r.query.dryRun ? { body: result } : versioned(result as AttendanceRoll);
  },
  listNonAttendees: async (r, d) => ({ body: await listNonAttendees(d, r.actor, r.params.trainingId, r.query) }),
};

/** The trainings function: its routes' operations and the replays of its creates. */
export const api = httpApi(trainingRoutes, trainingOperations, { replays: trainingReplays });
