import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditTrailReader, Page, PageRequest, StoredTrail } from '#lib/app/ports.js';
import type { AuditEvent, EntityType } from '#lib/domain/audit.js';
import { translateAwsError } from './errors.js';
import { keys, lists } from './keys.js';
import { getEntity, queryPage, stripKeys } from './table.js';

/** The audit trail of one entity, from the entity's own partition; and each day's events, from their index. */
export class DynamoAuditTrail implements AuditTrailReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async trail(entityType: EntityType, entityId: string): Promise<StoredTrail> {
    const list = lists.auditTrail(entityType, entityId);
    const events: AuditEvent[] = [];
    const misfiled: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc
        .send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': list.partition, ':prefix': list.skPrefix },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        )
        .catch(translateAwsError);
      for (const item of out.Items ?? []) {
        const event = stripKeys<AuditEvent>(item);
        // The sort key names the event it holds: contents moved between keys are found here.
        if (!keys.holdsAuditEvent(item.sk, entityType, entityId, event)) misfiled.push(event.eventId);
        events.push(event);
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return { events, misfiled };
  }

  list(entityType: EntityType, entityId: string, page: PageRequest): Promise<Page<AuditEvent>> {
    return queryPage<AuditEvent>(this.doc, this.tableName, lists.auditTrail(entityType, entityId), page, { consistent: true });
  }

  ofDay(date: string, page: PageRequest): Promise<Page<AuditEvent>> {
    return queryPage<AuditEvent>(this.doc, this.tableName, lists.trailOfDay(date), page);
  }

  async head(entityType: EntityType, entityId: string): Promise<{ trailHash: string | null } | undefined> {
    const item = await getEntity<{ trailHash?: string }>(this.doc, this.tableName, entityType, entityId);
    return item ? { trailHash: item.trailHash ?? null } : undefined;
  }
}
