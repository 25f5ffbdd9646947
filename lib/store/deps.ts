import { monotonicFactory } from 'ulid';
import type { Deps } from '#lib/app/ports.js';
import { config } from '#lib/config.js';
import { getProfile } from '#lib/profiles/index.js';
import { DynamoAuditTrail } from './audit-store.js';
import { DynamoChangeWriter } from './change-writer.js';
import { createDocumentClient } from './dynamo.js';
import { DynamoPlanStore } from './plan-store.js';

let built: Deps | undefined;

/** The real dependencies, built once per cold start from the environment. */
export function deps(): Deps {
  if (built) return built;
  const cfg = config();
  const doc = createDocumentClient({ region: cfg.AWS_REGION, endpoint: cfg.DYNAMODB_ENDPOINT });
  const ulid = monotonicFactory();
  built = {
    plans: new DynamoPlanStore(doc, cfg.TABLE_NAME),
    auditTrail: new DynamoAuditTrail(doc, cfg.TABLE_NAME),
    writer: new DynamoChangeWriter(doc, cfg.TABLE_NAME),
    clock: { now: () => new Date() },
    ids: { next: () => ulid() },
    profile: getProfile(cfg.PROFILE_ID),
  };
  return built;
}
