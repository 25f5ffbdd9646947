/**
 * The SPA's one data layer: what the screens read from the API, kept by key for the
 * signed-in session. Readers of the same key share one entry and one request in flight;
 * every read carries the key's generation when it started, and only a read of the
 * current generation may write its answer, so a slow older answer never overwrites a
 * newer one (a later read, or a resource the screen set from a write's answer).
 *
 * A single resource lives while a screen shows it: shown again, it is read again before
 * anything is shown, so a form never starts from an old copy while a newer ETag arrives
 * (its fields and its `If-Match` always come from the same answer). A list no screen shows
 * is kept (the last {@link keptHiddenLists}), shown at once when its screen comes back and
 * read again meanwhile. After a write every entry is out of date: the lists on screen are
 * read again, the single resources on screen are kept (the screen that wrote puts the
 * write's answer; one that a form is editing must not change under it, and its ETag still
 * guards the next write), and the hidden lists are dropped.
 *
 * Its own and small (no TanStack Query, no signals): the screens need a keyed cache,
 * de-duplication, invalidation after writes and the generation guard, nothing more, and
 * the whole of it fits in this file.
 */

/** How many lists no screen shows are kept at most (the most recently hidden). */
export const keptHiddenLists = 20;

export interface Entry<T = unknown> {
  data?: T;
  /** The `ETag` of a single resource (null for lists). */
  etag: string | null;
  error?: unknown;
  /** A read is in flight (data, when present, is the previous answer). */
  loading: boolean;
}

/** Reads a key's value: the first read, or the next one given what is there (a list's next page). */
export type Loader<T> = (current: Entry<T> | undefined) => Promise<{ data: T; etag: string | null }>;

interface Slot {
  entry: Entry | undefined;
  /** Counts the reads and sets of this key: an answer is kept only if no newer one started since. */
  generation: number;
  inFlight: Promise<void> | undefined;
  listeners: Set<() => void>;
  /** How the readers on screen read it again after a write (none: kept as it is). */
  reload: (() => Promise<void>) | undefined;
}

export class DataCache {
  private readonly slots = new Map<string, Slot>();

  private slot(key: string): Slot {
    let s = this.slots.get(key);
    if (!s) {
      s = { entry: undefined, generation: 0, inFlight: undefined, listeners: new Set(), reload: undefined };
      this.slots.set(key, s);
    }
    return s;
  }

  private write(s: Slot, entry: Entry): void {
    s.entry = entry;
    for (const l of [...s.listeners]) l();
  }

  entry<T>(key: string): Entry<T> | undefined {
    return this.slots.get(key)?.entry as Entry<T> | undefined;
  }

  /**
   * Calls `listener` whenever the key's entry changes; `reload` is how to read it again
   * after a write (none: keep it). When its last reader leaves, the entry is dropped, or,
   * with `keepHidden` (lists), kept among the {@link keptHiddenLists} most recently hidden.
   */
  subscribe(key: string, listener: () => void, reload?: () => Promise<void>, keepHidden = false): () => void {
    const s = this.slot(key);
    s.listeners.add(listener);
    s.reload = reload;
    return () => {
      s.listeners.delete(listener);
      if (s.listeners.size > 0) return;
      s.reload = undefined;
      if (this.slots.get(key) !== s) return;
      // Dropped, or moved last: the map's order is then the order the lists were hidden in.
      this.slots.delete(key);
      if (!keepHidden) return;
      this.slots.set(key, s);
      const hidden = [...this.slots].filter(([, slot]) => slot.listeners.size === 0);
      for (const [k] of hidden.slice(0, Math.max(0, hidden.length - keptHiddenLists))) this.slots.delete(k);
    };
  }

  /**
   * Reads the key with `load`. A read already in flight is joined unless `fresh` (a
   * reload, the next page): then a new generation starts and the older read's answer,
   * whenever it comes, is dropped.
   */
  read<T>(key: string, load: Loader<T>, fresh = false): Promise<void> {
    const s = this.slot(key);
    if (s.inFlight && !fresh) return s.inFlight;
    const mine = ++s.generation;
    const before = s.entry as Entry<T> | undefined;
    this.write(s, { ...(before ?? { etag: null }), error: undefined, loading: true });
    const done = load(before).then(
      (r) => {
        if (s.generation === mine) this.write(s, { data: r.data, etag: r.etag, loading: false });
      },
      (error: unknown) => {
        if (s.generation === mine) this.write(s, { ...(s.entry ?? { etag: null }), error, loading: false });
      },
    );
    const flight = done.finally(() => {
      if (s.inFlight === flight) s.inFlight = undefined;
    });
    s.inFlight = flight;
    return flight;
  }

  /** Puts an answer the screen already has (a write's): it wins over any read still in flight. */
  set<T>(key: string, value: { data: T; etag: string | null }): void {
    const s = this.slot(key);
    s.generation++;
    s.inFlight = undefined;
    this.write(s, { data: value.data, etag: value.etag, loading: false });
  }

  /** After a write: read again the lists on screen, keep the single resources on screen, forget the rest. */
  invalidate(): void {
    for (const [key, s] of this.slots) {
      if (s.listeners.size === 0)
        this.slots.delete(key); // a read still in flight answers into the forgotten slot
      else if (s.reload) void s.reload();
    }
  }
}
