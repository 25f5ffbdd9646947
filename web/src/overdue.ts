import { pendingStatuses } from '#lib/domain/action.js';
import type { ActionView } from './types.js';

/** Overdue as the server judged it today, or as the daily duty marked it (第28条), while the 課 still owes it. */
export function isShownOverdue(a: ActionView): boolean {
  return pendingStatuses.includes(a.status) && (a.overdue === true || a.overdueSince !== undefined);
}
