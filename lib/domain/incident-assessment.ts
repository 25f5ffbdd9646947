import { fiscalYearOfDate } from './calendar.js';
import { nextOpenDay } from './closed-days.js';
import {
  type CreateIncidentInput,
  type Incident,
  type IncidentChain,
  type IncidentRecords,
  type UpdateIncidentInput,
  assertDiscoveredBy,
  assertOpen,
  factsOf,
  learnedOn,
  noFlags,
} from './incident.js';
import { type Assessment, type IncidentCriterion, type IncidentFacts, type ReportClock, lastDayOf } from './ppc.js';

/**
 * The assessment of a 事案 (lib/domain/ppc.ts names the rules, each profile holds them with their
 * sources) and the two changes that compute it: a 事案 reported and its facts corrected. The
 * 確報's deadline moves off a 行政機関の休日 (lib/domain/closed-days.ts), so this is the module
 * that brings the 祝日 into a bundle: incident.ts, which the SPA and the route table import
 * for the schemas, stays without them. No I/O.
 */

function meets(c: IncidentCriterion, f: IncidentFacts): boolean {
  if (!c.categories.includes(f.category)) return false;
  if (c.exemptWhenEncrypted && f.encrypted) return false;
  if (!c.facts.every((flag) => f[flag])) return false;
  // 本人の数 not yet known: the 事態 is one that 「発生したおそれがある」 until a count says otherwise,
  // so the clock runs from the day learned rather than from the day the count is known.
  if (c.subjectsOver !== undefined && f.subjects !== null && !(f.subjects > c.subjectsOver)) return false;
  return true;
}

/** The reason as a person reads it: a count criterion met only because the count is unknown says so. */
function reasonOf(c: IncidentCriterion, f: IncidentFacts): string {
  const unknown =
    c.subjectsOver !== undefined && f.subjects === null
      ? `（本人の数が不明のため、${c.subjectsOver}人を超えるおそれがあるものとして扱う）`
      : '';
  return `${c.reason}${unknown}（${c.source}）`;
}

/**
 * Whether the 事案 must be reported and by when. `learnedOn` is the plain date in Japan the
 * 課 learned of it (day 1). With no criterion met nothing runs.
 */
export function assess(facts: IncidentFacts, learnedOn: string, criteria: readonly IncidentCriterion[], clock: ReportClock): Assessment {
  const met = criteria.filter((c) => meets(c, facts));
  const law = met.filter((c) => c.basis === 'law');
  const atOnce = met.some((c) => c.atOnce === true);
  const long = law.some((c) => c.longPeriod === true);
  return {
    reportToPPC: met.length > 0,
    notifySubjects: law.length > 0,
    atOnce,
    reasons: met.map((c) => reasonOf(c, facts)),
    criteria: met.map((c) => c.id),
    deadlines: {
      preliminary: law.length > 0 || atOnce ? (atOnce ? learnedOn : lastDayOf(learnedOn, clock.preliminaryDays)) : null,
      final: law.length > 0 ? nextOpenDay(lastDayOf(learnedOn, long ? clock.finalLongDays : clock.finalDays)) : null,
    },
  };
}

/** The assessment of the current facts under the profile's chain. */
export function assessIncident(
  i: Pick<Incident, 'category' | 'records' | 'discoveredAt'>,
  chain: Pick<IncidentChain, 'criteria' | 'clock'>,
): Assessment {
  return assess(factsOf(i), learnedOn(i.discoveredAt), chain.criteria, chain.clock);
}

/** A new 事案 as reported. */
export function newIncident(
  id: string,
  input: CreateIncidentInput,
  chain: Pick<IncidentChain, 'criteria' | 'clock'>,
  by: string,
  now: Date,
): Incident {
  assertDiscoveredBy(input.discoveredAt, now);
  const at = now.toISOString();
  const records: Required<IncidentRecords> = { ...noFlags, ...input.records };
  const base = { category: input.category, records, discoveredAt: input.discoveredAt };
  return {
    incidentId: id,
    department: input.department,
    fiscalYear: fiscalYearOfDate(learnedOn(input.discoveredAt)),
    discoveredAt: input.discoveredAt,
    summary: input.summary,
    category: input.category,
    records,
    ...(input.contractorId !== undefined ? { contractorId: input.contractorId } : {}),
    status: 'reported',
    assessment: assessIncident(base, chain),
    sharing: [],
    ppcReports: {},
    notices: {},
    version: 1,
    createdBy: by,
    createdAt: at,
    updatedAt: at,
  };
}

/** The facts corrected; the assessment recomputed. */
export function updateIncident(
  i: Incident,
  input: UpdateIncidentInput,
  chain: Pick<IncidentChain, 'criteria' | 'clock'>,
  now: Date,
): Incident {
  assertOpen(i);
  if (input.discoveredAt !== undefined) assertDiscoveredBy(input.discoveredAt, now);
  const discoveredAt = input.discoveredAt ?? i.discoveredAt;
  const records = { ...i.records, ...input.records } as Required<IncidentRecords>;
  const category = input.category ?? i.category;
  const { contractorId: _old, ...rest } = i;
  const contractorId = input.contractorId === undefined ? i.contractorId : (input.contractorId ?? undefined);
  return {
    ...rest,
    ...(contractorId !== undefined ? { contractorId } : {}),
    discoveredAt,
    fiscalYear: fiscalYearOfDate(learnedOn(discoveredAt)),
    summary: input.summary ?? i.summary,
    category,
    records,
    assessment: assessIncident({ category, records, discoveredAt }, chain),
    version: i.version + 1,
    updatedAt: now.toISOString(),
  };
}
