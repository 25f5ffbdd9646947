import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#lib/domain/audit.js';
import type { StaffPeriod } from '#lib/domain/staff.js';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  AlreadyClaimed,
  AlreadyCreated,
  type Change,
  type ChangeWriter,
  type Claim,
  type Clock,
  type IdempotencyClaim,
  type Precheck,
  maxTransactItems,
} from '#lib/app/ports.js';
import { type RetryPolicy, retrying } from '#lib/app/retry.js';
import { Conflict, NotFound, StaleVersion, Unavailable } from '#lib/domain/errors.js';
import { storedEvents } from './claim-store.js';
import { translateWriteError } from './errors.js';
import { idempotencyRecordOf } from './idempotency-store.js';
import { keys } from './keys.js';

/** An entity's item: its keys, its type, the index attributes of its type (lib/store/keys.ts) and the entity. */
function entityItem(c: Change): Record<string, unknown> {
  return { ...keys.entity(c.entityType, c.entityId), type: c.entityType, ...keys.entityIndexes(c.entityType, c.entity), ...c.entity };
}

/**
 * The entity must still be at the version that was read, and no child may have
 * landed since (childrenVersion, counted by {@link Precheck.bumpChildren}).
 */
function versionCondition(c: Change) {
  const children = (c.entity as { childrenVersion?: number }).childrenVersion;
  return {
    ConditionExpression: `#version = :expected AND ${children === undefined ? 'attribute_not_exists(#children)' : '#children = :children'}`,
    ExpressionAttributeNames: { '#version': 'version', '#children': 'childrenVersion' },
    ExpressionAttributeValues: { ':expected': c.expectedVersion, ...(children === undefined ? {} : { ':children': children }) },
  };
}

/** A transaction cancelled only by another in flight on its items: 4 tries, 10 ms more each time (and up to 40 ms at random). */
const inFlightRetry: RetryPolicy = { attempts: 4, stepMs: 10, jitterMs: 40 };

/**
 * The only writer of the table. Each commit is one TransactWriteItems: every entity
 * put conditioned on its expected version (or on not existing yet), and every audit
 * event put with `attribute_not_exists`, so a change never lands without its event.
 */
export class DynamoChangeWriter implements ChangeWriter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async commit(changes: Change[], checks: Precheck[] = [], claims: Claim[] = [], idempotency?: IdempotencyClaim): Promise<void> {
    const perChange = changes.map((c) => this.puts(c));
    // Where each change's entity put stands in the transaction (its condition is first).
    const entityPositions = perChange.map((_, i) => perChange.slice(0, i).reduce((n, p) => n + p.length, 0));
    const changeItems = perChange.flat();
    const items = [
      ...changeItems,
      ...checks.map((k) =>
        k.bumpChildren
          ? {
              Update: {
                TableName: this.tableName,
                Key: keys.entity(k.entityType, k.entityId),
                UpdateExpression: 'ADD #children :one',
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version', '#children': 'childrenVersion' },
                ExpressionAttributeValues: { ':expected': k.version, ':one': 1 },
              },
            }
          : {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.entity(k.entityType, k.entityId),
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': k.version },
              },
            },
      ),
      // A unit of duty work: its claim must not exist yet (exactly once per duty, period and
      // subject). The claim carries the unit's events (its outbox); when it exists already,
      // ALL_OLD makes the cancellation return the stored item, events included, without a read.
      ...claims.map((k) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.claim(k.duty, k.period, k.subject),
            type: 'claim',
            ...k,
            entities: changes.map((c) => `${c.entityType}#${c.entityId}`),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      })),
      // An Idempotency-Key: the create happens once per key; a key that exists (and has not
      // expired) cancels it and ALL_OLD hands back what the first request created.
      ...(idempotency ? [this.idempotencyPut(changes, idempotency)] : []),
    ];
    // Refused here rather than by DynamoDB, whose ValidationException would reach the caller as a 500.
    if (items.length > maxTransactItems)
      throw new Conflict(
        `一度に記録できる変更の上限（${maxTransactItems}件）を超えるため記録できませんでした（${items.length}件）。対象を分けて操作してください。`,
        'transaction-too-large',
      );
    const claimsFrom = items.length - claims.length - (idempotency ? 1 : 0);
    try {
      // Only another transaction in flight on the same items: nothing was decided, so
      // the same conditions may be tried again (two auditors recording at once).
      await retrying(
        this.clock,
        inFlightRetry,
        (err) => err instanceof TransactionCanceledException && onlyInFlightConflict(err),
        () => this.doc.send(new TransactWriteCommand({ TransactItems: items })),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) translateWriteError(err);
      const keyUsed = idempotency ? err.CancellationReasons?.[items.length - 1] : undefined;
      if (keyUsed?.Code === 'ConditionalCheckFailed' && keyUsed.Item)
        throw new AlreadyCreated(idempotencyRecordOf(unmarshall(keyUsed.Item)));
      // A claim that exists means the unit was done before: say so, whatever else failed with it.
      const at = claims.findIndex((_, i) => err.CancellationReasons?.[claimsFrom + i]?.Code === 'ConditionalCheckFailed');
      const claimed = claims[at];
      if (claimed) {
        const old = err.CancellationReasons?.[claimsFrom + at]?.Item;
        throw new AlreadyClaimed(claimed, storedEvents(old ? unmarshall(old) : undefined));
      }
      throw explainCancellation(err, changes, entityPositions, changeItems.length);
    }
  }

  /** An event without a change (an evidence download): the event, and the entity's chain head moved to it. */
  async appendEvent(event: AuditEvent): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.entity(event.entityType, event.entityId),
                UpdateExpression: 'SET #head = :hash',
                ConditionExpression: event.prevHash === null ? 'attribute_exists(pk) AND attribute_not_exists(#head)' : '#head = :prev',
                ExpressionAttributeNames: { '#head': 'trailHash' },
                ExpressionAttributeValues: { ':hash': event.hash, ...(event.prevHash === null ? {} : { ':prev': event.prevHash }) },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.auditEvent(event.entityType, event.entityId, event),
                  ...keys.auditEventIndexes(event),
                  type: 'auditEvent',
                  ...event,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        // Cancelled because a partition was throttled, not because another write came first.
        const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
        if (
          !codes.includes('ConditionalCheckFailed') &&
          !codes.includes('TransactionConflict') &&
          codes.some((c) => c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded')
        ) {
          throw new Unavailable();
        }
        throw new Conflict('同じデータへの記録が同時に行われました。もう一度お試しください。', 'concurrent-update');
      }
      translateWriteError(err);
    }
  }

  /** The key's record, with a snapshot of the entity the commit creates (its first new entity). */
  private idempotencyPut(changes: Change[], claim: IdempotencyClaim) {
    const created = changes.find((c) => c.expectedVersion === null);
    if (!created) throw new Error('an Idempotency-Key is claimed only by a commit that creates an entity');
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.idempotency(claim.scope),
          type: 'idempotency',
          route: claim.route,
          fingerprint: claim.fingerprint,
          entityType: created.entityType,
          entityId: created.entityId,
          snapshot: created.entity,
          expiresAt: claim.expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
        ExpressionAttributeValues: { ':now': claim.now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
  }

  private puts(c: Change) {
    return [
      ...this.entityPuts(c),
      // A copy in the plan's partition, so the gates can read a plan's children consistently.
      ...(c.entityType === 'finding' || c.entityType === 'action'
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.planChild(c.entity.planId, c.entityType, c.entityId),
                  type: `planChild`,
                  ...c.entity,
                },
              },
            },
          ]
        : []),
      // Appended items (notes): put once beside the entity, never rewritten.
      ...(c.children ?? []).map((child) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.child(c.entityType, c.entityId, child.kind, child.id),
            // A person's period is read in the 課's register (an index), beside the person.
            ...(child.kind === 'period' ? keys.staffPeriodIndexes(child.body as unknown as StaffPeriod) : {}),
            type: child.kind,
            ...child.body,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
    ];
  }

  private entityPuts(c: Change) {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: entityItem(c),
          ...(c.expectedVersion === null ? { ConditionExpression: 'attribute_not_exists(pk)' } : versionCondition(c)),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.auditEvent(c.entityType, c.entityId, c.event),
            ...keys.auditEventIndexes(c.event),
            type: 'auditEvent',
            ...c.event,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }
}

function onlyInFlightConflict(err: TransactionCanceledException): boolean {
  const reasons = err.CancellationReasons ?? [];
  return reasons.some((r) => r.Code === 'TransactionConflict') && !reasons.some((r) => r.Code === 'ConditionalCheckFailed');
}

/** Which condition failed, as a domain error: 404 gone, 412 stale, 409 duplicate or concurrent. */
function explainCancellation(err: TransactionCanceledException, changes: Change[], positions: number[], checksFrom: number): Error {
  const reasons = err.CancellationReasons ?? [];
  for (const [i, c] of changes.entries()) {
    const reason = reasons[positions[i] ?? 0];
    if (reason?.Code === 'ConditionalCheckFailed') {
      if (c.expectedVersion === null) return new Conflict('同じIDのデータがすでに存在します。', 'duplicate');
      if (!reason.Item) return new NotFound('対象のデータは見つかりません。', 'not-found');
      const current = unmarshall(reason.Item) as { version?: number };
      return new StaleVersion(current.version, undefined, { entityType: c.entityType, entityId: c.entityId });
    }
  }
  if (reasons.slice(checksFrom).some((r) => r.Code === 'ConditionalCheckFailed')) {
    return new Conflict('関連するデータが同時に更新されました。最新の内容を読み込み直してから操作してください。', 'related-changed');
  }
  if (reasons.some((r) => r.Code === 'TransactionConflict')) {
    return new Conflict('同じデータが同時に更新されました。最新の内容を読み込み直してから操作してください。', 'concurrent-update');
  }
  if (reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) return new Unavailable();
  return err;
}
