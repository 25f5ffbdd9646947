import type { AuditTrailReader, Change, ChangeWriter, Clock, Deps, IdGenerator, Page, PageRequest, PlanReader } from '#lib/app/ports.js';
import type { AuditEvent } from '#lib/domain/audit.js';
import { Conflict, NotFound, StaleVersion } from '#lib/domain/errors.js';
import type { CreatePlanInput, Plan } from '#lib/domain/plan.js';
import type { Actor } from '#lib/domain/roles.js';
import { koriyama } from '#lib/profiles/koriyama.js';

/**
 * In-memory stand-ins for the ports of lib/app, for use-case unit tests. The writer
 * keeps the contract of the DynamoDB one: all changes of a commit land or none do,
 * `expectedVersion: null` means "must not exist yet", a version mismatch is a 412.
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
  constructor(iso: string) {
    this.instant = new Date(iso);
  }
  now(): Date {
    return new Date(this.instant);
  }
  set(iso: string): void {
    this.instant = new Date(iso);
  }
}

type PlanListQuery = Parameters<PlanReader['list']>[0];

function pageOf<T>(all: T[], page: PageRequest): Page<T> {
  const start = page.cursor === undefined ? 0 : Number(page.cursor);
  const items = all.slice(start, start + page.limit);
  const end = start + items.length;
  return { items, nextCursor: end < all.length ? String(end) : null };
}

/** One Map-backed table behind the three ports; records every successful commit. */
export class FakeStore {
  readonly plansById = new Map<string, Plan>();
  readonly events: AuditEvent[] = [];
  readonly commits: Change[][] = [];
  readonly planListQueries: PlanListQuery[] = [];

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
  };

  readonly auditTrail: AuditTrailReader = {
    list: async (entityType, entityId, page) => {
      const trail = this.events
        .filter((e) => e.entityType === entityType && e.entityId === entityId)
        .sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
      return pageOf(structuredClone(trail), page);
    },
  };

  readonly writer: ChangeWriter = {
    commit: async (changes) => {
      const eventIds = new Set(this.events.map((e) => e.eventId));
      for (const c of changes) {
        const current = this.plansById.get(c.entityId);
        if (c.expectedVersion === null) {
          if (current) throw new Conflict('同じIDのデータがすでに存在します。', 'duplicate');
        } else {
          if (!current) throw new NotFound('対象のデータは見つかりません。', 'not-found');
          if (current.version !== c.expectedVersion) throw new StaleVersion(current.version);
        }
        if (eventIds.has(c.event.eventId)) throw new Conflict('同じIDの監査証跡がすでに存在します。', 'duplicate');
        eventIds.add(c.event.eventId);
      }
      for (const c of changes) {
        this.plansById.set(c.entityId, structuredClone(c.entity) as Plan);
        this.events.push(structuredClone(c.event));
      }
      this.commits.push(structuredClone(changes));
    },
  };
}

export interface FakeDeps extends Deps {
  store: FakeStore;
  clock: FixedClock;
  ids: CounterIds;
}

/** Deps for a use-case test: a fresh store, the clock at `now`, the default profile. */
export function fakeDeps(now = '2026-06-01T00:00:00Z'): FakeDeps {
  const store = new FakeStore();
  return {
    store,
    plans: store.plans,
    auditTrail: store.auditTrail,
    writer: store.writer,
    clock: new FixedClock(now),
    ids: new CounterIds(),
    profile: koriyama,
  };
}

export function actor(sub: string, roles: Actor['roles'], department = 'seisaku'): Actor {
  return { sub, name: sub, roles, department };
}

/** 政策開発部長: 監査責任者 and 総括保護副管理者 (001). */
export const lead = actor('lead-1', ['auditLead', 'deputyManager']);
/** 副市長: 総括保護管理者. */
export const chief = actor('chief-1', ['chiefManager']);

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
