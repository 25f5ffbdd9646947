import { describe, expect, it } from 'vitest';
import * as classic from '#lib/domain/zod.js';
import * as mini from '#lib/domain/zod-mini.js';

/**
 * While the schemas move from zod classic to zod/mini one module at a time, a mini object holds
 * classic fields (a migrated module using a field of one not yet migrated) and a classic object
 * holds mini ones (the route table's queries): both share zod's core, its Japanese locale included,
 * and answer as a schema of one kind would.
 */

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

describe('zod classic and zod/mini in one schema', () => {
  const classicDate = classic
    .string({ error: '日付は文字列で指定してください。' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日付の形式です。' });
  const miniKind = mini.enum(['a', 'b'], { error: 'kind は a か b です。' });

  it('a mini object with classic fields: their rules, defaults and messages, and mini checks over them', () => {
    const s = mini
      .strictObject({ on: classicDate, to: mini._default(mini.nullable(classicDate), null), kind: miniKind })
      .check(mini.refine((v) => v.to === null || v.on <= v.to, { error: '終了日は開始日以降です。', path: ['to'] }));
    expect(s.parse({ on: '2026-04-01', kind: 'a' })).toEqual({ on: '2026-04-01', to: null, kind: 'a' });
    expect(issues(s.safeParse({ on: 1, to: 'x', kind: 'c', extra: true }))).toEqual([
      { path: 'on', message: '日付は文字列で指定してください。' },
      { path: 'to', message: '日付の形式です。' },
      { path: 'kind', message: 'kind は a か b です。' },
      { path: '', message: '認識されていないキー: "extra"' },
    ]);
    expect(issues(s.safeParse({ on: '2026-04-02', to: '2026-04-01', kind: 'b' }))).toEqual([
      { path: 'to', message: '終了日は開始日以降です。' },
    ]);
  });

  it('a classic object with a mini field made optional by either kind', () => {
    const s = classic.object({ status: classic.optional(miniKind), other: mini.optional(classicDate) }).strict();
    expect(s.parse({})).toEqual({});
    expect(s.parse({ status: 'b', other: '2026-04-01' })).toEqual({ status: 'b', other: '2026-04-01' });
    expect(issues(s.safeParse({ status: 'c', other: 3 }))).toEqual([
      { path: 'status', message: 'kind は a か b です。' },
      { path: 'other', message: '日付は文字列で指定してください。' },
    ]);
  });

  it("zod/mini's own messages are Japanese", () => {
    expect(issues(mini.strictObject({ a: mini.string() }).safeParse({ a: 1 }))).toEqual([
      { path: 'a', message: '無効な入力: stringが期待されましたが、数値が入力されました' },
    ]);
  });
});
