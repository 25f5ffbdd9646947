import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Change, ChangeWriter, Precheck } from '#lib/app/ports.js';
import { Conflict, NotFound, StaleVersion, Unavailable } from '#lib/domain/errors.js';
import { translateAwsError } from './errors.js';
import { keys } from './keys.js';
import { type FollowUpAction, pendingStatuses } from '#lib/domain/action.js';
import type { Finding } from '#lib/domain/finding.js';
import type { Plan } from '#lib/domain/plan.js';

/** Keys and index attributes of an entity, by its type. */
function entityItem(c: Change): Record<string, unknown> {
  const base = { ...keys.entity(c.entityType, c.entityId), type: c.entityType };
  switch (c.entityType) {
    case 'plan':
      return { ...base, ...keys.planIndexes(c.entity as unknown as Plan), ...c.entity };
    case 'finding':
      return { ...base, ...keys.findingIndexes(c.entity as unknown as Finding), ...c.entity };
    case 'action': {
      const a = c.entity as unknown as FollowUpAction;
      const phase = pendingStatuses.includes(a.status) ? 'OPEN' : 'DONE';
      return { ...base, ...keys.actionIndexes({ ...a, phase }), ...c.entity };
    }
  }
}

/**
 * The only writer of the table. Each commit is one TransactWriteItems: every entity
 * put conditioned on its expected version (or on not existing yet), and every audit
 * event put with `attribute_not_exists`, so a change never lands without its event.
 */
export class DynamoChangeWriter implements ChangeWriter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async commit(changes: Change[], checks: Precheck[] = []): Promise<void> {
    const items = [
      ...changes.flatMap((c) => this.puts(c)),
      ...checks.map((k) => ({
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.entity(k.entityType, k.entityId),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': k.version },
        },
      })),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (err instanceof TransactionCanceledException) throw explainCancellation(err, changes);
      translateAwsError(err);
    }
  }

  private puts(c: Change) {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: entityItem(c),
          ...(c.expectedVersion === null
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': c.expectedVersion },
              }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.auditEvent(c.entityType, c.entityId, c.event.eventId), type: 'auditEvent', ...c.event },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }
}

/** Which condition failed, as a domain error: 404 gone, 412 stale, 409 duplicate or concurrent. */
function explainCancellation(err: TransactionCanceledException, changes: Change[]): Error {
  const reasons = err.CancellationReasons ?? [];
  for (const [i, c] of changes.entries()) {
    const reason = reasons[i * 2];
    if (reason?.Code === 'ConditionalCheckFailed') {
      if (c.expectedVersion === null) return new Conflict('同じIDのデータがすでに存在します。', 'duplicate');
      if (!reason.Item) return new NotFound('対象のデータは見つかりません。', 'not-found');
      const current = unmarshall(reason.Item) as { version?: number };
      return new StaleVersion(current.version);
    }
  }
  if (reasons.slice(changes.length * 2).some((r) => r.Code === 'ConditionalCheckFailed')) {
    return new Conflict('関連するデータが同時に更新されました。最新の内容を読み込み直してから操作してください。', 'related-changed');
  }
  if (reasons.some((r) => r.Code === 'TransactionConflict')) {
    return new Conflict('同じデータが同時に更新されました。最新の内容を読み込み直してから操作してください。', 'concurrent-update');
  }
  if (reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) return new Unavailable();
  return err;
}
