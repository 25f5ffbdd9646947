import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AlreadyClaimed, type Claim, type OutboundEvent } from '#lib/app/ports.js';
import { change as changeOf } from '#lib/app/changes.js';
import { createTaskChange, dutyActor } from '#lib/app/task-changes.js';
import { Conflict, StaleVersion } from '#lib/domain/errors.js';
import { closeTask } from '#lib/domain/task.js';
import { DynamoChangeWriter } from '#lib/store/change-writer.js';
import { keys } from '#lib/store/keys.js';
import { FixedClock } from './fakes.js';

/**
 * The claim's cancellation path of DynamoChangeWriter, with DynamoDB's answer made up
 * by aws-sdk-client-mock (the success path and the real ALL_OLD answer are in
 * test/integration/outbox.test.ts against DynamoDB Local): a claim that exists cancels
 * the transaction, and the cancellation reason's `Item` (ReturnValuesOnConditionCheckFailure
 * ALL_OLD) holds the stored claim, whose events AlreadyClaimed carries.
 */

const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'ap-northeast-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const ddb = mockClient(doc);
const clock = new FixedClock('2027-04-02T00:00:00Z');
const writer = new DynamoChangeWriter(doc, 'kansa', clock);

afterEach(() => {
  ddb.reset();
  clock.slept.length = 0;
});

const stored: OutboundEvent[] = [
  { type: 'ActionOverdue', detail: { actionId: 'A1', overdueSince: '2027-04-02', taskIds: ['T1', 'T2'] } },
  { type: 'TaskCreated', detail: { taskId: 'T1', assignee: { role: 'sectionManager', department: 'citizens' } } },
];
const claim: Claim = { duty: 'overdue-actions', period: '2027-04-02', subject: 'A1' };

function cancelled(reasons: { Code: string; Item?: Record<string, unknown> }[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons.map((r) => ({
      Code: r.Code,
      ...(r.Item ? { Item: marshall(r.Item, { removeUndefinedValues: true }) } : {}),
    })),
  });
}

describe('DynamoChangeWriter: a claim that exists (ALL_OLD)', () => {
  it('puts the claim with its events, conditioned on not existing and asking for ALL_OLD', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await writer.commit([], [], [{ ...claim, events: stored }]);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toEqual([
      {
        Put: {
          TableName: 'kansa',
          Item: { ...keys.claim(claim.duty, claim.period, claim.subject), type: 'claim', ...claim, events: stored, entities: [] },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
  });

  it('throws AlreadyClaimed with the events of the stored claim, read from the cancellation reason', async () => {
    const old = {
      ...keys.claim(claim.duty, claim.period, claim.subject),
      type: 'claim',
      ...claim,
      events: stored,
      entities: ['action#A1'],
    };
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: old }]));
    const err = await writer
      .commit([], [], [{ ...claim, events: [{ type: 'TaskCreated', detail: { taskId: 'NEW' } }] }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyClaimed);
    expect((err as AlreadyClaimed).claim).toMatchObject(claim);
    expect((err as AlreadyClaimed).events).toEqual(stored);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('the claim wins over another failed condition in the same transaction, and finds its own reason among several claims', async () => {
    const second: Claim = { ...claim, subject: 'A2' };
    const old = { ...keys.claim(second.duty, second.period, second.subject), type: 'claim', ...second, events: stored.slice(1) };
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: old }]));
    const err = await writer.commit([], [], [claim, second]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyClaimed);
    expect((err as AlreadyClaimed).claim).toMatchObject({ subject: 'A2' });
    expect((err as AlreadyClaimed).events).toEqual(stored.slice(1));
  });

  it.each([
    ['no Item in the reason', undefined],
    ['a claim stored before the outbox', { pk: 'CLAIM#x', sk: 'A1', type: 'claim', duty: 'overdue-actions' }],
    ['malformed events', { pk: 'CLAIM#x', sk: 'A1', events: [{ type: 'Unknown', detail: {} }, { type: 'TaskCreated' }, 'x'] }],
  ])('%s: AlreadyClaimed with no events', async (_name, item) => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', ...(item ? { Item: item } : {}) }]));
    const err = await writer.commit([], [], [claim]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyClaimed);
    expect((err as AlreadyClaimed).events).toEqual([]);
  });

  it('a failed entity condition without a failed claim is still the entity’s error (412 with the current version)', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: 7 } }, { Code: 'None' }, { Code: 'None' }]));
    const ids = { n: 0, next: () => `ID${++ids.n}` };
    const actor = dutyActor('overdue-actions');
    const { task } = createTaskChange({ ids }, actor, '2027-04-02T00:00:00Z', {
      kind: 'actionReminder',
      title: 'リマインダー',
      duty: 'overdue-actions',
      period: '2027-04-01',
      source: '第28条',
      assignee: { role: 'sectionManager', department: 'citizens' },
      subject: { type: 'action', id: 'A1' },
      dueDate: '2027-04-08',
    });
    const change = changeOf(
      { ids },
      actor,
      '2027-04-02T00:00:00Z',
      'task',
      task.taskId,
      'task.closed',
      task,
      closeTask(task, actor.sub, '2027-04-02T00:00:00Z'),
    );
    const err = await writer.commit([change], [], [claim]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleVersion);
  });
});

describe('DynamoChangeWriter: more than DynamoDB takes in one transaction', () => {
  const claims = (n: number) => Array.from({ length: n }, (_, k) => ({ ...claim, subject: `A${k}` }));

  it('100 items are sent; 101 are refused before sending, as a 409 saying so in Japanese (DynamoDB would answer a ValidationException: a 500)', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await writer.commit([], [], claims(100));
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    const err = await writer.commit([], [], claims(101)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({ code: 'transaction-too-large' });
    expect((err as Conflict).message).toMatch(/一度に記録できる変更/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe('DynamoChangeWriter: a transaction cancelled only by another in flight', () => {
  it('is tried again after a wait on the clock, and lands', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled([{ Code: 'TransactionConflict' }]))
      .rejectsOnce(cancelled([{ Code: 'TransactionConflict' }]))
      .resolves({});
    await writer.commit([], [], [claim]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect(clock.slept).toHaveLength(2);
  });

  it('gives up after 4 tries: a concurrent update (409)', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'TransactionConflict' }]));
    const err = await writer.commit([], [], [claim]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(4);
    expect(clock.slept).toHaveLength(3);
  });

  it('a failed condition among the reasons is not tried again', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'TransactionConflict' }, { Code: 'ConditionalCheckFailed' }]));
    await expect(writer.commit([], [], [claim, { ...claim, subject: 'A2' }])).rejects.toBeInstanceOf(AlreadyClaimed);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(clock.slept).toEqual([]);
  });
});
