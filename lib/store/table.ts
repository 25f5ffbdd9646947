import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '#lib/app/ports.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { translateAwsError } from './errors.js';
import type { ListQuery } from './keys.js';
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

/** One Query per page, with a limit and an opaque cursor. Never a Scan. */
export async function queryPage<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  list: ListQuery,
  page: PageRequest,
  opts: { newestFirst?: boolean } = {},
): Promise<Page<T>> {
  const index = tableDesign.indexes.find((i) => i.indexName === list.index);
  const pkName = index ? index.partitionKey : tableDesign.partitionKey;
  const input: QueryCommandInput = {
    TableName: tableName,
    ...(index ? { IndexName: index.indexName } : {}),
    KeyConditionExpression: list.skPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
    ExpressionAttributeNames: { '#pk': pkName, ...(list.skPrefix ? { '#sk': tableDesign.sortKey } : {}) },
    ExpressionAttributeValues: { ':pk': list.partition, ...(list.skPrefix ? { ':prefix': list.skPrefix } : {}) },
    Limit: page.limit,
    ScanIndexForward: !opts.newestFirst,
    ExclusiveStartKey: decodeCursor(page.cursor, list),
  };
  const out = await doc.send(new QueryCommand(input)).catch(translateAwsError);
  return {
    items: (out.Items ?? []).map((i) => stripKeys<T>(i)),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
}
