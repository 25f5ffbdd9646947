/** The periods duties run in are calendar rules (lib/domain/calendar.ts); the jobs import them from here. */
export { type DutyFrequency, type DutyPeriod, dutyPeriod, fiscalQuarterOfMonth } from '#lib/domain/calendar.js';
