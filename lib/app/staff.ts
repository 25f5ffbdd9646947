import { jstDate } from '#lib/domain/calendar.js';
import { Conflict, DomainError, InvalidInput, NotFound, PayloadTooLarge } from '#lib/domain/errors.js';
import { allSections, assertSection } from '#lib/domain/organisation.js';
import type { Action } from '#lib/domain/permissions.js';
import type { Actor } from '#lib/domain/roles.js';
import {
  type CreateStaffInput,
  type Staff,
  type StaffOnDate,
  type StaffPeriod,
  type UpdateStaffInput,
  maxRegister,
  newStaff,
  updateStaff,
} from '#lib/domain/staff.js';
import { type CsvEncoding, type PlannedChange, type RowError, decodeCsv, planImport, readStaffCsv } from '#lib/domain/staff-import.js';
import { allowedIn, authorizeIn } from './authorize.js';
import { type Precondition, change, commitAsked } from './changes.js';
import { type Change, type ChildItem, type Deps, type Page, type PageRequest, maxTransactItems } from './ports.js';
import { registerOn, registerRows } from './registers.js';
import { listDepartment, loadFor, loadVisible, ofRegister } from './visibility.js';

/**
 * The staff register of a 課 (職員名簿; 001 第8条, 様式第1号・第2号; 002 第2の5; 003 第21条):
 * its 保護管理者 adds people, changes them (from a date: what held before is kept as a period
 * item beside the person, in the same transaction) or ends their time on it, one by one or from
 * the HR department's CSV (all rows in one transaction, or none). The register of any past date
 * is read with `asOf`. Whoever may not see a 課's register gets a 404 for it, as for its people.
 */

/** The reason recorded on the audit events of an import. */
export const importReason = 'CSV取込';

const registerNotFound = () => new NotFound('指定された課の職員名簿は見つかりません。', 'register-not-found');

/** A 課's register for `action`: a 課 of the organisation (else 400), one the caller sees (else 404), then the action (else 403). */
function registerFor(deps: Deps, actor: Actor, department: string, action: Extract<Action, `staff:${string}`>): void {
  assertSection(deps.organisation, department);
  if (!allowedIn(deps, actor, 'staff:list', ofRegister(deps, 'staff', department))) throw registerNotFound();
  authorizeIn(deps, actor, action, ofRegister(deps, 'staff', department));
}

/** A 事務取扱担当者 only where the regulation designates them (004 designates none). */
function assertHandlerDesignated(deps: Pick<Deps, 'profile'>, handler: boolean | undefined): void {
  if (handler === true && deps.profile.staff.handlerTerm === undefined) {
    const message = `${deps.profile.regulation}には、事務ごとに取り扱う職員を指定する定めがありません。handler は false にしてください。`;
    throw new InvalidInput(message, [{ path: 'handler', message }]);
  }
}

/** The people on the 課's register today or later (not ended before today): where a 職員番号 is unique. */
const currentOf = (people: readonly Staff[], today: string) => people.filter((s) => s.to === null || s.to >= today);

/** 409 when adding `adding` people would put more than {@link maxRegister} on the 課's register at once. */
function assertRoom(current: readonly Staff[], adding: number): void {
  if (adding > 0 && current.length + adding > maxRegister)
    throw new Conflict(
      `1つの課の職員名簿に登録できるのは${maxRegister}人までです（現在${current.length}人）。名簿から外れた職員に終了日を入れるか、課を分けて登録してください。`,
      'register-full',
    );
}

async function assertNumberFree(deps: Deps, department: string, employeeNumber: string | null, except?: string, adding = 0): Promise<void> {
  const { people } = await registerRows(deps, department);
  const current = currentOf(people, jstDate(deps.clock.now()));
  assertRoom(current, adding);
  if (employeeNumber === null) return;
  const taken = current.find((s) => s.employeeNumber === employeeNumber && s.staffId !== except);
  if (taken)
    throw new Conflict(
      `職員番号「${employeeNumber}」はこの課の名簿にすでに登録されています（${taken.name}）。`,
      'duplicate-employee-number',
    );
}

/** The item of a period closed by a change from a later date: beside the person, keyed by its first day. */
const periodItem = (p: StaffPeriod): ChildItem => ({ kind: 'period', id: p.validFrom, body: { ...p } });

/** A person's change with the period it closes, if any, as one change for the writer. */
function staffChange(
  deps: Deps,
  actor: Actor,
  at: string,
  before: Staff,
  after: Staff,
  closed: StaffPeriod | null,
  reason?: string,
): Change {
  const c = change(deps, actor, at, 'staff', after.staffId, 'staff.updated', before, after, reason);
  if (closed) c.children = [periodItem(closed)];
  return c;
}

/** Add a person to the 課's register (its 保護管理者). */
export async function createStaff(deps: Deps, actor: Actor, input: CreateStaffInput): Promise<Staff> {
  registerFor(deps, actor, input.department, 'staff:create');
  assertHandlerDesignated(deps, input.handler);
  await assertNumberFree(deps, input.department, input.employeeNumber, undefined, 1);
  const now = deps.clock.now().toISOString();
  const staff = newStaff(input, { staffId: deps.ids.next() }, { sub: actor.sub, at: now });
  await commitAsked(deps, undefined, [change(deps, actor, now, 'staff', staff.staffId, 'staff.registered', null, staff)]);
  return staff;
}

/**
 * A 課's register on `asOf` (default: today in Japan), in register order (by staffId): a section
 * role's own 課 by default; another 課 the caller may not see is a 404, as its people are.
 */
export async function listStaff(
  deps: Deps,
  actor: Actor,
  query: { department?: string | undefined; asOf?: string | undefined } & PageRequest,
): Promise<Page<StaffOnDate>> {
  if (query.department !== undefined) {
    assertSection(deps.organisation, query.department);
    if (!allowedIn(deps, actor, 'staff:list', ofRegister(deps, 'staff', query.department))) throw registerNotFound();
  }
  const department = listDepartment(deps, actor, 'staff:list', query.department);
  if (department === undefined) {
    const sections = allSections(deps.organisation);
    throw new InvalidInput(`department を指定してください（${sections.map((d) => `${d.code}: ${d.name}`).join('、')}）。`, [
      { path: 'department', message: '課コードを指定してください。' },
    ]);
  }
  const rows = await registerOn(deps, department, query.asOf ?? jstDate(deps.clock.now()));
  const after = query.cursor === undefined ? rows : rows.filter((s) => s.staffId > (query.cursor as string));
  const items = after.slice(0, query.limit);
  return { items, nextCursor: after.length > query.limit ? (items[items.length - 1]?.staffId ?? null) : null };
}

export async function getStaff(deps: Deps, actor: Actor, staffId: string): Promise<Staff> {
  return loadVisible(deps, actor, 'staff', staffId);
}

/**
 * Correct a person, change them from a date (`effectiveFrom`: what held before is kept as a
 * period), or end their time on the register (`to`). If-Match.
 */
export async function updateStaffMember(
  deps: Deps,
  actor: Actor,
  staffId: string,
  input: UpdateStaffInput,
  pre: Precondition,
): Promise<Staff> {
  const before = await loadFor(deps, actor, 'staff', staffId, 'staff:update', {
    ...pre,
    on: (s) => ofRegister(deps, 'staff', s.department),
  });
  assertHandlerDesignated(deps, input.handler);
  if (input.employeeNumber !== undefined && input.employeeNumber !== before.employeeNumber)
    await assertNumberFree(deps, before.department, input.employeeNumber, staffId);
  const now = deps.clock.now().toISOString();
  const { after, closed } = updateStaff(before, input, now, deps.profile.staff.handlerTerm);
  await commitAsked(deps, { entityType: 'staff', entityId: staffId, ifMatch: pre.ifMatch }, [
    staffChange(deps, actor, now, before, after, closed),
  ]);
  return after;
}

/** What an import of the CSV would do, or did. */
export interface ImportPreview {
  department: string;
  encoding: CsvEncoding;
  effectiveFrom: string;
  /** Data rows read (the header not counted). */
  rows: number;
  changes: Omit<PlannedChange, 'patch'>[];
  counts: Record<PlannedChange['action'], number>;
  errors: RowError[];
}

/** What the import answers once applied. */
export interface ImportSummary extends ImportPreview {
  applied: true;
}

/** The items of one commit left for the changes: one is kept for an Idempotency-Key, one for the summary's claim. */
const importCapacity = maxTransactItems - 2;

/** The transaction items of changes: each entity and its audit event, and each period beside it. */
const itemsOf = (changes: readonly Change[]) => changes.reduce((n, c) => n + 2 + (c.children?.length ?? 0), 0);

function rowErrorsOf(err: unknown, row: number): RowError[] {
  if (err instanceof InvalidInput && err.errors.length > 0) {
    const headers: Record<string, string> = { handlerDuties: '事務', to: '終了日', from: '開始日' };
    return err.errors.map((e) => ({ row, path: headers[e.path] ?? e.path, message: e.message }));
  }
  if (err instanceof DomainError) return [{ row, path: '', message: err.message }];
  throw err;
}

/**
 * Import the HR department's CSV into a 課's register (its 保護管理者): rows matched on 職員番号
 * are added, changed from `effectiveFrom` (default today in Japan; what held before is kept) or
 * ended (a 終了日); `dryRun` answers what would change and writes nothing. Applying with any
 * bad row writes nothing and answers every row's error; otherwise every change and its audit
 * event land in one transaction, or none (a file too large for one is refused whole).
 */
export async function importStaff(
  deps: Deps,
  actor: Actor,
  query: { department: string; dryRun: boolean; effectiveFrom?: string | undefined },
  csv: Uint8Array,
): Promise<ImportPreview | ImportSummary> {
  registerFor(deps, actor, query.department, 'staff:import');
  const { text, encoding } = decodeCsv(csv);
  const today = jstDate(deps.clock.now());
  const effectiveFrom = query.effectiveFrom ?? today;
  const read = readStaffCsv(
    text,
    { roleTitles: deps.profile.roleTitles, handlerTerm: deps.profile.staff.handlerTerm },
    { department: query.department, from: effectiveFrom },
  );
  const { people } = await registerRows(deps, query.department);
  const planned = planImport(read.rows, currentOf(people, today));
  const errors = [...read.errors];
  const now = deps.clock.now().toISOString();
  const changes: Change[] = [];
  const byRow = new Map(read.rows.map((r) => [r.row, r]));
  const byId = new Map(people.map((s) => [s.staffId, s]));
  for (const p of planned) {
    try {
      if (p.action === 'add') {
        const r = byRow.get(p.row)!;
        if (r.to !== null && r.to < (r.from ?? effectiveFrom))
          throw new InvalidInput('名簿の内容が正しくありません。', [
            { path: 'to', message: '終了日は開始日以降の日付で指定してください。' },
          ]);
        const input: CreateStaffInput = {
          department: query.department,
          ...r.attributes,
          employeeNumber: r.employeeNumber,
          from: r.from ?? effectiveFrom,
          to: r.to,
        };
        const staff = newStaff(input, { staffId: deps.ids.next() }, { sub: actor.sub, at: now });
        changes.push(change(deps, actor, now, 'staff', staff.staffId, 'staff.registered', null, staff, importReason));
        if (!query.dryRun) p.staffId = staff.staffId;
      } else if (p.patch) {
        const before = byId.get(p.staffId!)!;
        const { to: _to, from: _from, ...attributes } = p.patch;
        // Attributes change from the effective date (a correction when it is the day they hold from already).
        const fromDate = Object.keys(attributes).length > 0 && effectiveFrom !== before.since ? { effectiveFrom } : {};
        const { after, closed } = updateStaff(before, { ...p.patch, ...fromDate }, now, deps.profile.staff.handlerTerm);
        changes.push(staffChange(deps, actor, now, before, after, closed, importReason));
      }
    } catch (err) {
      errors.push(...rowErrorsOf(err, p.row));
    }
  }
  errors.sort((a, b) => a.row - b.row);
  const counts = { add: 0, update: 0, end: 0, unchanged: 0 };
  for (const p of planned) counts[p.action] += 1;
  const preview: ImportPreview = {
    department: query.department,
    encoding,
    effectiveFrom,
    rows: read.count,
    changes: planned.map(({ patch: _patch, ...c }) => c),
    counts,
    errors,
  };
  if (query.dryRun) return preview;
  if (errors.length > 0)
    throw new InvalidInput(
      `取り込めない行が${new Set(errors.map((e) => e.row)).size}行あるため、何も登録していません。各行の誤りを直してから取り込んでください。`,
      errors,
      'import-rows-invalid',
    );
  assertRoom(currentOf(people, today), counts.add);
  const items = itemsOf(changes);
  if (items > importCapacity)
    throw new PayloadTooLarge(
      `この取込の変更（${changes.length}人、書込み${items}件）は、一度に記録できる上限（書込み${importCapacity}件。追加・終了は1人2件、適用日からの変更は1人3件）を超えるため、何も登録していません。ファイルを${Math.ceil(items / importCapacity)}つ以上に分けて取り込んでください。`,
      'import-too-large',
    );
  const summary: ImportSummary = { ...preview, applied: true };
  // The summary is kept on a claim named by the first person added, which a repeat under the same Idempotency-Key answers again.
  const first = changes.find((c) => c.expectedVersion === null);
  const claims = first ? [{ ...importClaim(query.department, first.entityId), answer: { ...summary } }] : [];
  if (changes.length > 0) await commitAsked(deps, undefined, changes, [], claims);
  return summary;
}

const importClaim = (department: string, firstAdded: string) => ({ duty: 'staff-import', period: department, subject: firstAdded });

/** What an applied import answered, for a repeat under its Idempotency-Key (the snapshot is the first person it added). */
export async function importAnswer(deps: Deps, firstAdded: Staff): Promise<ImportSummary> {
  const c = importClaim(firstAdded.department, firstAdded.staffId);
  const stored = await deps.claims.get(c.duty, c.period, c.subject);
  if (!stored?.answer) throw new Error(`no import summary stored for ${firstAdded.staffId}`);
  return stored.answer as unknown as ImportSummary;
}
