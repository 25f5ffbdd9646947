import { type DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { hashEvent } from '#lib/app/trail-hash.js';
import { type AuditEvent, type EntityType, canonicalJson, entityTypes } from '#lib/domain/audit.js';
import { keys } from '#lib/store/keys.js';
import { stripKeys } from '#lib/store/table.js';

/**
 * The table's own invariants, checked over every item (a test-only Scan): what the
 * single writer (lib/store/change-writer.ts) promises, so a fault, a race or a lost
 * response can be shown to have left no partial write behind.
 *
 * - every entity (plan, finding, action, evidence, disposal) has exactly `version`
 *   change events in its partition, versions 1..version in order; evidence downloads
 *   (`evidence.downloaded`) are extra events carrying the version read at the time;
 * - the events of an entity form one hash chain in stored order (each `hash` is the
 *   SHA-256 of the event, each `prevHash` the hash before it) ending at the entity's
 *   `trailHash`;
 * - every event belongs to an existing entity of the partition it names;
 * - every finding and action has its copy in its plan's partition, equal to it, and
 *   every copy has its entity.
 *
 * Checked over the whole table, or over some partitions only (those a request wrote):
 * then a copy is checked where its entity's partition is among them, which it is
 * whenever the copy was written (the writer puts both in one transaction).
 */
export type Item = Record<string, unknown>;

/** The items of some partitions, read consistently (a Query each). */
export async function readPartitions(doc: DynamoDBDocumentClient, tableName: string, partitions: Iterable<string>): Promise<Item[]> {
  const pages = await Promise.all(
    [...partitions].map(async (pk) => {
      const items: Item[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            ConsistentRead: true,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        items.push(...((out.Items ?? []) as Item[]));
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    }),
  );
  return pages.flat();
}

/** Every item of the table, read consistently, page by page. */
export async function scanTable(doc: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...((out.Items ?? []) as Item[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Download events record an access, not a change: they carry the version that was read. */
export const accessActions: ReadonlySet<string> = new Set(['evidence.downloaded']);

const idField: Record<EntityType, string> = {
  plan: 'planId',
  finding: 'findingId',
  action: 'actionId',
  evidence: 'evidenceId',
  disposal: 'disposalId',
  task: 'taskId',
  inspection: 'inspectionId',
  contractor: 'contractorId',
  contractorCheck: 'checkId',
  incident: 'incidentId',
  staff: 'staffId',
  training: 'trainingId',
  attendance: 'rollId',
};
const isEntityType = (t: unknown): t is EntityType => (entityTypes as readonly unknown[]).includes(t);
const byKey = (a: Item, b: Item) => (String(a.sk) < String(b.sk) ? -1 : String(a.sk) > String(b.sk) ? 1 : 0);

/** The stored event without its keys (table and index keys): what was hashed. */
function eventOf(item: Item): AuditEvent {
  const { pk: _pk, sk: _sk, type: _type, ...event } = item;
  for (const k of Object.keys(event)) if (/^gsi\d+(pk|sk)$/.test(k)) delete event[k];
  return event as unknown as AuditEvent;
}

/**
 * Every broken invariant of `items`, one line each; empty when none. `items` is the
 * whole table, or every item of the partitions in `only`.
 */
export function invariantViolations(items: readonly Item[], only?: ReadonlySet<string>): string[] {
  const inScope = (pk: string) => only === undefined || only.has(pk);
  const violations: string[] = [];
  const entities = new Map<string, Item>();
  const events = new Map<string, Item[]>();
  const children: Item[] = [];
  const claims: Item[] = [];
  const idempotencyKeys: Item[] = [];
  const notes: Item[] = [];
  const periods: Item[] = [];
  for (const item of items) {
    const pk = String(item.pk);
    if (item.type === 'auditEvent') events.set(pk, [...(events.get(pk) ?? []), item]);
    else if (item.type === 'planChild') children.push(item);
    // A unit of duty work done (lib/app/duty-work.ts): it names the entities written with it.
    else if (item.type === 'claim') claims.push(item);
    // An Idempotency-Key (lib/app/idempotency.ts): it names the entity created with it.
    else if (item.type === 'idempotency') idempotencyKeys.push(item);
    // An action's note (経過), beside it in its partition.
    else if (item.type === 'note') notes.push(item);
    // What held for a person before a change from a later date, beside them and in the 課's register.
    else if (item.type === 'period') periods.push(item);
    else if (isEntityType(item.type)) entities.set(pk, item);
    else violations.push(`${pk} ${String(item.sk)}: unknown item type ${String(item.type)}`);
  }

  for (const [pk, entity] of entities) {
    const type = entity.type as EntityType;
    const id = String(entity[idField[type]]);
    if (pk !== keys.entityPartition(type, id) || entity.sk !== keys.entity(type, id).sk)
      violations.push(`${pk}: ${type} ${id} stored under ${pk} ${String(entity.sk)}`);
    const version = entity.version as number;
    const trail = [...(events.get(pk) ?? [])].sort(byKey).map(eventOf);
    if (trail.length === 0) {
      violations.push(`${pk}: ${type} at version ${version} has no audit event`);
      continue;
    }
    // Change events: versions 1..version, once each, in order.
    const changes = trail.filter((e) => !accessActions.has(e.action));
    const versions = changes.map((e) => e.version);
    const wanted = Array.from({ length: version }, (_, i) => i + 1);
    if (canonicalJson(versions) !== canonicalJson(wanted))
      violations.push(`${pk}: ${type} at version ${version} has change events of versions [${versions.join(', ')}]`);
    // Accesses carry the version current when they happened.
    let current = 0;
    for (const e of trail) {
      if (!accessActions.has(e.action)) current = e.version;
      else if (e.version !== current)
        violations.push(`${pk}: ${e.action} ${e.eventId} records version ${e.version}, the entity was at ${current}`);
    }
    // One hash chain, in stored order, ending at the entity's head.
    let prev: string | null = null;
    for (const e of trail) {
      const { hash, ...rest } = e;
      if (hashEvent(rest) !== hash) violations.push(`${pk}: event ${e.eventId} does not match its hash`);
      if (e.prevHash !== prev)
        violations.push(`${pk}: event ${e.eventId} links to ${String(e.prevHash)}, the event before it is ${String(prev)}`);
      if (e.entityType !== type || e.entityId !== id) violations.push(`${pk}: event ${e.eventId} names ${e.entityType} ${e.entityId}`);
      prev = hash;
    }
    if (entity.trailHash !== prev)
      violations.push(`${pk}: trailHash ${String(entity.trailHash)} is not the last event's hash ${String(prev)}`);
  }

  for (const [pk, trail] of events) {
    if (!entities.has(pk)) violations.push(`${pk}: ${trail.length} audit event(s) without an entity`);
  }

  // A claim lands with its work: every entity it names exists (checked where in scope).
  for (const claim of claims) {
    for (const ref of (claim.entities as string[] | undefined) ?? []) {
      const [type, id] = ref.split('#') as [EntityType, string];
      const pk = keys.entityPartition(type, id);
      if (inScope(pk) && !entities.has(pk))
        violations.push(`${String(claim.pk)} ${String(claim.sk)}: claim names ${ref}, which does not exist`);
    }
  }

  // A note lands with its change: the action exists and has the event of the note's version, with the note as its reason.
  for (const note of notes) {
    const pk = String(note.pk);
    if (!inScope(pk)) continue;
    const event = (events.get(pk) ?? []).map(eventOf).find((e) => e.version === note.version && !accessActions.has(e.action));
    if (!entities.has(pk)) violations.push(`${pk} ${String(note.sk)}: a note without its entity`);
    else if (!event || event.reason !== note.note)
      violations.push(`${pk} ${String(note.sk)}: a note without the event of its version ${String(note.version)}`);
  }

  // A period lands with the change that closed it: the person exists, in its 課's register, their attributes holding after it.
  for (const period of periods) {
    const pk = String(period.pk);
    if (!inScope(pk)) continue;
    const person = entities.get(pk);
    const index = keys.staffPeriodIndexes(period as unknown as { staffId: string; department: string; validFrom: string });
    if (!person || person.department !== period.department) violations.push(`${pk} ${String(period.sk)}: a period without its person`);
    else if (String(person.since) <= String(period.validTo))
      violations.push(`${pk} ${String(period.sk)}: a period overlapping the current attributes`);
    if (period.gsi1pk !== index.gsi1pk || period.gsi1sk !== index.gsi1sk)
      violations.push(`${pk} ${String(period.sk)}: a period outside its 課's register`);
  }

  // An Idempotency-Key lands with its create: the entity exists, and began as the snapshot.
  for (const key of idempotencyKeys) {
    const pk = keys.entityPartition(key.entityType as EntityType, String(key.entityId));
    if (!inScope(pk)) continue;
    if (!entities.has(pk))
      violations.push(`${String(key.pk)}: Idempotency-Key names ${String(key.entityType)} ${String(key.entityId)}, which does not exist`);
    else if ((key.snapshot as { version?: unknown } | undefined)?.version !== 1)
      violations.push(`${String(key.pk)}: Idempotency-Key snapshot is not the created version`);
  }

  // Plan children: a copy of each finding and action in its plan's partition.
  const copies = new Set<string>();
  for (const child of children) {
    const m = /^CHILD#(FINDING|ACTION)#(.+)$/.exec(String(child.sk));
    if (!m) {
      violations.push(`${String(child.pk)} ${String(child.sk)}: not a plan child key`);
      continue;
    }
    const type = (m[1] as string).toLowerCase() as 'finding' | 'action';
    const entityPk = keys.entityPartition(type, m[2] as string);
    copies.add(entityPk);
    if (!inScope(entityPk)) continue;
    const entity = entities.get(entityPk);
    if (!entity) {
      violations.push(`${String(child.pk)} ${String(child.sk)}: copy of a ${type} that does not exist`);
      continue;
    }
    if (child.pk !== keys.entityPartition('plan', String(entity.planId)))
      violations.push(`${String(child.sk)}: copy kept under ${String(child.pk)}, its plan is ${String(entity.planId)}`);
    if (canonicalJson(stripKeys(child)) !== canonicalJson(stripKeys(entity))) {
      violations.push(
        `${String(child.pk)} ${String(child.sk)}: copy at version ${String(child.version)} differs from the ${type} at version ${String(entity.version)}`,
      );
    }
  }
  for (const [pk, entity] of entities) {
    if (
      (entity.type === 'finding' || entity.type === 'action') &&
      inScope(keys.entityPartition('plan', String(entity.planId))) &&
      !copies.has(pk)
    )
      violations.push(`${pk}: ${String(entity.type)} has no copy in its plan's partition`);
  }
  return violations;
}

/** Scan and check in one: the violations of the whole table now. */
export async function tableViolations(doc: DynamoDBDocumentClient, tableName: string): Promise<string[]> {
  return invariantViolations(await scanTable(doc, tableName));
}
