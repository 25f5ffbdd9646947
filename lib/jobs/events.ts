import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Delivery, EventPublisher, OutboundEvent } from '#lib/app/ports.js';

/** `source` of every event kansa puts on the bus. */
export const eventSource = 'kansa';

/** The EventBridge detail-type of an outbound event: `kansa.TaskCreated`, `kansa.ActionOverdue`. */
export const detailType = (type: OutboundEvent['type']): string => `${eventSource}.${type}`;

/** The most entries one PutEvents takes. */
export const putEventsBatchSize = 10;

export type { Delivery, EventPublisher } from '#lib/app/ports.js';

/** The entry PutEvents gets for an outbound event. */
export function toEntry(event: OutboundEvent, busName: string): PutEventsRequestEntry {
  return { EventBusName: busName, Source: eventSource, DetailType: detailType(event.type), Detail: JSON.stringify(event.detail) };
}

/**
 * Local: each event is printed as one JSON line, shaped as the entry PutEvents would
 * get (source, detail-type, detail), so the output can be piped to whatever stands in
 * for the bus.
 */
export class LogPublisher implements EventPublisher {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  publish(events: readonly OutboundEvent[]): Promise<Delivery> {
    for (const e of events) this.write(JSON.stringify({ source: eventSource, 'detail-type': detailType(e.type), detail: e.detail }));
    return Promise.resolve({ published: events.length, failed: 0 });
  }
}

/** Tests: the events are kept in `published`, in order, and nothing is printed. */
export class MemoryPublisher implements EventPublisher {
  constructor(readonly published: OutboundEvent[] = []) {}

  publish(events: readonly OutboundEvent[]): Promise<Delivery> {
    this.published.push(...events);
    return Promise.resolve({ published: events.length, failed: 0 });
  }
}
