import { transitionPlan, createPlan } from '#lib/app/plans.js';
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { CreateDisposalInput, Disposal } from '#lib/domain/disposal.js';
import type { Evidence, ObservedUpload, ScanReport, UploadVersion } from '#lib/domain/evidence.js';
import {
  AlreadyClaimed,
  AlreadyCreated,
  type IdempotencyClaim,
  type IdempotencyReader,
  type IdempotencyRecord,
  type Claim,
  type ContractorCheckReader,
  type IncidentReader,
  type AttendanceReader,
  type StaffReader,
  type TrainingReader,
  type ContractorReader,
  type InspectionReader,
  type TaskReader,
} from '#lib/app/ports.js';
import type { Contractor, ContractorCheck } from '#lib/domain/contractor.js';
import type { Incident } from '#lib/domain/incident.js';
import type { Staff, StaffPeriod } from '#lib/domain/staff.js';
import type { AttendanceRoll, Training } from '#lib/domain/training.js';
import type { Inspection } from '#lib/domain/inspection.js';
import { type Task, isUserAssignee } from '#lib/domain/task.js';
import type {
  ActionReader,
  AuditTrailReader,
  DisposalReader,
  EvidenceObjects,
  EvidenceReader,
  Change,
  ChangeWriter,
  ClaimReader,
  Clock,
  Deps,
  FindingReader,
  IdGenerator,
  MalwareScanner,
  Page,
  PageRequest,
  PlanReader,
  Precheck,
  StoredTrail,
  TrailAnchors,
} from '#lib/app/ports.js';
import { jstDate } from '#lib/domain/calendar.js';
import { type ActionNote, type FollowUpAction, pendingStatuses } from '#lib/domain/action.js';
import type { AuditEvent, EntityOf, EntityType } from '#lib/domain/audit.js';
import { Conflict, NotFound, StaleVersion } from '#lib/domain/errors.js';
import type { CreateFindingInput, Finding } from '#lib/domain/finding.js';
import type { Organisation } from '#lib/domain/organisation.js';
import type { CreatePlanInput, Plan } from '#lib/domain/plan.js';
import type { Actor } from '#lib/domain/roles.js';
import { koriyama } from '#lib/profiles/koriyama.js';
import { MemoryPublisher } from '#lib/jobs/events.js';
import { noMalwareScanner } from '#lib/store/no-scanner.js';

/**
 * In-memory stand-ins for the ports of lib/app, for use-case unit tests. The writer
 * keeps the contract of the DynamoDB one: all changes of a commit land or none do,
 * `expectedVersion: null` means "must not exist yet", a version mismatch is a 412,
 * and a precheck on an entity that changed (or does not exist) is a 409.
 */

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Counter-based ids shaped like ULIDs (26 Crockford base32 chars) that sort in issue order. */
export class CounterIds implements IdGenerator {
  private n = 0;
  constructor(private readonly prefix = '01KANSA') {}

  next(): string {
    this.n += 1;
    let rest = '';
    for (let v = this.n; v > 0; v = Math.floor(v / 32)) rest = crockford[v % 32] + rest;
    return this.prefix + rest.padStart(26 - this.prefix.length, '0');
  }
}

/** A clock that says what it is told. */
export class FixedClock implements Clock {
  private instant: Date;
  /** The waits asked for (retries' backoff), in order; none is waited. */
  readonly slept: number[] = [];
  constructor(iso: string) {
    this.instant = new Date(iso);
  }
  now(): Date {
    return new Date(this.instant);
  }
  set(iso: string): void {
    this.instant = new Date(iso);
  }
  sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    return Promise.resolve();
  }
}

type PlanListQuery = Parameters<PlanReader['list']>[0];
type FindingListQuery = { planId: string } & Parameters<FindingReader['list']>[1];
type ActionListQuery = Parameters<ActionReader['list']>[0];

function pageOf<T>(all: T[], page: PageRequest): Page<T> {
  const start = page.cursor === undefined ? 0 : Number(page.cursor);
  const items = all.slice(start, start + page.limit);
  const end = start + items.length;
  return { items, nextCursor: end < all.length ? String(end) : null };
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** One Map per entity type behind the ports; records every successful commit and every list query. */
export class FakeStore {
  readonly plansById = new Map<string, Plan>();
  readonly findingsById = new Map<string, Finding>();
  readonly actionsById = new Map<string, FollowUpAction>();
  readonly evidenceById = new Map<string, Evidence>();
  readonly disposalsById = new Map<string, Disposal>();
  readonly tasksById = new Map<string, Task>();
  readonly inspectionsById = new Map<string, Inspection>();
  readonly contractorsById = new Map<string, Contractor>();
  readonly checksById = new Map<string, ContractorCheck>();
  readonly incidentsById = new Map<string, Incident>();
  readonly staffById = new Map<string, Staff>();
  readonly trainingsById = new Map<string, Training>();
  readonly rollsById = new Map<string, AttendanceRoll>();
  /** Duty claims by `duty|period|subject`, with the events stored on them. */
  readonly claims = new Map<string, Claim>();
  /** Items appended beside entities (notes), by `<entity pk>|<kind>#<id>`, put once like the writer's. */
  readonly children = new Map<string, Record<string, unknown>>();
  readonly claimReader: ClaimReader = {
    get: async (duty, period, subject) => structuredClone(this.claims.get(`${duty}|${period}|${subject}`)),
    list: async (duty, period, page) =>
      pageOf(
        structuredClone([...this.claims.values()].filter((c) => c.duty === duty && c.period === period).sort(byKey((c) => c.subject))),
        page,
      ),
  };
  /** Idempotency-Key records by scope, put with their create like the DynamoDB writer does. */
  readonly idempotencyRecords = new Map<string, IdempotencyRecord>();
  readonly idempotency: IdempotencyReader = {
    get: async (scope, now) => {
      const r = this.idempotencyRecords.get(scope);
      return r && r.expiresAt > now ? structuredClone(r) : undefined;
    },
  };
  readonly events: AuditEvent[] = [];
  readonly commits: Change[][] = [];
  /** The prechecks of each successful commit, in the order of `commits`. */
  readonly checks: Precheck[][] = [];
  readonly planListQueries: PlanListQuery[] = [];
  readonly findingListQueries: FindingListQuery[] = [];
  readonly actionListQueries: ActionListQuery[] = [];

  /** The map holding entities of this type. */
  table(entityType: EntityType): Map<string, { version: number }> {
    switch (entityType) {
      case 'plan':
        return this.plansById;
      case 'finding':
        return this.findingsById;
      case 'action':
        return this.actionsById;
      case 'evidence':
        return this.evidenceById;
      case 'disposal':
        return this.disposalsById;
      case 'task':
        return this.tasksById;
      case 'inspection':
        return this.inspectionsById;
      case 'contractor':
        return this.contractorsById;
      case 'contractorCheck':
        return this.checksById;
      case 'incident':
        return this.incidentsById;
      case 'staff':
        return this.staffById;
      case 'training':
        return this.trainingsById;
      case 'attendance':
        return this.rollsById;
    }
  }

  /** Like the indexes: by assignee, 課 or subject, ordered by status, due date and id. */
  readonly tasks: TaskReader = {
    get: async (id) => structuredClone(this.tasksById.get(id)),
    getMany: async (ids) => structuredClone(ids.flatMap((id) => this.tasksById.get(id) ?? [])),
    listForAssignees: async (assignees, q) =>
      pageOf(
        structuredClone(
          [...this.tasksById.values()]
            .filter(
              (t) =>
                t.status === q.status &&
                assignees.some(
                  (a) => JSON.stringify(a) === JSON.stringify(isUserAssignee(t.assignee) ? { user: t.assignee.user } : t.assignee),
                ),
            )
            .sort(byKey((t) => `${t.dueDate}#${t.taskId}`)),
        ),
        q,
      ),
    listForDepartment: async (department, q) =>
      pageOf(
        structuredClone(
          [...this.tasksById.values()]
            .filter((t) => t.status === q.status && t.assignee.department === department)
            .sort(byKey((t) => `${t.dueDate}#${t.taskId}`)),
        ),
        q,
      ),
    openOfSubject: async (type, id) =>
      structuredClone([...this.tasksById.values()].filter((t) => t.status === 'open' && t.subject.type === type && t.subject.id === id)),
  };

  readonly inspections: InspectionReader = {
    get: async (id) => structuredClone(this.inspectionsById.get(id)),
    list: async (q) =>
      pageOf(
        structuredClone(
          [...this.inspectionsById.values()]
            .filter(
              (i) =>
                (q.department === undefined || i.department === q.department) &&
                (q.period === undefined || i.period === q.period) &&
                (q.status === undefined || i.status === q.status),
            )
            .sort(byKey((i) => i.inspectionId)),
        ),
        q,
      ),
  };

  readonly contractors: ContractorReader = {
    get: async (id) => structuredClone(this.contractorsById.get(id)),
    list: async (q) =>
      pageOf(
        structuredClone(
          [...this.contractorsById.values()]
            .filter((c) => q.department === undefined || c.department === q.department)
            .sort(byKey((c) => c.contractorId)),
        ),
        q,
      ),
  };

  readonly contractorChecks: ContractorCheckReader = {
    get: async (id) => structuredClone(this.checksById.get(id)),
    list: async (q) =>
      pageOf(
        structuredClone(
          [...this.checksById.values()]
            .filter((c) => c.fiscalYear === q.fiscalYear && (q.department === undefined || c.department === q.department))
            .sort(byKey((c) => c.checkId)),
        ),
        q,
      ),
  };

  /** Like the index: a 課's people and their periods, each person's periods (by `validFrom`) just before them. */
  readonly staff: StaffReader = {
    get: async (id) => structuredClone(this.staffById.get(id)),
    registerPage: async (department, page) => {
      const periods = [...this.children.entries()]
        .filter(([k, v]) => k.startsWith('staff#') && k.includes('|period#') && v.department === department)
        .map(([, v]) => v as unknown as StaffPeriod);
      const rows: (Staff | StaffPeriod)[] = [...[...this.staffById.values()].filter((s) => s.department === department), ...periods];
      const sortKey = (r: Staff | StaffPeriod) => ('validFrom' in r ? `${r.staffId}#P#${r.validFrom}` : `${r.staffId}#~`);
      return pageOf(structuredClone(rows.sort(byKey(sortKey))), page);
    },
  };

  /** Like the index: a 年度's sessions by first day. */
  readonly trainings: TrainingReader = {
    get: async (id) => structuredClone(this.trainingsById.get(id)),
    list: async (q) =>
      pageOf(
        structuredClone(
          [...this.trainingsById.values()]
            .filter((t) => t.fiscalYear === q.fiscalYear)
            .sort(byKey((t) => `${t.timing.from}#${t.trainingId}`)),
        ),
        q,
      ),
  };

  /** Like the indexes: a session's rolls by 課, a 課's by session. */
  readonly attendance: AttendanceReader = {
    get: async (id) => structuredClone(this.rollsById.get(id)),
    ofTraining: async (trainingId, page) =>
      pageOf(
        structuredClone([...this.rollsById.values()].filter((r) => r.trainingId === trainingId).sort(byKey((r) => r.department))),
        page,
      ),
    ofDepartment: async (department, fiscalYear, page) =>
      pageOf(
        structuredClone(
          [...this.rollsById.values()]
            .filter((r) => r.department === department && r.fiscalYear === fiscalYear)
            .sort(byKey((r) => r.trainingId)),
        ),
        page,
      ),
  };

  /** Like the indexes: by 年度 (課, status), by reporter, and those not closed (oldest discovery first). */
  readonly incidents: IncidentReader = {
    get: async (id) => structuredClone(this.incidentsById.get(id)),
    list: async (q) =>
      pageOf(
        structuredClone(
          [...this.incidentsById.values()]
            .filter(
              (i) =>
                i.fiscalYear === q.fiscalYear &&
                (q.department === undefined || i.department === q.department) &&
                (q.status === undefined || i.status === q.status),
            )
            .sort(byKey((i) => i.incidentId))
            .reverse(),
        ),
        q,
      ),
    listReportedBy: async (sub, q) =>
      pageOf(
        structuredClone(
          [...this.incidentsById.values()]
            .filter((i) => i.createdBy === sub && i.fiscalYear === q.fiscalYear && (q.status === undefined || i.status === q.status))
            .sort(byKey((i) => i.incidentId))
            .reverse(),
        ),
        q,
      ),
    listOpen: async (page) =>
      pageOf(
        structuredClone(
          [...this.incidentsById.values()].filter((i) => i.status !== 'closed').sort(byKey((i) => `${i.discoveredAt}#${i.incidentId}`)),
        ),
        page,
      ),
  };

  readonly evidence: EvidenceReader = {
    get: async (id) => structuredClone(this.evidenceById.get(id)),
    listByTarget: async (type, id, page) =>
      pageOf(
        structuredClone(
          [...this.evidenceById.values()].filter((e) => e.target.type === type && e.target.id === id).sort(byKey((e) => e.evidenceId)),
        ),
        page,
      ),
    listPendingBefore: async (before, page) =>
      pageOf(
        structuredClone(
          [...this.evidenceById.values()]
            .filter((e) => e.status === 'pending' && e.createdAt < before)
            .sort(byKey((e) => `${e.createdAt}#${e.evidenceId}`)),
        ),
        page,
      ),
  };

  readonly disposals: DisposalReader = {
    get: async (id) => structuredClone(this.disposalsById.get(id)),
    list: async (q) =>
      pageOf(
        structuredClone(
          [...this.disposalsById.values()]
            .filter((d) => d.fiscalYear === q.fiscalYear && (q.department === undefined || d.department === q.department))
            .sort(byKey((d) => d.disposalId)),
        ),
        q,
      ),
  };

  readonly plans: PlanReader = {
    get: async (planId) => {
      const p = this.plansById.get(planId);
      return p && structuredClone(p);
    },
    list: async (query) => {
      this.planListQueries.push(structuredClone(query));
      const plans = [...this.plansById.values()]
        .filter((p) => p.fiscalYear === query.fiscalYear && (query.status === undefined || p.status === query.status))
        .sort((a, b) => (a.planId < b.planId ? 1 : -1));
      return pageOf(structuredClone(plans), query);
    },
    /** Like the plan's partition: its actions (CHILD#ACTION#…), then its findings (CHILD#FINDING#…), each by id. */
    children: async (planId, page) =>
      pageOf(
        structuredClone([
          ...[...this.actionsById.values()].filter((a) => a.planId === planId).sort(byKey((a) => a.actionId)),
          ...[...this.findingsById.values()].filter((f) => f.planId === planId).sort(byKey((f) => f.findingId)),
        ]),
        page,
      ),
  };

  /** Like the index: by plan, optionally by 課 and scope, ordered by scope then id. */
  readonly findings: FindingReader = {
    get: async (findingId) => {
      const f = this.findingsById.get(findingId);
      return f && structuredClone(f);
    },
    list: async (planId, query) => {
      this.findingListQueries.push(structuredClone({ planId, ...query }));
      const found = [...this.findingsById.values()]
        .filter(
          (f) =>
            f.planId === planId &&
            (query.department === undefined || f.department === query.department) &&
            (query.scope === undefined || f.scope === query.scope),
        )
        .sort(byKey((f) => `${f.scope}#${f.findingId}`));
      return pageOf(structuredClone(found), query);
    },
  };

  /**
   * Like the indexes: by 課 and status; `overdueBefore` keeps actions the 課 still owes
   * (open, inProgress, reopened) due strictly before that date. Ordered by due date, then id.
   */
  readonly actions: ActionReader = {
    get: async (actionId) => {
      const a = this.actionsById.get(actionId);
      return a && structuredClone(a);
    },
    notes: async (actionId, page) => {
      const prefix = `action#${actionId}|note#`;
      const found = [...this.children.entries()]
        .filter(([k]) => k.startsWith(prefix))
        .sort(byKey(([k]) => k))
        .map(([, v]) => v as unknown as ActionNote);
      return pageOf(structuredClone(found), page);
    },
    list: async (query) => {
      this.actionListQueries.push(structuredClone(query));
      const { department, status, overdueBefore } = query;
      const found = [...this.actionsById.values()]
        .filter(
          (a) =>
            (department === undefined || a.department === department) &&
            (status === undefined || a.status === status) &&
            (overdueBefore === undefined || (pendingStatuses.includes(a.status) && a.dueDate < overdueBefore)),
        )
        .sort(byKey((a) => `${a.dueDate}#${a.actionId}`));
      return pageOf(structuredClone(found), query);
    },
    listOfPlan: async (planId, page) => {
      const found = [...this.actionsById.values()].filter((a) => a.planId === planId).sort(byKey((a) => a.actionId));
      return pageOf(structuredClone(found), page);
    },
    listOwedDueOn: async (date, page) =>
      pageOf(
        structuredClone(
          [...this.actionsById.values()]
            .filter((a) => pendingStatuses.includes(a.status) && a.dueDate === date)
            .sort(byKey((a) => a.actionId)),
        ),
        page,
      ),
  };

  readonly auditTrail: AuditTrailReader = {
    trail: <T extends EntityType>(entityType: T, entityId: string) => ({
      entity: async () => {
        const entity = this.table(entityType).get(entityId) as EntityOf<T> | undefined;
        return entity && structuredClone(entity);
      },
      events: async (): Promise<StoredTrail> => ({
        events: structuredClone(this.events.filter((e) => e.entityType === entityType && e.entityId === entityId)),
        misfiled: [],
      }),
    }),
    list: async (entityType, entityId, page) => {
      const key = (e: AuditEvent) => `${String(e.version).padStart(10, '0')}#${e.eventId}`;
      const trail = this.events
        .filter((e) => e.entityType === entityType && e.entityId === entityId)
        .sort((a, b) => (key(a) < key(b) ? -1 : 1));
      return pageOf(structuredClone(trail), page);
    },
    ofDay: async (date, page) => {
      const key = (e: AuditEvent) => `${e.entityType}#${e.entityId}#${e.eventId}`;
      const day = this.events.filter((e) => jstDate(new Date(e.at)) === date).sort((a, b) => (key(a) < key(b) ? -1 : 1));
      return pageOf(structuredClone(day), page);
    },
  };

  readonly writer: ChangeWriter = {
    appendEvent: async (event) => {
      if (this.events.some((e) => e.eventId === event.eventId)) throw new Conflict('同じIDの監査証跡がすでに存在します。', 'duplicate');
      this.events.push(structuredClone(event));
    },
    commit: async (changes, checks = [], claims: Claim[] = [], idempotency?: IdempotencyClaim) => {
      const used = idempotency ? this.idempotencyRecords.get(idempotency.scope) : undefined;
      if (used && used.expiresAt > (idempotency as IdempotencyClaim).now) throw new AlreadyCreated(structuredClone(used));
      const claimKey = (k: Claim) => `${k.duty}|${k.period}|${k.subject}`;
      const claimed = claims.find((k) => this.claims.has(claimKey(k)));
      if (claimed) throw new AlreadyClaimed(claimed, structuredClone(this.claims.get(claimKey(claimed))?.events ?? []));
      const eventIds = new Set(this.events.map((e) => e.eventId));
      for (const c of changes) {
        const current = this.table(c.entityType).get(c.entityId);
        if (c.expectedVersion === null) {
          if (current) throw new Conflict('同じIDのデータがすでに存在します。', 'duplicate');
        } else {
          if (!current) throw new NotFound('対象のデータは見つかりません。', 'not-found');
          if (current.version !== c.expectedVersion)
            throw new StaleVersion(current.version, undefined, { entityType: c.entityType, entityId: c.entityId });
        }
        if (eventIds.has(c.event.eventId)) throw new Conflict('同じIDの監査証跡がすでに存在します。', 'duplicate');
        eventIds.add(c.event.eventId);
      }
      for (const k of checks) {
        if (this.table(k.entityType).get(k.entityId)?.version !== k.version) {
          throw new Conflict('関連するデータが同時に更新されました。最新の内容を読み込み直してから操作してください。', 'related-changed');
        }
      }
      const childKey = (c: Change, kind: string, id: string) => `${c.entityType}#${c.entityId}|${kind}#${id}`;
      for (const c of changes)
        for (const k of c.children ?? [])
          if (this.children.has(childKey(c, k.kind, k.id))) throw new Conflict('同じIDのデータがすでに存在します。', 'duplicate');
      for (const c of changes) {
        this.table(c.entityType).set(c.entityId, structuredClone(c.entity));
        this.events.push(structuredClone(c.event));
      }
      for (const c of changes) for (const k of c.children ?? []) this.children.set(childKey(c, k.kind, k.id), structuredClone(k.body));
      for (const k of claims) this.claims.set(claimKey(k), structuredClone(k));
      const created = changes.find((c) => c.expectedVersion === null);
      if (idempotency && created) {
        const { route, fingerprint, expiresAt } = idempotency;
        this.idempotencyRecords.set(idempotency.scope, {
          route,
          fingerprint,
          expiresAt,
          entityType: created.entityType,
          entityId: created.entityId,
          snapshot: structuredClone(created.entity),
        });
      }
      this.commits.push(structuredClone(changes));
      this.checks.push(structuredClone(checks));
    },
  };
}

/** The evidence bucket in memory: what was put under each key, judged like S3EvidenceObjects. */
export class MemoryObjects implements EvidenceObjects {
  readonly objects = new Map<string, Buffer>();
  /** Every inspect, copy and remove with the version it named, in order. */
  readonly calls: { op: 'inspect' | 'copy' | 'remove'; key: string; version?: UploadVersion }[] = [];

  async presignUpload(key: string) {
    return { url: 'memory://evidence', fields: { key }, expiresAt: '2099-01-01T00:00:00.000Z' };
  }
  async presignDownload(key: string) {
    return { url: `memory://evidence/${key}`, expiresAt: '2099-01-01T00:00:00.000Z' };
  }
  async inspect(key: string, version?: UploadVersion): Promise<(ObservedUpload & UploadVersion) | undefined> {
    this.calls.push({ op: 'inspect', key, ...(version ? { version } : {}) });
    const bytes = this.objects.get(key);
    if (!bytes) return undefined;
    return {
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      detectedType: (await fileTypeFromBuffer(bytes))?.mime,
      ...version,
    };
  }
  async copy(from: string, to: string, _retention?: 'default' | 'quarantine', version?: UploadVersion) {
    this.calls.push({ op: 'copy', key: from, ...(version ? { version } : {}) });
    const bytes = this.objects.get(from);
    if (bytes) this.objects.set(to, bytes);
    return {};
  }
  async remove(key: string, versionId?: string) {
    this.calls.push({ op: 'remove', key, ...(versionId ? { version: { versionId } } : {}) });
    this.objects.delete(key);
  }
}

/** A malware scanner whose reports a test sets per key (GuardDuty's tag on the object); none set: not scanned yet. */
export class MemoryScanner implements MalwareScanner {
  readonly reports = new Map<string, ScanReport>();
  /** Every report asked for, with the version it named. */
  readonly asked: { key: string; version: UploadVersion }[] = [];
  async reportOf(key: string, version: UploadVersion): Promise<ScanReport | undefined> {
    this.asked.push({ key, version });
    return this.reports.get(key);
  }
}

/**
 * A small 郡山市: 部 name themselves as division; 課 belong to a 部.
 * 政策開発部: 政策開発課, DX戦略課, 広報広聴課; 市民部: 市民課, 市民税課.
 */
export const organisation: Organisation = {
  departments: [
    { code: 'seisaku-bu', name: '政策開発部', division: 'seisaku-bu' },
    { code: 'seisaku', name: '政策開発課', division: 'seisaku-bu' },
    { code: 'dx-senryaku', name: 'DX戦略課', division: 'seisaku-bu' },
    { code: 'koho-kocho', name: '広報広聴課', division: 'seisaku-bu' },
    { code: 'shimin-bu', name: '市民部', division: 'shimin-bu' },
    { code: 'shimin', name: '市民課', division: 'shimin-bu' },
    { code: 'shiminzei', name: '市民税課', division: 'shimin-bu' },
  ],
};

/** The anchors' bucket in memory: a key is written once (as S3 does with `If-None-Match: *`). */
export class MemoryAnchors implements TrailAnchors {
  readonly objects = new Map<string, string>();
  /** Every put asked for, written or not. */
  readonly puts: string[] = [];

  async putOnce(key: string, body: string): Promise<boolean> {
    this.puts.push(key);
    if (this.objects.has(key)) return false;
    this.objects.set(key, body);
    return true;
  }

  async latest(prefix: string): Promise<{ key: string; body: unknown } | undefined> {
    const key = [...this.objects.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .at(-1);
    return key === undefined ? undefined : { key, body: await this.get(key) };
  }

  async get(key: string): Promise<unknown> {
    const text = this.objects.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }
}

export interface FakeDeps extends Deps {
  store: FakeStore;
  anchors: MemoryAnchors;
  clock: FixedClock;
  ids: CounterIds;
  events: MemoryPublisher;
}

/** Deps for a use-case test: a fresh store, the clock at `now`, the default profile. */
export function fakeDeps(now = '2026-06-01T00:00:00Z'): FakeDeps {
  const store = new FakeStore();
  return {
    store,
    plans: store.plans,
    findings: store.findings,
    actions: store.actions,
    evidence: store.evidence,
    disposals: store.disposals,
    tasks: store.tasks,
    inspections: store.inspections,
    contractors: store.contractors,
    contractorChecks: store.contractorChecks,
    incidents: store.incidents,
    staff: store.staff,
    trainings: store.trainings,
    attendance: store.attendance,
    objects: new MemoryObjects(),
    scanner: noMalwareScanner,
    anchors: new MemoryAnchors(),
    evidenceMaxBytes: 20 * 1024 * 1024,
    auditTrail: store.auditTrail,
    idempotency: store.idempotency,
    claims: store.claimReader,
    events: new MemoryPublisher(),
    writer: store.writer,
    clock: new FixedClock(now),
    ids: new CounterIds(),
    profile: koriyama,
    organisation,
  };
}

export function actor(sub: string, roles: Actor['roles'], department = 'seisaku'): Actor {
  return { sub, name: sub, roles, department };
}

/** 政策開発部長: 監査責任者 and 総括保護副管理者 (001). */
export const lead = actor('lead-1', ['auditLead', 'deputyManager']);
/** 副市長: 総括保護管理者. */
export const chief = actor('chief-1', ['chiefManager']);
/** DX戦略課長: 監査補助者 (DX scope) and 保護管理者 of DX戦略課. */
export const dxAuditor = actor('dx-1', ['auditorDx', 'sectionManager'], 'dx-senryaku');
/** 広報広聴課長: 監査補助者 (広報広聴 scope) and 保護管理者 of 広報広聴課. */
export const kohoAuditor = actor('koho-1', ['auditorKoho', 'sectionManager'], 'koho-kocho');
/** 市民部長: 保護責任者 of 市民部. */
export const shiminHead = actor('shimin-bucho', ['deptHead'], 'shimin-bu');
/** 市民課長 and a 市民課 保護担当者. */
export const shiminManager = actor('shimin-kacho', ['sectionManager'], 'shimin');
export const shiminStaff = actor('shimin-tanto', ['sectionStaff'], 'shimin');

/** An outsourced paper disposal of 市民課 (第18条), no witness: its certificate's photo is the proof. */
export const outsourcedDisposal: CreateDisposalInput = {
  department: 'shimin',
  disposedOn: '2026-05-20',
  media: 'paper',
  method: 'dissolution',
  contractor: '株式会社○○リサイクル',
  witness: null,
  evidenceIds: [],
};
/** 市民税課長. */
export const zeiManager = actor('zei-kacho', ['sectionManager'], 'shiminzei');

/** A POST /plans body as the edge hands it to the use case (after zod). */
export function planInput(overrides: Partial<CreatePlanInput> = {}): CreatePlanInput {
  return {
    fiscalYear: 2026,
    purpose: '保有個人情報等の適切な管理を検証する',
    scope: '第2章から第7章までに規定する措置の実施状況',
    auditedDepartments: ['dx-senryaku', 'koho-kocho'],
    methods: ['document', 'onSite'],
    schedule: { from: '2026-10-01', to: '2026-11-30' },
    team: [{ role: 'auditLead', userId: 'lead-1' }],
    ...overrides,
  };
}

/** A plan taken to `inProgress` by the usual route: lead drafts, submits and starts; chief approves. */
export async function planInProgress(deps: FakeDeps, overrides: Partial<CreatePlanInput> = {}): Promise<Plan> {
  const plan = await createPlan(deps, lead, planInput({ auditedDepartments: ['shimin', 'shiminzei', 'dx-senryaku'], ...overrides }));
  await transitionPlan(deps, lead, plan.planId, 'submit', { ifMatch: 1 });
  await transitionPlan(deps, chief, plan.planId, 'approve', { ifMatch: 2 });
  return transitionPlan(deps, lead, plan.planId, 'start', { ifMatch: 3 });
}

/** A POST /plans/{planId}/findings body as the edge hands it to the use case (after zod). */
export function findingInput(overrides: Partial<CreateFindingInput> = {}): CreateFindingInput {
  return {
    department: 'shimin',
    article: '第17条の2',
    rating: 'minor',
    title: '誤送付防止の確認手順が未整備',
    observation: '郵送前のダブルチェックの記録がない。',
    ...overrides,
  };
}

/** The rejection of a promise that must reject. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
