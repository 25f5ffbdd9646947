import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { freePort } from '#lib/local/free-port.js';
import { type InProcessStack, startInProcessStack } from '#lib/local/stack.js';

/**
 * The stack listens before its handlers are attached (the issuer and redirect URIs name
 * the port). Here the S3 emulator's start is held open, so the gateway is listening
 * but not ready: a request in that window must be answered at once, not left hanging.
 */
const gate = vi.hoisted(() => {
  let reached!: () => void;
  let release!: () => void;
  return {
    reached: new Promise<void>((r) => (reached = r)),
    released: new Promise<void>((r) => (release = r)),
    reach: () => reached(),
    release: () => release(),
  };
});

vi.mock(import('#lib/local/s3-local.js'), async (original) => {
  const real = await original();
  return {
    ...real,
    startS3Local: async (...args: Parameters<typeof real.startS3Local>) => {
      gate.reach();
      await gate.released;
      return real.startS3Local(...args);
    },
  };
});

let stack: InProcessStack | undefined;
afterAll(async () => {
  gate.release();
  await stack?.close();
});

// Generous: a hang is what fails, not a slow machine.
const patience = () => ({ signal: AbortSignal.timeout(15_000) });

describe('start-up', () => {
  it('a request before the stack is ready gets an immediate 503 problem+json, then the API answers', async () => {
    const port = await freePort();
    const starting = startInProcessStack({
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `kansa-test-startup-${process.pid}`,
      port,
    });
    await gate.reached;

    for (const [method, path] of [
      ['GET', '/api/health'],
      ['POST', '/api/plans'],
      ['GET', '/'],
    ] as const) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        ...patience(),
        ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toEqual({
        type: 'urn:kansa:problem:starting',
        title: '一時的に利用できません',
        status: 503,
        detail: '起動中です。しばらくしてから再度お試しください。',
      });
    }

    gate.release();
    stack = await starting;
    const health = await fetch(`${stack.baseUrl}/health`, patience());
    expect(health.status).toBe(200);
    const unauthenticated = await fetch(`${stack.baseUrl}/plans`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
      ...patience(),
    });
    expect(unauthenticated.status).toBe(401);
  });
});
