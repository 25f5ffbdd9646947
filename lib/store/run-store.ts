import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DutyCounts, RunLedger, RunRecord } from '#lib/jobs/runner.js';
import type { DutyId } from '#lib/profiles/types.js';
import { translateAwsError } from './errors.js';
import { keys } from './keys.js';
import { getItem, stripKeys } from './table.js';

/**
 * Run records of the periodic duties, one item per (duty, period). They are the
 * engine's bookkeeping, not entities users change: no audit event (each unit of work
 * the run commits has its own), written with conditional UpdateItem.
 */
export class DynamoRunLedger implements RunLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(duty: DutyId, period: string): Promise<RunRecord | undefined> {
    const item = await getItem(this.doc, this.tableName, keys.dutyRun(duty, period));
    return item ? stripKeys<RunRecord>(item) : undefined;
  }

  async start(duty: DutyId, period: string, run: { instant: string; at: string }): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.dutyRun(duty, period),
          UpdateExpression:
            'SET #type = :type, #duty = :duty, #period = :period, #status = :running, #startedAt = if_not_exists(#startedAt, :at), #instant = if_not_exists(#instant, :instant) ADD #attempts :one',
          ConditionExpression: 'attribute_not_exists(#status) OR #status <> :done',
          ExpressionAttributeNames: {
            '#type': 'type',
            '#duty': 'duty',
            '#period': 'period',
            '#status': 'status',
            '#startedAt': 'startedAt',
            '#instant': 'instant',
            '#attempts': 'attempts',
          },
          ExpressionAttributeValues: {
            ':type': 'dutyRun',
            ':duty': duty,
            ':period': period,
            ':running': 'running',
            ':done': 'done',
            ':at': run.at,
            ':instant': run.instant,
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      return translateAwsError(err);
    }
  }

  async finish(duty: DutyId, period: string, counts: DutyCounts, at: string): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.dutyRun(duty, period),
          UpdateExpression: 'SET #status = :done, #finishedAt = :at, #lastRun = :counts ADD #created :created',
          ConditionExpression: 'attribute_exists(#status)',
          ExpressionAttributeNames: { '#status': 'status', '#finishedAt': 'finishedAt', '#lastRun': 'lastRun', '#created': 'created' },
          ExpressionAttributeValues: { ':done': 'done', ':at': at, ':counts': counts, ':created': counts.created },
        }),
      )
      .catch(translateAwsError);
  }
}
