import { InvalidInput } from '#lib/domain/errors.js';
import type { ListQuery } from './keys.js';
import { tableDesign } from './table-design.js';

/**
 * Opaque list cursors: the page's LastEvaluatedKey, base64url JSON. A cursor is
 * checked against the query it continues, so a forged one is a 400, never a 500.
 */
const keyNames = new Set<string>([
  tableDesign.partitionKey,
  tableDesign.sortKey,
  ...tableDesign.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
]);

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

const invalid = () =>
  new InvalidInput(
    'cursor が正しくありません。一覧の最初から取得し直してください。',
    [{ path: 'cursor', message: '不正なカーソルです。' }],
    'invalid-cursor',
  );

export function decodeCursor(cursor: string | undefined, query: ListQuery): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed);
  if (entries.length === 0 || entries.some(([k, v]) => !keyNames.has(k) || typeof v !== 'string' || v.length === 0 || v.length > 1024))
    throw invalid();
  const key = Object.fromEntries(entries) as Record<string, string>;
  const index = tableDesign.indexes.find((i) => i.indexName === query.index);
  const pkName = index ? index.partitionKey : tableDesign.partitionKey;
  const skName = index ? index.sortKey : tableDesign.sortKey;
  const required = index ? [pkName, skName, tableDesign.partitionKey, tableDesign.sortKey] : [pkName, skName];
  if (key[pkName] !== query.partition || required.some((k) => key[k] === undefined) || entries.length !== new Set(required).size)
    throw invalid();
  const sk = key[skName] as string;
  if (query.skPrefix && !sk.startsWith(query.skPrefix)) throw invalid();
  if (query.skBetween && (sk < query.skBetween[0] || sk > query.skBetween[1])) throw invalid();
  return key;
}
