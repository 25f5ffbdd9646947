import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EntityOf, EntityType } from '#lib/domain/audit.js';
import type { Page, PageRequest } from '#lib/app/ports.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { translateAwsError } from './errors.js';
import { type Key, type ListQuery, keys } from './keys.js';
import { tableDesign } from './table-design.js';

const keyAttributes = new Set<string>([
  tableDesign.partitionKey,
  tableDesign.sortKey,
  'type',
  ...tableDesign.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
]);

/** An item without its key and bookkeeping attributes: the stored entity. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !keyAttributes.has(k))) as T;
}

function keyCondition(list: ListQuery, pkName: string, skName: string) {
  const names = { '#pk': pkName, '#sk': skName };
  if (list.skBetween) {
    return {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':pk': list.partition, ':from': list.skBetween[0], ':to': list.skBetween[1] },
    };
  }
  if (list.skPrefix) {
    return {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':pk': list.partition, ':prefix': list.skPrefix },
    };
  }
  return {
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': pkName },
    ExpressionAttributeValues: { ':pk': list.partition },
  };
}

/** One Query per page, with a limit and an opaque cursor. Never a Scan. */
export async function queryPage<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  list: ListQuery,
  page: PageRequest,
  opts: { newestFirst?: boolean; consistent?: boolean } = {},
): Promise<Page<T>> {
  const index = tableDesign.indexes.find((i) => i.indexName === list.index);
  const pkName = index ? index.partitionKey : tableDesign.partitionKey;
  const key = keyCondition(list, pkName, index ? index.sortKey : tableDesign.sortKey);
  const input: QueryCommandInput = {
    TableName: tableName,
    ...(index ? { IndexName: index.indexName } : {}),
    ...key,
    ...(list.dueBefore
      ? {
          FilterExpression: '#due < :dueBefore',
          ExpressionAttributeNames: { ...key.ExpressionAttributeNames, '#due': 'dueDate' },
          ExpressionAttributeValues: { ...key.ExpressionAttributeValues, ':dueBefore': list.dueBefore },
        }
      : {}),
    Limit: page.limit,
    ScanIndexForward: !opts.newestFirst,
    ...(opts.consistent ? { ConsistentRead: true } : {}),
    ExclusiveStartKey: decodeCursor(page.cursor, list),
  };
  const out = await doc.send(new QueryCommand(input)).catch(translateAwsError);
  return {
    items: (out.Items ?? []).map((i) => stripKeys<T>(i)),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
}

/** One strongly consistent GetItem by key: the item as stored, keys included. */
export async function getItem(doc: DynamoDBDocumentClient, tableName: string, key: Key): Promise<Record<string, unknown> | undefined> {
  const out = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })).catch(translateAwsError);
  return out.Item;
}

/** One strongly consistent GetItem of an entity by id. */
export async function getEntity<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  entityType: EntityType,
  id: string,
): Promise<T | undefined> {
  const item = await getItem(doc, tableName, keys.entity(entityType, id));
  return item ? stripKeys<T>(item) : undefined;
}

/**
 * The base of the reader of one entity type: `get` by id ({@link getEntity}) and `query`,
 * one page of a list of `lists` (lib/store/keys.ts) by {@link queryPage}. A reader is its
 * lists, each one line:
 *
 *     export class DynamoPlanStore extends entityStore('plan') implements PlanReader {
 *       list(q: …) {
 *         return this.query(lists.plansByFiscalYear(q.fiscalYear, q.status), q, { newestFirst: true });
 *       }
 *     }
 */
export function entityStore<T extends EntityType>(entityType: T) {
  return class {
    constructor(
      protected readonly doc: DynamoDBDocumentClient,
      protected readonly tableName: string,
    ) {}

    get(id: string): Promise<EntityOf<T> | undefined> {
      return getEntity<EntityOf<T>>(this.doc, this.tableName, entityType, id);
    }

    /** One page of a list; items of another type than the entity's (an action's notes) name it. */
    protected query<I = EntityOf<T>>(
      list: ListQuery,
      page: PageRequest,
      opts?: { newestFirst?: boolean; consistent?: boolean },
    ): Promise<Page<I>> {
      return queryPage<I>(this.doc, this.tableName, list, page, opts);
    }
  };
}
