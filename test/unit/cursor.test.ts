import { describe, expect, it } from 'vitest';
import { InvalidInput } from '#lib/domain/errors.js';
import { decodeCursor, encodeCursor } from '#lib/store/cursor.js';
import { type ListQuery, lists } from '#lib/store/keys.js';

const planId = '01KANSA0000000000000000001';
const otherPlanId = '01KANSA0000000000000000002';

const plansOf2026 = lists.plansByFiscalYear(2026);
const draftsOf2026 = lists.plansByFiscalYear(2026, 'draft');
const trail = lists.auditTrail('plan', planId);

/** LastEvaluatedKey of a GSI query: the index keys and the table keys. */
const gsi1Key = { gsi1pk: 'PLANS#FY2026', gsi1sk: planId, pk: `PLAN#${planId}`, sk: 'PLAN' };
const gsi2Key = { gsi2pk: 'PLANS#FY2026#draft', gsi2sk: planId, pk: `PLAN#${planId}`, sk: 'PLAN' };
/** LastEvaluatedKey of a table query: pk and sk. */
const tableKey = { pk: `PLAN#${planId}`, sk: 'EVENT#01KANSA0000000000000000007' };

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const forge = (key: unknown) => b64(JSON.stringify(key));

describe('encodeCursor / decodeCursor', () => {
  it('no key, no cursor; no cursor, no key', () => {
    expect(encodeCursor(undefined)).toBeNull();
    expect(decodeCursor(undefined, plansOf2026)).toBeUndefined();
  });

  it.each<[string, Record<string, string>, ListQuery]>([
    ['a gsi1 query (plans of a 年度)', gsi1Key, plansOf2026],
    ['a gsi2 query (plans of a 年度 in a status)', gsi2Key, draftsOf2026],
    ['a table query (an audit trail)', tableKey, trail],
  ])('round-trips the key of %s', (_name, key, query) => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor ?? undefined, query)).toEqual(key);
  });

  it.each<[string, string, ListQuery]>([
    ['not base64 JSON', '%%%not-a-cursor%%%', plansOf2026],
    ['base64 of text that is not JSON', b64('PLAN#123'), plansOf2026],
    ['empty', '', plansOf2026],
    ['JSON null', forge(null), plansOf2026],
    ['a JSON string', forge('PLANS#FY2026'), plansOf2026],
    ['a JSON number', forge(42), plansOf2026],
    ['an array', forge([gsi1Key]), plansOf2026],
    ['an array of entries', forge(Object.entries(gsi1Key)), plansOf2026],
    ['an empty object', forge({}), plansOf2026],
    ['another 年度 (wrong partition)', forge({ ...gsi1Key, gsi1pk: 'PLANS#FY2025' }), plansOf2026],
    ['another status (wrong partition)', forge({ ...gsi2Key, gsi2pk: 'PLANS#FY2026#approved' }), draftsOf2026],
    ['another entity trail (wrong partition)', forge({ ...tableKey, pk: `PLAN#${otherPlanId}` }), trail],
    ['a gsi1 key for a gsi2 query', forge(gsi1Key), draftsOf2026],
    ['a table key for a gsi1 query', forge(tableKey), plansOf2026],
    ['a gsi1 key for a table query', forge(gsi1Key), trail],
    ['an extra key attribute', forge({ ...tableKey, gsi1pk: 'PLANS#FY2026' }), trail],
    ['an extra unknown attribute', forge({ ...gsi1Key, status: 'approved' }), plansOf2026],
    ['a non-string value', forge({ ...gsi1Key, gsi1sk: 7 }), plansOf2026],
    ['a null value', forge({ ...gsi1Key, sk: null }), plansOf2026],
    ['an object value', forge({ ...tableKey, sk: { S: 'EVENT#1' } }), trail],
    // DynamoDB rejects an empty key value in ExclusiveStartKey with a ValidationException (a 500).
    ['an empty index sort key', forge({ ...gsi1Key, gsi1sk: '' }), plansOf2026],
    ['empty table keys (gsi1 query)', forge({ ...gsi1Key, pk: '', sk: '' }), plansOf2026],
    ['an empty sort key (gsi2 query)', forge({ ...gsi2Key, gsi2sk: '' }), draftsOf2026],
    ['an over-long value', forge({ ...gsi1Key, gsi1sk: 'x'.repeat(1025) }), plansOf2026],
    ['sk missing (table query)', forge({ pk: tableKey.pk }), trail],
    ['sk missing (gsi1 query)', forge({ gsi1pk: gsi1Key.gsi1pk, gsi1sk: gsi1Key.gsi1sk, pk: gsi1Key.pk }), plansOf2026],
    ['index sort key missing', forge({ gsi1pk: gsi1Key.gsi1pk, pk: gsi1Key.pk, sk: gsi1Key.sk }), plansOf2026],
    ['an sk outside the trail (the plan item itself)', forge({ ...tableKey, sk: 'PLAN' }), trail],
  ])('rejects a forged cursor: %s', (_name, cursor, query) => {
    let err: unknown;
    try {
      decodeCursor(cursor, query);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err).toMatchObject({ kind: 'invalid', code: 'invalid-cursor', errors: [{ path: 'cursor', message: expect.any(String) }] });
    expect((err as InvalidInput).message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });
});
