import { describe, expect, it } from 'vitest';
import { deferred, lazily } from '#lib/runtime/lazy.js';

describe('the composition root builds ports on first use', () => {
  it('lazily makes each property once, on its first read', () => {
    let made = 0;
    const ports = lazily<{ a: number; b: number }>({ a: () => ++made, b: () => 100 });
    expect(made).toBe(0);
    expect(ports.a).toBe(1);
    expect(ports.a).toBe(1);
    expect(made).toBe(1);
  });

  it('deferred loads the adapter on the first call, once, and calls it with its own this', async () => {
    let loads = 0;
    class Adapter {
      readonly name = 'bus';
      async publish(n: number) {
        return `${this.name}:${n}`;
      }
    }
    const port = deferred<Pick<Adapter, 'publish'>>(
      async () => {
        loads += 1;
        return new Adapter();
      },
      { publish: true },
    );
    expect(loads).toBe(0);
    expect(await Promise.all([port.publish(1), port.publish(2)])).toEqual(['bus:1', 'bus:2']);
    expect(loads).toBe(1);
  });

  it('deferred does not keep a load that failed: the next call loads again', async () => {
    let loads = 0;
    const port = deferred<{ publish(): Promise<string> }>(
      async () => {
        loads += 1;
        if (loads === 1) throw new Error('no client yet');
        return { publish: async () => 'sent' };
      },
      { publish: true },
    );
    await expect(port.publish()).rejects.toThrow('no client yet');
    expect(await port.publish()).toBe('sent');
    expect(loads).toBe(2);
  });
});
