import { randomUUID } from 'node:crypto';
import type { DutyRun } from '#lib/app/duty-units.js';
import { openContractorCheck } from '#lib/app/contractors.js';
import { openInspection } from '#lib/app/inspections.js';
import { dutyActor } from '#lib/app/task-changes.js';
import { fiscalYearOfDate, jstDate } from '#lib/domain/calendar.js';
import type { Contractor } from '#lib/domain/contractor.js';
import { type DefinitionOf, dutyDefinition } from '#lib/profiles/system-duties.js';
import type { DutyId } from '#lib/profiles/types.js';
import type { OutboundEvent } from '#lib/app/ports.js';
import { MemoryPublisher } from '#lib/jobs/events.js';
import type { JobRuntime } from '#lib/jobs/runner.js';
import { deps } from '#lib/runtime/ports.js';
import { createDocumentClient } from '#lib/store/dynamo.js';
import { DynamoRunLedger } from '#lib/store/run-store.js';
import type { Reply, TestStack } from './stack.js';

/**
 * Data of the periodic duties for integration tests: 点検 and contractor checks opened
 * the way the duties open them (the same use-case functions, committed through the
 * handlers' own writer), contractors registered over HTTP by the 課's 保護管理者.
 * `deps()` is the handlers' own: the local gateway runs them in the test's process.
 */

/**
 * The jobs runner's runtime against the stack's table, as the scheduled function and `npm run job`
 * build it: the handlers' deps, with the events published kept in `published` instead of sent.
 */
export function jobRuntime(stack: TestStack, published: OutboundEvent[] = []): JobRuntime {
  return {
    deps: { ...deps(), events: new MemoryPublisher(published) },
    runs: new DynamoRunLedger(createDocumentClient({ region: 'ap-northeast-1', endpoint: stack.endpoint }), stack.tableName),
  };
}

/** The 保護管理者 of each demo 課 that has one. */
export const managerOf: Readonly<Record<string, string>> = {
  citizens: 'citizens-manager',
  'resident-tax': 'tax-manager',
  'dx-strategy': 'dx-manager',
  'public-relations': 'pr-manager',
  'general-affairs': 'general-manager',
};

export const today = jstDate(new Date());
export const thisFiscalYear = fiscalYearOfDate(today);

/** A run of a duty of the active profile (or a system duty), as the jobs runner hands it over. */
export function dutyRun<D extends DutyId>(duty: D, period: string, runToday = today): DutyRun<DefinitionOf<D>> {
  const definition = dutyDefinition(deps().profile, duty);
  if (!definition) throw new Error(`the profile has no duty ${duty}`);
  return { duty, definition: definition as DefinitionOf<D>, period, instant: `${runToday}T00:00:00+09:00`, today: runToday };
}

/** A contract running through this 年度. */
export function contractorBody(department: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '株式会社○○情報サービス',
    department,
    handles: '住民基本台帳の入力データ（氏名・住所・生年月日）',
    contractFrom: `${thisFiscalYear}-04-01`,
    contractTo: `${thisFiscalYear + 1}-03-31`,
    contact: '担当 山田 024-000-0000',
    ...overrides,
  };
}

/** A submission's body under the active profile: no report to the chief, where the regulation has that step. */
export const submitBody = (): Record<string, unknown> =>
  deps().profile.provisions.inspectionReport ? { reportToChief: { needed: false, reason: '' } } : {};

/** A quarter no other test uses, so each 点検 opened here is new. */
let quarters = 0;
const freshPeriod = () => `FY${2050 + Math.floor(quarters / 4)}-Q${(quarters++ % 4) + 1}`;

export interface DutyData {
  /** A new 点検 of `department` with its 保護管理者's task, moved on to `state` (`reported`: submitted with a report to the chief). */
  inspectionIn(
    department: string,
    state?: 'open' | 'answered' | 'submitted' | 'reported',
  ): Promise<{ inspectionId: string; taskId: string }>;
  /** A contractor of `department`, registered by its 保護管理者. */
  contractorIn(department: string): Promise<string>;
  /** A new open check of a new contractor of `department`, with its task. */
  checkIn(department: string): Promise<{ checkId: string; taskId: string }>;
}

export function dutyData(stack: TestStack): DutyData {
  // Setup as a client does it: a POST goes under an Idempotency-Key and is sent again when a table busy
  // with other setup leaves its outcome unknown (503), so a slow machine does not fail the setup.
  const ok = async (method: string, path: string, as: string, body?: unknown, headers?: Record<string, string>): Promise<Reply> => {
    const sent = method === 'POST' ? { 'idempotency-key': `setup-${randomUUID()}`, ...headers } : headers;
    const send = () => stack.call(method, path, { as, ...(body === undefined ? {} : { body }), ...(sent ? { headers: sent } : {}) });
    let r = await send();
    for (let retry = 0; r.status === 503 && retry < 3; retry++) r = await send();
    if (r.status >= 300) throw new Error(`setup: ${method} ${path} as ${as} → ${r.status} ${r.text}`);
    return r;
  };
  const managerIn = (department: string) => {
    const m = managerOf[department];
    if (!m) throw new Error(`no 保護管理者 for 課 ${department}`);
    return m;
  };

  const inspectionIn: DutyData['inspectionIn'] = async (department, state = 'open') => {
    const d = deps();
    const run = dutyRun('section-inspection', freshPeriod());
    const opened = openInspection(d, dutyActor(run.duty), new Date().toISOString(), {
      definition: run.definition,
      period: run.period,
      department,
    });
    await d.writer.commit(opened.changes);
    const id = opened.inspection.inspectionId;
    if (state !== 'open') {
      const answers = opened.inspection.checklist.map((_, index) => ({ index, result: 'ok', note: '' }));
      await ok('PATCH', `/inspections/${id}`, managerIn(department), { answers });
      if (state === 'submitted') await ok('POST', `/inspections/${id}/submit`, managerIn(department), submitBody());
      if (state === 'reported')
        await ok('POST', `/inspections/${id}/submit`, managerIn(department), {
          reportToChief: { needed: true, reason: '保管場所の施錠に不備があったため' },
        });
    }
    return { inspectionId: id, taskId: opened.task.taskId };
  };

  const contractorIn: DutyData['contractorIn'] = async (department) =>
    (await ok('POST', '/contractors', managerIn(department), contractorBody(department))).body.contractorId as string;

  const checkIn: DutyData['checkIn'] = async (department) => {
    const d = deps();
    const contractorId = await contractorIn(department);
    // Registration under contract this 年度 opens the 年度's check already (第22条第4項).
    for (let cursor: string | undefined; ;) {
      const page = await d.contractorChecks.list({ fiscalYear: thisFiscalYear, department, limit: 100, ...(cursor ? { cursor } : {}) });
      const opened = page.items.find((c) => c.contractorId === contractorId);
      if (opened) return { checkId: opened.checkId, taskId: opened.taskId };
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const contractor = (await d.contractors.get(contractorId)) as Contractor;
    const run = dutyRun('contractor-check', `FY${thisFiscalYear}`);
    const opened = openContractorCheck(d, dutyActor(run.duty), new Date().toISOString(), {
      definition: run.definition,
      period: run.period,
      fiscalYear: thisFiscalYear,
      contractor,
    });
    await d.writer.commit(opened.changes);
    return { checkId: opened.check.checkId, taskId: opened.task.taskId };
  };

  return { inspectionIn, contractorIn, checkIn };
}
