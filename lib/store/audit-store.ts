import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditTrailReader, EntityTrail, Page, PageRequest } from '#lib/app/ports.js';
import type { AuditEvent, EntityOf, EntityType } from '#lib/domain/audit.js';
import { translateAwsError } from './errors.js';
import { keys, lists } from './keys.js';
import { queryPage, stripKeys } from './table.js';

/** Items in the first page of an entity's trail: its item and the first events (a page of the trail, about 100 KB at most). */
const firstPageItems = 100;

/** The audit trail of one entity, from the entity's own partition (with the entity's item); and each day's events, from their index. */
export class DynamoAuditTrail implements AuditTrailReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  trail<T extends EntityType>(entityType: T, entityId: string): EntityTrail<T> {
    const range = lists.entityAndTrail(entityType, entityId);
    const entityKey = keys.entity(entityType, entityId).sk;
    // Backwards where the item's key sorts after the events, so it is the first page's first item either way.
    const read = (start?: Record<string, unknown>, limit?: number) =>
      this.doc
        .send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': range.partition, ':from': range.skBetween[0], ':to': range.skBetween[1] },
            ConsistentRead: true,
            ScanIndexForward: !range.entityLast,
            ExclusiveStartKey: start,
            Limit: limit,
          }),
        )
        .catch(translateAwsError);
    let first: ReturnType<typeof read> | undefined;
    // The first page decides who may see the entity: held small, a refused request reads little of a long trail.
    const firstPage = () => (first ??= read(undefined, firstPageItems));
    return {
      entity: async () => {
        const [item] = (await firstPage()).Items ?? [];
        return item?.sk === entityKey ? stripKeys<EntityOf<T>>(item) : undefined;
      },
      events: async () => {
        const items: Record<string, unknown>[] = [];
        let out = await firstPage();
        items.push(...(out.Items ?? []));
        while (out.LastEvaluatedKey) {
          out = await read(out.LastEvaluatedKey);
          items.push(...(out.Items ?? []));
        }
        // In key order (by version), as a Query of the events alone returns them.
        if (range.entityLast) items.reverse();
        const events: AuditEvent[] = [];
        const misfiled: string[] = [];
        for (const item of items) {
          if (typeof item.sk !== 'string' || !item.sk.startsWith(keys.auditEventPrefix)) continue; // the entity, a person's period
          const event = stripKeys<AuditEvent>(item);
          // The sort key names the event it holds: contents moved between keys are found here.
          if (!keys.holdsAuditEvent(item.sk, entityType, entityId, event)) misfiled.push(event.eventId);
          events.push(event);
        }
        return { events, misfiled };
      },
    };
  }

  list(entityType: EntityType, entityId: string, page: PageRequest): Promise<Page<AuditEvent>> {
    return queryPage<AuditEvent>(this.doc, this.tableName, lists.auditTrail(entityType, entityId), page, { consistent: true });
  }

  ofDay(date: string, page: PageRequest): Promise<Page<AuditEvent>> {
    return queryPage<AuditEvent>(this.doc, this.tableName, lists.trailOfDay(date), page);
  }
}
