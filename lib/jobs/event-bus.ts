import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Delivery, EventPublisher, OutboundEvent } from '#lib/app/ports.js';
import { logger } from '#lib/logger.js';
import { putEventsBatchSize, toEntry } from './events.js';

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

/** The publisher on the bus named by `EVENT_BUS_NAME`, with its client (built once, where the bus is configured). */
export function busPublisher(env: { busName: string; region: string }): EventPublisher {
  return new EventBridgePublisher(new EventBridgeClient({ region: env.region }), env.busName);
}
