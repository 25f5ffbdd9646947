import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';
import { type Browser, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { type DutyRunSummary, runDuty } from '#lib/jobs/runner.js';
import { demoPassword, demoUser } from '#lib/local/demo-users.js';
import { repoRoot } from '#lib/local/paths.js';
import { type CallOptions, type TestStack, type TestStackOptions, planBody, startTestStack } from '#test/support/stack.js';
import { jobRuntime } from '#test/support/duty-data.js';

/**
 * End-to-end tests: the stack `npm start` runs (lib/local/stack.ts with the OpenID
 * provider and the built SPA on one port; an in-memory DynamoDB Local table and the S3
 * emulator in a temporary directory) driven by Debian's Chromium through playwright-core.
 * Each browser context is a fresh profile. Data a test needs is seeded through the API
 * (`stack.call`), never through the UI, except the part under test.
 */
export const chromiumPath = '/usr/bin/chromium';
/** TOOLING.md's flags and a Japanese UI language (headless Chromium still labels the file input in English); playwright adds --headless and a fresh --user-data-dir itself. */
export const chromiumFlags = [
  '--lang=ja',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const screenshotDir = join(repoRoot, 'test-results', 'e2e');

/** A desktop window, and a phone (390×844, touch) for the section staff's uploads. */
export const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' };
export const phone: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  locale: 'ja-JP',
  timezoneId: 'Asia/Tokyo',
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
};

/** Waits until no 読み込み中… status is left on the page. */
export async function settled(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: '読み込み中' }).first().waitFor({ state: 'detached' });
}

export interface E2e {
  stack: TestStack;
  browser: Browser;
  /** A page in a fresh context (its own cookies and storage). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Opens `path` and signs in as a demo user through the provider's login page; resolves on the app's page. */
  signIn(page: Page, userId: string, path?: string): Promise<void>;
  /** Signs out through the app's button and the provider's end-session page. */
  signOut(page: Page): Promise<void>;
  /** Saves `test-results/e2e/<name>.png`. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** web/dist is built once per run by test/setup/web-build.ts (never here: test files start in parallel). */
export async function startE2e(opts: Pick<TestStackOptions, 'tokenTtlSeconds' | 'profileId'> = {}): Promise<E2e> {
  const stack = await startTestStack({ ...opts, web: true });
  const browser = await chromium
    .launch({ executablePath: chromiumPath, args: chromiumFlags, headless: true })
    .catch(async (err: unknown) => {
      await stack.close();
      throw new Error(`Chromium did not start from ${chromiumPath} (apt-get install -y --no-install-recommends chromium): ${String(err)}`);
    });
  mkdirSync(screenshotDir, { recursive: true });
  const base = stack.webUrl;
  if (!base) throw new Error('the test stack was started without its web URL');
  const inApp = (url: URL) => url.origin === base && !url.pathname.startsWith('/oidc') && url.pathname !== '/auth/callback';

  return {
    stack,
    browser,
    newPage: async (options = desktop) => (await browser.newContext(options)).newPage(),
    signIn: async (page, userId, path = '/') => {
      const user = demoUser(userId);
      if (!user) throw new Error(`unknown demo user ${userId}`);
      await page.goto(`${base}${path}`);
      await page.getByRole('button', { name: 'ログイン', exact: true }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/'));
      await page.getByLabel(user.name).check();
      await page.getByLabel('パスワード').fill(demoPassword);
      await page.getByRole('button', { name: 'ログイン', exact: true }).click();
      await page.waitForURL(inApp);
      await page.getByText(`${user.name}（`).waitFor();
    },
    signOut: async (page) => {
      await page.getByRole('button', { name: 'ログアウト', exact: true }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/oidc/'));
      await page.getByRole('button', { name: 'ログアウト', exact: true }).click();
      await page.waitForURL(inApp);
      await page.getByRole('button', { name: 'ログイン', exact: true }).waitFor();
    },
    screenshot: async (page, name) => {
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      await browser.close();
      await stack.close();
    },
  };
}

/**
 * The e2e stack for one test file: started before its tests (then `seed` runs, e.g.
 * API calls that make the data the test needs) and closed after them, with timeouts
 * that fit a browser. Returns a getter for the running stack.
 */
export function useE2e(seed?: (e2e: E2e) => Promise<void>, opts: Pick<TestStackOptions, 'tokenTtlSeconds' | 'profileId'> = {}): () => E2e {
  vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
  let e2e: E2e | undefined;
  beforeAll(async () => {
    e2e = await startE2e(opts);
    await seed?.(e2e);
  });
  afterAll(async () => {
    await e2e?.close();
  });
  return () => {
    if (!e2e) throw new Error('the e2e stack is not running');
    return e2e;
  };
}

/** Seeds, through the API, a 2026 plan drafted, submitted, approved and started: findings may be recorded on it. */
export async function seedStartedPlan(stack: TestStack): Promise<string> {
  const planId = (await stack.call('POST', '/plans', { as: 'policy-director', body: planBody() })).body.planId as string;
  const steps: [string, CallOptions][] = [
    ['submit', { as: 'policy-director' }],
    ['approve', { as: 'vice-mayor', body: { comment: '承認します。' } }],
    ['start', { as: 'policy-director' }],
  ];
  for (const [step, opts] of steps) {
    const reply = await stack.call('POST', `/plans/${planId}/${step}`, opts);
    if (reply.status !== 200) throw new Error(`seeding the plan failed at ${step}: ${reply.status} ${reply.text}`);
  }
  return planId;
}

/**
 * Fires a periodic duty for an instant through the jobs runner, as EventBridge Scheduler
 * and `npm run job -- <duty> --at <instant>` do, against the e2e stack's table (the
 * handlers run in the test's process, so `deps()` is theirs). Events are counted, not sent.
 */
export async function fireDuty(stack: TestStack, duty: string, instant: string): Promise<DutyRunSummary> {
  const summary = await runDuty(jobRuntime(stack), { duty, instant });
  if (summary.outcome !== 'completed') throw new Error(`the duty ${duty} did not run for ${instant}: ${summary.outcome}`);
  return summary;
}

/** The rules of WCAG 2.0 and 2.1 at levels A and AA, as axe-core tags them. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Checks the page as drawn now against WCAG 2.1 A/AA with axe-core (call it once the screen has
 * settled); fails naming the screen and each violation: its rule, impact and the elements it found.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const found = violations.map(
    (v) => `${v.id} (${v.impact ?? 'impact unknown'}): ${v.help} — ${v.nodes.map((n) => n.target.map(String).join(' ')).join(', ')}`,
  );
  expect(found, `accessibility of ${screen} (${new URL(page.url()).pathname})`).toEqual([]);
}
