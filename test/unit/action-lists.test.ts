import { describe, expect, it } from 'vitest';
import { type ActionStatus, actionStatuses, isOverdue } from '#lib/domain/action.js';
import { type ListQuery, indexesOf, lists } from '#lib/store/keys.js';
import { tableDesign } from '#lib/store/table-design.js';

/**
 * The action list queries of lib/store/keys.ts against the index keys the writer puts
 * on each action (`indexesOf.action`), with DynamoDB's key conditions applied
 * in memory: each filter must select exactly the actions it names. `overdueBefore` is
 * today's date in Japan: due strictly before it and still owed (isOverdue).
 */

const today = '2026-10-11';
const departments = ['shimin', 'shiminzei'] as const;
const dueDates = ['2026-10-01', '2026-10-10', '2026-10-11', '2026-12-25'] as const;

interface Row {
  actionId: string;
  planId: string;
  department: string;
  status: ActionStatus;
  dueDate: string;
}

/** One action for every 課 × status × due date, with the index attributes the writer stores. */
const rows: Row[] = departments.flatMap((department, d) =>
  actionStatuses.flatMap((status, s) =>
    dueDates.map((dueDate, i) => ({
      actionId: `01KANSA${String(d * 100 + s * 10 + i).padStart(19, '0')}`,
      planId: 'p',
      department,
      status,
      dueDate,
    })),
  ),
);
const items = rows.map((r) => ({ ...r, ...indexesOf.action(r) }));

/** What a Query with this key condition returns (all pages), as action ids. */
function query(list: ListQuery): string[] {
  const index = tableDesign.indexes.find((i) => i.indexName === list.index);
  if (!index) throw new Error('action lists use an index');
  return items
    .filter((item) => {
      const rec = item as unknown as Record<string, string>;
      const pk = rec[index.partitionKey];
      const sk = rec[index.sortKey] ?? '';
      if (pk !== list.partition) return false;
      if (list.dueBefore !== undefined && !(item.dueDate < list.dueBefore)) return false;
      if (list.skBetween) return sk >= list.skBetween[0] && sk <= list.skBetween[1];
      if (list.skPrefix) return sk.startsWith(list.skPrefix);
      return true;
    })
    .map((i) => i.actionId)
    .sort();
}

type Filter = { department?: string; status?: ActionStatus; overdueBefore?: string };
const filters: Filter[] = [undefined, 'shimin'].flatMap((department) =>
  [undefined, ...actionStatuses].flatMap((status) =>
    [undefined, today].map((overdueBefore) => ({
      ...(department ? { department } : {}),
      ...(status ? { status } : {}),
      ...(overdueBefore ? { overdueBefore } : {}),
    })),
  ),
);

const expectedIds = (f: Filter) =>
  rows
    .filter(
      (r) =>
        (f.department === undefined || r.department === f.department) &&
        (f.status === undefined || r.status === f.status) &&
        (f.overdueBefore === undefined ||
          // With a status named, the key selects by due date; listActions answers an empty
          // page itself for a settled status with overdue=true (test/unit/actions.test.ts).
          (f.status !== undefined ? r.dueDate < f.overdueBefore : isOverdue(r, f.overdueBefore))),
    )
    .map((r) => r.actionId)
    .sort();

describe('lists.actions selects exactly the actions the filter names', () => {
  it('the fixture has actions on both sides of every boundary', () => {
    expect(expectedIds({ overdueBefore: today }).length).toBeGreaterThan(0);
    expect(expectedIds({ overdueBefore: today }).length).toBeLessThan(expectedIds({}).length);
  });

  for (const f of filters) {
    it(`${JSON.stringify(f)}`, () => {
      expect(query(lists.actions(f))).toEqual(expectedIds(f));
    });
  }
});
