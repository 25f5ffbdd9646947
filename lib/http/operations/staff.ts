import { createStaff, getStaff, importAnswer, importStaff, listStaff, updateStaffMember } from '#lib/app/staff.js';
import type { Staff } from '#lib/domain/staff.js';
import { type Operations, type Replays, httpApi, versioned } from '../stack.js';
import { staffRoutes } from '../routes/staff.js';

const created = (s: Staff) => versioned(s, `/staff/${s.staffId}`);

/** A repeated create (same Idempotency-Key) answers what the first answered: the person; an import's summary. */
export const staffReplays: Replays<'staff'> = {
  createStaff: (s) => created(s as Staff),
  importStaff: async (s, d) => ({ body: await importAnswer(d, s as Staff) }),
};

/** HTTP → use case for the staff register's routes. */
export const staffOperations: Operations<'staff'> = {
  createStaff: async (r, d) => created(await createStaff(d, r.actor, r.body)),
  listStaff: async (r, d) => ({ body: await listStaff(d, r.actor, r.query) }),
  importStaff: async (r, d) => {
    const result = await importStaff(d, r.actor, r.query, r.body);
    return r.query.dryRun ? { body: result, status: 200 } : { body: result };
  },
  getStaff: async (r, d) => versioned(await getStaff(d, r.actor, r.params.staffId)),
  updateStaff: async (r, d) => versioned(await updateStaffMember(d, r.actor, r.params.staffId, r.body, r)),
};

/** The staff function: its routes' operations and the replays of its creates. */
export const api = httpApi(staffRoutes, staffOperations, { replays: staffReplays });
