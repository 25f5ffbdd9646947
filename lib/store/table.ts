import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EntityType } from '#lib/domain/audit.js';
import type { Page, PageRequest } from '#lib/app/ports.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { translateAwsError } from './errors.js';
import { type ListQuery, keys } from './keys.js';
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

/** One strongly consistent GetItem of an entity by id. */
export async function getEntity<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  entityType: EntityType,
  id: string,
): Promise<T | undefined> {
  const out = await doc
    .send(new GetCommand({ TableName: tableName, Key: keys.entity(entityType, id), ConsistentRead: true }))
    .catch(translateAwsError);
  return out.Item ? stripKeys<T>(out.Item) : undefined;
}
