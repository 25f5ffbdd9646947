import { describe, expect, it } from 'vitest';
import { DataCache, keptHiddenLists } from '../../web/src/data.js';

/** A read the test answers when it likes. */
function deferred<T>() {
  let resolve: (v: T) => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const answer = (data: string, etag: string | null = null) => ({ data, etag });

describe('DataCache: the SPA data layer', () => {
  it('joins a read already in flight: two readers of one key, one request', async () => {
    const cache = new DataCache();
    let calls = 0;
    const load = async () => {
      calls += 1;
      return answer('plans');
    };
    await Promise.all([cache.read('k', load), cache.read('k', load)]);
    expect(calls).toBe(1);
    expect(cache.entry('k')).toEqual({ data: 'plans', etag: null, loading: false });
  });

  it('keeps the newer answer when an older read answers last', async () => {
    const cache = new DataCache();
    const slow = deferred<{ data: string; etag: string | null }>();
    const fast = deferred<{ data: string; etag: string | null }>();
    const first = cache.read('k', () => slow.promise);
    const second = cache.read('k', () => fast.promise, true);
    fast.resolve(answer('new', '"2"'));
    await second;
    slow.resolve(answer('old', '"1"'));
    await first;
    expect(cache.entry('k')).toMatchObject({ data: 'new', etag: '"2"', loading: false });
  });

  it("drops an older read's failure too", async () => {
    const cache = new DataCache();
    const slow = deferred<{ data: string; etag: string | null }>();
    const first = cache.read('k', () => slow.promise);
    await cache.read('k', async () => answer('new'), true);
    slow.reject(new Error('late'));
    await first;
    expect(cache.entry('k')).toEqual({ data: 'new', etag: null, loading: false });
  });

  it("a write's answer set by the screen wins over a read still in flight", async () => {
    const cache = new DataCache();
    const slow = deferred<{ data: string; etag: string | null }>();
    const read = cache.read('k', () => slow.promise);
    cache.set('k', answer('saved', '"3"'));
    slow.resolve(answer('before the write', '"2"'));
    await read;
    expect(cache.entry('k')).toEqual({ data: 'saved', etag: '"3"', loading: false });
  });

  it('keeps the previous data while reading again, and the error of a failed read beside it', async () => {
    const cache = new DataCache();
    await cache.read('k', async () => answer('one'));
    const again = deferred<{ data: string; etag: string | null }>();
    const read = cache.read('k', () => again.promise, true);
    expect(cache.entry('k')).toMatchObject({ data: 'one', loading: true });
    const offline = new Error('offline');
    again.reject(offline);
    await read;
    expect(cache.entry('k')).toMatchObject({ data: 'one', error: offline, loading: false });
  });

  it('after a write keeps a single resource on screen as it is: a form may be editing it', async () => {
    const cache = new DataCache();
    let reads = 0;
    cache.subscribe('inspection', () => {});
    await cache.read('inspection', async () => answer(`read ${++reads}`, '"1"'));
    cache.invalidate();
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toBe(1);
    expect(cache.entry('inspection')).toEqual({ data: 'read 1', etag: '"1"', loading: false });
  });

  it('after a write reads again the lists on screen and forgets the rest', async () => {
    const cache = new DataCache();
    let shown = 0;
    let changes = 0;
    const load = async () => answer(`shown ${++shown}`);
    const unsubscribe = cache.subscribe(
      'shown',
      () => changes++,
      () => cache.read('shown', load, true),
    );
    await cache.read('shown', load);
    await cache.read('hidden', async () => answer('hidden'));
    cache.invalidate();
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.entry('shown')).toMatchObject({ data: 'shown 2', loading: false });
    expect(cache.entry('hidden')).toBeUndefined();
    expect(changes).toBeGreaterThanOrEqual(4);
    unsubscribe();
    cache.invalidate();
    expect(cache.entry('shown')).toBeUndefined();
  });

  it('a read forgotten by a write while in flight does not answer into the next one', async () => {
    const cache = new DataCache();
    const slow = deferred<{ data: string; etag: string | null }>();
    const read = cache.read('k', () => slow.promise);
    cache.invalidate();
    const next = cache.read('k', async () => answer('after the write'));
    slow.resolve(answer('before the write'));
    await Promise.all([read, next]);
    expect(cache.entry('k')).toEqual({ data: 'after the write', etag: null, loading: false });
  });

  it('drops a single resource when its last screen leaves: shown again, nothing old shows while it is read again', async () => {
    const cache = new DataCache();
    const leave = cache.subscribe('plan', () => {});
    const also = cache.subscribe('plan', () => {});
    await cache.read('plan', async () => answer('version 1', '"1"'));
    leave();
    expect(cache.entry('plan')).toMatchObject({ data: 'version 1', etag: '"1"' });
    also();
    expect(cache.entry('plan')).toBeUndefined();
    cache.subscribe('plan', () => {});
    const again = deferred<{ data: string; etag: string | null }>();
    const read = cache.read('plan', () => again.promise);
    expect(cache.entry('plan')).toEqual({ etag: null, error: undefined, loading: true });
    again.resolve(answer('version 2', '"2"'));
    await read;
    expect(cache.entry('plan')).toEqual({ data: 'version 2', etag: '"2"', loading: false });
  });

  it('keeps hidden lists to show again at once, only the most recently hidden ones', async () => {
    const cache = new DataCache();
    for (let i = 0; i <= keptHiddenLists; i++) {
      const leave = cache.subscribe(`list ${i}`, () => {}, undefined, true);
      await cache.read(`list ${i}`, async () => answer(`items ${i}`));
      leave();
    }
    expect(cache.entry('list 0')).toBeUndefined();
    expect(cache.entry('list 1')).toMatchObject({ data: 'items 1' });
    expect(cache.entry(`list ${keptHiddenLists}`)).toMatchObject({ data: `items ${keptHiddenLists}` });
  });
});
