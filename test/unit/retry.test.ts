import { describe, expect, it } from 'vitest';
import { retrying } from '#lib/app/retry.js';
import { FixedClock } from './fakes.js';

const policy = { attempts: 3, stepMs: 100, jitterMs: 0 };

describe('retrying: tries again what the call site says, waiting on the clock', () => {
  it('answers the first success, after waiting step × n after the n-th failure', async () => {
    const clock = new FixedClock('2027-04-01T00:00:00Z');
    let tries = 0;
    const answer = await retrying(
      clock,
      policy,
      () => true,
      async (attempt) => {
        tries = attempt;
        if (attempt < 3) throw new Error('busy');
        return 'done';
      },
    );
    expect(answer).toBe('done');
    expect(tries).toBe(3);
    expect(clock.slept).toEqual([100, 200]);
  });

  it('throws the last error once the attempts are spent, without a wait after it', async () => {
    const clock = new FixedClock('2027-04-01T00:00:00Z');
    let tries = 0;
    const err = await retrying(
      clock,
      policy,
      () => true,
      (attempt) => {
        tries += 1;
        return Promise.reject(new Error(`busy ${attempt}`));
      },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('busy 3');
    expect(tries).toBe(3);
    expect(clock.slept).toEqual([100, 200]);
  });

  it('throws at once an error the site does not retry, and may decide after a read', async () => {
    const clock = new FixedClock('2027-04-01T00:00:00Z');
    let tries = 0;
    const err = await retrying(
      clock,
      policy,
      (e) => Promise.resolve((e as Error).message === 'stale'),
      () => {
        tries += 1;
        return Promise.reject(new Error('gone'));
      },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('gone');
    expect(tries).toBe(1);
    expect(clock.slept).toEqual([]);
  });

  it('adds up to jitterMs at random to each wait', async () => {
    const clock = new FixedClock('2027-04-01T00:00:00Z');
    await retrying(
      clock,
      { attempts: 2, stepMs: 10, jitterMs: 40 },
      () => true,
      (attempt) => (attempt === 1 ? Promise.reject(new Error('busy')) : Promise.resolve()),
    );
    expect(clock.slept).toHaveLength(1);
    expect(clock.slept[0]).toBeGreaterThanOrEqual(10);
    expect(clock.slept[0]).toBeLessThan(50);
  });
});
