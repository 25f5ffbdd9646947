import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditTrailReader, Page, PageRequest } from '#lib/app/ports.js';
import type { AuditEvent, EntityType } from '#lib/domain/audit.js';
import { lists } from './keys.js';
import { getEntity, queryPage } from './table.js';

/** The audit trail of one entity, oldest first, from the entity's own partition. */
export class DynamoAuditTrail implements AuditTrailReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  list(entityType: EntityType, entityId: string, page: PageRequest): Promise<Page<AuditEvent>> {
    return queryPage<AuditEvent>(this.doc, this.tableName, lists.auditTrail(entityType, entityId), page);
  }

  async head(entityType: EntityType, entityId: string): Promise<{ trailHash: string | null } | undefined> {
    const item = await getEntity<{ trailHash?: string }>(this.doc, this.tableName, entityType, entityId);
    return item ? { trailHash: item.trailHash ?? null } : undefined;
  }
}
