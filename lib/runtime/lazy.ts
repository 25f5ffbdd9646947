/** How the composition root builds its ports on first use. */

/** An object whose every property is made by its function on first read, then kept. */
export function lazily<T extends object>(make: { [K in keyof T]: () => T[K] }): T {
  const made = new Map<keyof T, T[keyof T]>();
  const object = {} as T;
  for (const key of Object.keys(make) as (keyof T)[]) {
    Object.defineProperty(object, key, {
      enumerable: true,
      get: () => {
        if (!made.has(key)) made.set(key, make[key]());
        return made.get(key);
      },
    });
  }
  return object;
}

/** A port of async methods whose adapter is loaded on the first call (again after a failed load); every call then goes to it. */
export function deferred<T extends object>(load: () => Promise<T>, methods: { [K in keyof T]: true }): T {
  let adapter: Promise<T> | undefined;
  const port: Record<string, unknown> = {};
  for (const name of Object.keys(methods)) {
    port[name] = async (...args: unknown[]) => {
      // A load that failed is not kept: the next call tries again.
      adapter ??= load().catch((error: unknown) => {
        adapter = undefined;
        throw error;
      });
      const target = (await adapter) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return (target[name] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
    };
  }
  return port as T;
}
