import { type Incident, type PpcStage, openDeadlines, ppcStageLabels } from './incident.js';
import { addDays } from './ppc.js';

/**
 * What the daily `incident-deadlines` duty owes an open 事案 on a given day (Japan time): for
 * each deadline of a report to the PPC still open (`openDeadlines`: a 速報 not filed nor
 * replaced by a 確報, a 確報 not filed), a reminder on the day before it, and an escalation
 * on any day after it. The duty's claims keep each (事案, stage, deadline, kind) to one unit
 * whatever the number of runs; this module only decides. No I/O.
 */

export const deadlineAlertKinds = ['incidentDeadlineReminder', 'incidentDeadlinePassed'] as const;
export type DeadlineAlertKind = (typeof deadlineAlertKinds)[number];

export interface DeadlineAlert {
  kind: DeadlineAlertKind;
  stage: PpcStage;
  /** The deadline (plain date in Japan) the alert is about. */
  deadline: string;
}

/**
 * The alerts owed on `today`: a reminder when the deadline is tomorrow; an escalation once it
 * has passed (the first run after it makes it; later runs find it made). Nothing on the day itself.
 */
export function deadlineAlerts(incident: Incident, today: string): DeadlineAlert[] {
  return openDeadlines(incident).flatMap(({ stage, date }): DeadlineAlert[] => {
    if (addDays(today, 1) === date) return [{ kind: 'incidentDeadlineReminder', stage, deadline: date }];
    if (date < today) return [{ kind: 'incidentDeadlinePassed', stage, deadline: date }];
    return [];
  });
}

/** The subject of an alert's claim and of its log lines: one per (事案, stage, kind); the deadline is the claim's period. */
export const alertSubject = (incidentId: string, a: Pick<DeadlineAlert, 'stage' | 'kind'>): string => `${incidentId}#${a.stage}#${a.kind}`;

/**
 * How a deadline task's title begins: the stage and its deadline. The task keeps its stage
 * nowhere else (its period is the run's day, its subject the 事案), so {@link deadlineTaskSettled}
 * reads it back from here.
 */
export const deadlineTitleHead = (stage: PpcStage, deadline: string): string =>
  `個人情報保護委員会への${ppcStageLabels[stage]}の期限（${deadline}）`;

/**
 * Whether a deadline task of the 事案 has served: its stage and deadline (the task's due date
 * and the head of its title) are no longer an open one, because the report was recorded (a
 * 確報 closes the 速報's too), the facts no longer call for it, or the 事案 is closed. The
 * stage matters: after a correction a 速報's old deadline may be the 確報's new one.
 */
export function deadlineTaskSettled(incident: Incident, task: { kind: string; dueDate: string; title: string }): boolean {
  if (!(deadlineAlertKinds as readonly string[]).includes(task.kind)) return false;
  return !openDeadlines(incident).some((d) => d.date === task.dueDate && task.title.startsWith(deadlineTitleHead(d.stage, d.date)));
}
