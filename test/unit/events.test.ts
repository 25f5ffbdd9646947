import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundEvent } from '#lib/app/ports.js';
import { EventBridgePublisher } from '#lib/jobs/event-bus.js';
import { LogPublisher } from '#lib/jobs/events.js';

const events = (n: number): OutboundEvent[] =>
  Array.from({ length: n }, (_, i) => ({ type: i % 2 ? 'ActionOverdue' : 'TaskCreated', detail: { n: i } }));
const eb = mockClient(EventBridgeClient);

afterEach(() => {
  eb.reset();
});

/** The `detail.n` of each entry of each PutEvents call. */
const sent = () =>
  eb
    .commandCalls(PutEventsCommand)
    .map((c) => (c.args[0].input.Entries ?? []).map((e) => (JSON.parse(e.Detail as string) as { n: number }).n));

describe('EventBridgePublisher (faults injected with aws-sdk-client-mock: no EventBridge emulator)', () => {
  it('puts 23 events in batches of 10 on the bus, as kansa.<type> from source kansa', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const r = await new EventBridgePublisher(new EventBridgeClient({ region: 'ap-northeast-1' }), 'kansa-events').publish(events(23));
    expect(r).toEqual({ published: 23, failed: 0 });
    expect(sent().map((b) => b.length)).toEqual([10, 10, 3]);
    const first = eb.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[1];
    expect(first).toEqual({ EventBusName: 'kansa-events', Source: 'kansa', DetailType: 'kansa.ActionOverdue', Detail: '{"n":1}' });
  });

  it('sends the failed entries once more, then reports those that failed again without throwing', async () => {
    eb.on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure' }, { ErrorCode: 'ThrottlingException' }],
      })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'b' }, { ErrorCode: 'InternalFailure' }] });
    const r = await new EventBridgePublisher(new EventBridgeClient({ region: 'ap-northeast-1' }), 'bus').publish(events(3));
    expect(sent()).toEqual([
      [0, 1, 2],
      [1, 2],
    ]);
    expect(r).toEqual({ published: 2, failed: 1 });
  });

  it('a PutEvents that throws twice counts its batch as failed; the next batch still goes', async () => {
    eb.on(PutEventsCommand)
      .rejectsOnce(new Error('network down'))
      .rejectsOnce(new Error('network down'))
      .resolves({ FailedEntryCount: 0, Entries: [] });
    const r = await new EventBridgePublisher(new EventBridgeClient({ region: 'ap-northeast-1' }), 'bus').publish(events(12));
    expect(r).toEqual({ published: 2, failed: 10 });
    expect(sent().map((b) => b.length)).toEqual([10, 10, 2]);
  });
});

describe('LogPublisher', () => {
  it('prints one JSON line per event, shaped as the PutEvents entry', async () => {
    const lines: string[] = [];
    const r = await new LogPublisher((l) => lines.push(l)).publish(events(2));
    expect(r).toEqual({ published: 2, failed: 0 });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { source: 'kansa', 'detail-type': 'kansa.TaskCreated', detail: { n: 0 } },
      { source: 'kansa', 'detail-type': 'kansa.ActionOverdue', detail: { n: 1 } },
    ]);
  });
});
