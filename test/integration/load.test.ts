import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, startTestStack } from '#test/support/stack.js';
import { describeLoad, runLoad } from '../../bench/support/load-driver.js';

/**
 * The load of `npm run bench` (bench/load.ts, 60 s) in a short form: several demo
 * users reading and writing plans and reading actions over loopback, 10 connections
 * for a few seconds. No 5xx, no socket error or timeout, every acknowledged change in
 * the table and its trail, and the table's invariants hold afterwards.
 */

const seconds = Number(process.env.LOAD_TEST_SECONDS ?? 8);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

describe('bounded load on loopback (mixed reads and writes by several demo users)', () => {
  it(`${seconds} s at 10 connections: no 5xx, no lost write, the table holds together`, { timeout: (seconds + 60) * 1000 }, async () => {
    const r = await runLoad(
      { baseUrl: stack.baseUrl, tableName: stack.tableName, dynamoEndpoint: stack.endpoint, token: stack.token },
      { seconds, connections: 10, mix: 'mixed' },
    );
    console.log(describeLoad(r));
    expect(r.serverErrors).toBe(0);
    expect(r.errors).toBe(0);
    expect(r.timeouts).toBe(0);
    // Each connection works on its own plans with the version it last saw: nothing to refuse.
    expect(Object.keys(r.statuses).sort()).toEqual(['200', '201']);
    expect(r.acknowledged.created).toBeGreaterThan(0);
    expect(r.acknowledged.updated).toBeGreaterThan(0);
    expect(r.lostWrites).toEqual([]);
    expect(r.staleReads).toBe(0);
    expect(r.violations).toEqual([]);
  });
});
