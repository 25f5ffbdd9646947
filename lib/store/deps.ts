import { monotonicFactory } from 'ulid';
import type { Deps } from '#lib/app/ports.js';
import { config } from '#lib/config.js';
import { getProfile } from '#lib/profiles/index.js';
import { DynamoActionStore } from './action-store.js';
import { DynamoAuditTrail } from './audit-store.js';
import { DynamoChangeWriter } from './change-writer.js';
import { createDocumentClient } from './dynamo.js';
import { DynamoFindingStore } from './finding-store.js';
import { DynamoPlanStore } from './plan-store.js';

type TableDeps = Pick<Deps, 'plans' | 'findings' | 'actions' | 'auditTrail' | 'writer'>;

let built: Deps | undefined;

/**
 * The real dependencies, built once per cold start from the environment. The table
 * parts are made on first use, so a function without table access (health, /me)
 * needs no TABLE_NAME.
 */
export function deps(): Deps {
  if (built) return built;
  const cfg = config();
  const ulid = monotonicFactory();
  let table: TableDeps | undefined;
  const tableDeps = (): TableDeps => {
    if (table) return table;
    if (!cfg.TABLE_NAME) throw new Error('TABLE_NAME is not set: this function has no table access');
    const doc = createDocumentClient({ region: cfg.AWS_REGION, endpoint: cfg.DYNAMODB_ENDPOINT });
    table = {
      plans: new DynamoPlanStore(doc, cfg.TABLE_NAME),
      findings: new DynamoFindingStore(doc, cfg.TABLE_NAME),
      actions: new DynamoActionStore(doc, cfg.TABLE_NAME),
      auditTrail: new DynamoAuditTrail(doc, cfg.TABLE_NAME),
      writer: new DynamoChangeWriter(doc, cfg.TABLE_NAME),
    };
    return table;
  };
  built = {
    get plans() {
      return tableDeps().plans;
    },
    get findings() {
      return tableDeps().findings;
    },
    get actions() {
      return tableDeps().actions;
    },
    get auditTrail() {
      return tableDeps().auditTrail;
    },
    get writer() {
      return tableDeps().writer;
    },
    clock: { now: () => new Date() },
    ids: { next: () => ulid() },
    profile: getProfile(cfg.PROFILE_ID),
    organisation: { departments: cfg.DEPARTMENTS_JSON },
  };
  return built;
}
