import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyReader, IdempotencyRecord } from '#lib/app/ports.js';
import { keys } from './keys.js';
import { getItem } from './table.js';

/** The stored record as the use cases see it (keys and bookkeeping left out). */
export function idempotencyRecordOf(item: Record<string, unknown>): IdempotencyRecord {
  const { route, fingerprint, entityType, entityId, snapshot, expiresAt } = item as unknown as IdempotencyRecord;
  return { route, fingerprint, entityType, entityId, snapshot, expiresAt };
}

/** Idempotency-Key records (`IDEMPOTENCY#<scope>`), written only by the change writer with their create. */
export class DynamoIdempotencyStore implements IdempotencyReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(scope: string, nowEpochSeconds: number): Promise<IdempotencyRecord | undefined> {
    const item = await getItem(this.doc, this.tableName, keys.idempotency(scope));
    // TTL removes expired items within days, not at once: until then they count as gone.
    if (!item || (item.expiresAt as number) <= nowEpochSeconds) return undefined;
    return idempotencyRecordOf(item);
  }
}
