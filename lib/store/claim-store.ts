import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Claim, ClaimReader, OutboundEvent, Page, PageRequest } from '#lib/app/ports.js';
import { keys, lists } from './keys.js';
import { getItem, queryPage } from './table.js';

const outboundTypes: ReadonlySet<string> = new Set<OutboundEvent['type']>(['TaskCreated', 'ActionOverdue', 'IncidentDeadlinePassed']);

/**
 * The events stored on a claim item (its outbox), as the transaction put them. A claim
 * written before claims kept their events, or anything malformed, yields none.
 */
export function storedEvents(item: Record<string, unknown> | undefined): OutboundEvent[] {
  const events = item?.events;
  if (!Array.isArray(events)) return [];
  return events.filter(
    (e): e is OutboundEvent =>
      typeof e === 'object' &&
      e !== null &&
      outboundTypes.has((e as { type?: unknown }).type as string) &&
      typeof (e as { detail?: unknown }).detail === 'object' &&
      (e as { detail?: unknown }).detail !== null,
  );
}

/** Claim items of the periodic duties (`CLAIM#<duty>#<period>` / subject), read back for their stored events. */
export class DynamoClaimStore implements ClaimReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(duty: string, period: string, subject: string): Promise<Claim | undefined> {
    const item = await getItem(this.doc, this.tableName, keys.claim(duty, period, subject));
    if (!item) return undefined;
    const answer = item.answer;
    return {
      duty,
      period,
      subject,
      events: storedEvents(item),
      ...(typeof answer === 'object' && answer !== null ? { answer: answer as Record<string, unknown> } : {}),
    };
  }

  async list(duty: string, period: string, page: PageRequest): Promise<Page<Claim>> {
    const found = await queryPage<Record<string, unknown>>(this.doc, this.tableName, lists.claimsOf(duty, period), page, {
      consistent: true,
    });
    return {
      items: found.items.map((item) => ({ duty, period, subject: String(item.subject), events: storedEvents(item) })),
      nextCursor: found.nextCursor,
    };
  }
}
