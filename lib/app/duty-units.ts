import type { Page, PageRequest } from './ports.js';

/**
 * How the periodic duties walk their work: lists read page by page, and units committed
 * a few at once (lib/app/duty-work.ts, lib/app/trail-anchor.ts). Use cases that need a
 * whole list read it with {@link allPages} too (lib/app/plan-children.ts).
 */

/** Items read per Query page (well under DynamoDB's 1 MB page). */
export const scanPage = 500;
/** Units of a page committed at once: independent writes, few enough not to throttle the table or the bucket. */
export const unitsAtOnce = 8;

/** Run `work` over `items`, a few at once; after a failure no further item starts, and the failure is thrown. */
export async function eachUnit<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(unitsAtOnce, items.length) }, worker));
}

/** Every page of a list, one Query each. */
export async function* pages<T>(list: (page: PageRequest) => Promise<Page<T>>): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  do {
    const page = await list({ limit: scanPage, cursor });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Every item of a list, all its pages read one after the other. */
export async function allPages<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const items of pages(list)) out.push(...items);
  return out;
}
