import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { CreateIntent, type Query, type Result } from './api.js';
import { useSession } from './session.js';

/** A single resource read with its ETag; `reload` reads it again (e.g. after a 412). */
export function useResource<T>(path: string | null, query?: Query) {
  const { api } = useSession();
  const [state, setState] = useState<{ data?: T; etag: string | null; error?: unknown; loading: boolean }>({ etag: null, loading: true });
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;
  const reload = useCallback(async () => {
    if (path === null) return;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const r = await api.get<T>(path, query);
      setState({ data: r.data, etag: r.etag, loading: false });
    } catch (error) {
      setState((s) => ({ ...s, error, loading: false }));
    }
  }, [api, key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const set = useCallback((r: Result<T>) => setState({ data: r.data, etag: r.etag, loading: false }), []);
  return { ...state, reload, set };
}

/** A list read page by page with the API's cursors. */
export function usePaged<T>(path: string | null, query: Query = {}) {
  const { api } = useSession();
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const key = path === null ? null : `${path}?${JSON.stringify(query)}`;
  const generation = useRef(0);
  const load = useCallback(
    async (from: string | null, append: boolean) => {
      if (path === null) return;
      const mine = ++generation.current;
      setLoading(true);
      setError(undefined);
      try {
        const page = await api.page<T>(path, query, from);
        if (mine !== generation.current) return;
        setItems((prev) => (append ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        if (mine === generation.current) setError(e);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [api, key],
  );
  useEffect(() => {
    void load(null, false);
  }, [load]);
  return {
    items,
    loading,
    error,
    hasMore: cursor !== null,
    more: () => load(cursor, true),
    reload: () => load(null, false),
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

/** The create intent of a form: the same Idempotency-Key for every retry of the same body (see {@link CreateIntent}). */
export function useCreateIntent(): CreateIntent {
  return useState(() => new CreateIntent())[0];
}
