import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Delivery, EventPublisher, OutboundEvent } from '#lib/app/ports.js';
import { logger } from '#lib/logger.js';

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
 * AWS: PutEvents on the bus named by `EVENT_BUS_NAME`, 10 entries per call; the
 * entries PutEvents reports as failed (or a whole call that throws) are sent once more,
 * then logged with their entries and counted as failed.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly OutboundEvent[]): Promise<Delivery> {
    let published = 0;
    let failed = 0;
    for (let i = 0; i < events.length; i += putEventsBatchSize) {
      const batch = events.slice(i, i + putEventsBatchSize).map((e) => toEntry(e, this.busName));
      const firstTry = await this.put(batch);
      const retry = firstTry.failed.length > 0 ? await this.put(firstTry.failed) : { failed: [], errors: [] };
      published += batch.length - retry.failed.length;
      if (retry.failed.length > 0) {
        failed += retry.failed.length;
        logger.error('events could not be put on the bus after a retry', {
          busName: this.busName,
          entries: retry.failed,
          errors: [...firstTry.errors, ...retry.errors],
        });
      }
    }
    return { published, failed };
  }

  /** One PutEvents; the entries that did not make it, with why. */
  private async put(entries: PutEventsRequestEntry[]): Promise<{ failed: PutEventsRequestEntry[]; errors: string[] }> {
    try {
      const out = await this.client.send(new PutEventsCommand({ Entries: entries }));
      if (!out.FailedEntryCount) return { failed: [], errors: [] };
      const results = out.Entries ?? [];
      const failed = entries.filter((_, i) => results[i]?.ErrorCode !== undefined);
      return { failed, errors: results.filter((r) => r.ErrorCode !== undefined).map((r) => `${r.ErrorCode}: ${r.ErrorMessage ?? ''}`) };
    } catch (err) {
      return { failed: entries, errors: [err instanceof Error ? `${err.name}: ${err.message}` : String(err)] };
    }
  }
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

/** The publisher for this environment: the bus when `EVENT_BUS_NAME` is set (AWS), else the log. */
export function publisherFor(env: { busName?: string | undefined; region: string }): EventPublisher {
  return env.busName ? new EventBridgePublisher(new EventBridgeClient({ region: env.region }), env.busName) : new LogPublisher();
}
