import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { CreateIntent, type Query, type Result, withQuery } from './api.js';
import type { DataCache, Entry, Loader } from './data.js';
import { useSession } from './session.js';
import type { Page } from './types.js';

/** The key of a read: its path and query (null: nothing to read yet). */
function keyOf(kind: string, path: string | null, query: Query | undefined): string | null {
  return path === null ? null : `${kind} ${withQuery(path, query ?? {})}`;
}

/**
 * The entry of `key` in the session's data layer, read with `load` when the screen shows
 * it and, when `reread` (lists), after every write. A list shown again shows its kept answer
 * while it is read again; a single resource is read again before it shows (web/src/data.ts).
 */
function useEntry<T>(
  key: string | null,
  load: Loader<T>,
  afterWrites: 'reread' | 'keep',
): { entry: Entry<T> | undefined; data: DataCache } {
  const { data } = useSession();
  const [, setTick] = useState(0);
  const changed = useCallback(() => setTick((n) => n + 1), []);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    if (key === null) return;
    const reload = () => data.read(key, loader.current, true);
    const unsubscribe = data.subscribe(key, changed, afterWrites === 'reread' ? reload : undefined, afterWrites === 'reread');
    void data.read(key, loader.current);
    return unsubscribe;
  }, [data, key]);
  return { entry: key === null ? undefined : data.entry<T>(key), data };
}

/** A single resource read with its ETag; `reload` reads it again (e.g. after a 412), `set` puts a write's answer. */
export function useResource<T>(path: string | null, query?: Query) {
  const { api } = useSession();
  const key = keyOf('resource', path, query);
  const { entry, data } = useEntry<T>(key, () => api.get<T>(path ?? '', query), 'keep');
  const reload = useCallback(async () => {
    if (key !== null) await data.read(key, () => api.get<T>(path ?? '', query), true);
  }, [api, data, key]);
  const set = useCallback(
    (r: Result<T>) => {
      if (key !== null) data.set(key, r);
    },
    [data, key],
  );
  return { data: entry?.data, etag: entry?.etag ?? null, error: entry?.error, loading: entry?.loading ?? key !== null, reload, set };
}

/** A list read page by page with the API's cursors: `more` appends the next page. */
export function usePaged<T>(path: string | null, query: Query = {}) {
  const { api } = useSession();
  const key = keyOf('pages', path, query);
  const first: Loader<Page<T>> = async () => ({ data: await api.page<T>(path ?? '', query), etag: null });
  const { entry, data } = useEntry<Page<T>>(key, first, 'reread');
  const cursor = entry?.data?.nextCursor ?? null;
  return {
    items: entry?.data?.items ?? [],
    loading: entry?.loading ?? key !== null,
    error: entry?.error,
    hasMore: cursor !== null,
    more: () => {
      if (key === null || cursor === null) return;
      void data.read<Page<T>>(
        key,
        async (current) => {
          const page = await api.page<T>(path ?? '', query, cursor);
          return { data: { items: [...(current?.data?.items ?? []), ...page.items], nextCursor: page.nextCursor }, etag: null };
        },
        true,
      );
    },
    reload: () => {
      if (key !== null) void data.read(key, first, true);
    },
  };
}

/** The largest page the API gives (its `limit` maximum). */
const fullPage = 100;

/** Every item of a list, all its pages read one after the other (for counts: the dashboard). */
export function useAll<T>(path: string | null, query: Query = {}) {
  const { api } = useSession();
  const key = keyOf('all', path, query);
  const all: Loader<T[]> = async () => {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = await api.page<T>(path ?? '', { ...query, limit: fullPage }, cursor);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return { data: items, etag: null };
  };
  const { entry, data } = useEntry<T[]>(key, all, 'reread');
  return {
    items: entry?.data ?? [],
    loading: entry?.loading ?? key !== null,
    error: entry?.error,
    reload: () => {
      if (key !== null) void data.read(key, all, true);
    },
  };
}

/** Runs one change at a time and keeps its error for display. */
export function useRunner() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = useCallback(async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(undefined) };
}

export type Runner = ReturnType<typeof useRunner>;

/** The create intent of a form: the same Idempotency-Key for every retry of the same body (see {@link CreateIntent}). */
export function useCreateIntent(): CreateIntent {
  return useState(() => new CreateIntent())[0];
}
