import { describe, expect, it } from 'vitest';
import { entityTypes } from '#lib/domain/audit.js';
import { keys, lists } from '#lib/store/keys.js';

const id = '01KANSA0000000000000000001';
const eventId = '01KANSA0000000000000000007';
/** DynamoDB compares string sort keys by their UTF-8 bytes: for these ASCII keys, as JavaScript compares them. */
const within = (sk: string, [from, to]: [string, string]) => from <= sk && sk <= to;

describe('lists.entityAndTrail: one Query of the partition brings the entity item and its trail', () => {
  it.each(entityTypes)('%s: the range holds the item, at the end read first, and every event key', (type) => {
    const range = lists.entityAndTrail(type, id);
    const entity = keys.entity(type, id);
    expect(range.partition).toBe(entity.pk);
    // Read forwards the item is the range's start; read backwards (entityLast), its end.
    expect(range.skBetween[range.entityLast ? 1 : 0]).toBe(entity.sk);
    for (const version of [1, 12, 9_999_999_999]) {
      const event = keys.auditEvent(type, id, { eventId, version });
      expect(event.pk).toBe(range.partition);
      expect(within(event.sk, range.skBetween)).toBe(true);
    }
    // Events stored before keys carried the version.
    expect(within(`${keys.auditEventPrefix}${eventId}`, range.skBetween)).toBe(true);
  });

  it('leaves out an action’s notes and a plan’s children', () => {
    const action = lists.entityAndTrail('action', id);
    expect(within(keys.child('action', id, 'note', '0000000003').sk, action.skBetween)).toBe(false);
    const plan = lists.entityAndTrail('plan', id);
    expect(plan.entityLast).toBe(true);
    for (const kind of ['finding', 'action'] as const) expect(within(keys.planChild(id, kind, eventId).sk, plan.skBetween)).toBe(false);
  });
});
