import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * The end-to-end tests drive Debian's Chromium at /usr/bin/chromium, with a Japanese font
 * so that their screenshots show the text. A fresh machine has neither, and `npm ci &&
 * npm test` must work there with no other step: when test/e2e files are in the run and
 * either is missing, this installs both with apt-get (as root), or stops the run at once
 * naming the command that would. Runs before the other global set-up, so a run that
 * cannot work fails before anything is built or started.
 */
export const chromiumPath = '/usr/bin/chromium';
export const fontPackage = 'fonts-ipafont-gothic';
export const installCommand = `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium ${fontPackage}`;
/** The same, for a user who is not root. */
export const sudoInstallCommand = `sudo sh -c '${installCommand}'`;

export interface Machine {
  chromium: boolean;
  font: boolean;
  root: boolean;
  aptGet: boolean;
}

export type Plan = { do: 'nothing' } | { do: 'install' } | { do: 'fail'; message: string };

const missing = (m: Machine) =>
  [...(m.chromium ? [] : [`Chromium (${chromiumPath})`]), ...(m.font ? [] : [`the Japanese font (${fontPackage})`])].join(' and ');

/** What to do on a machine: nothing, install, or stop with the one command that fixes it. */
export function planFor(m: Machine): Plan {
  if (m.chromium && m.font) return { do: 'nothing' };
  if (m.root && m.aptGet) return { do: 'install' };
  const why = m.aptGet ? 'this user is not root' : 'this machine has no apt-get (the tests expect Debian or Ubuntu)';
  return {
    do: 'fail',
    message: `The end-to-end tests (test/e2e) need ${missing(m)}, and ${why}. Install them with:\n\n  ${m.aptGet ? sudoInstallCommand : installCommand}\n\nthen run the tests again.`,
  };
}

function fontInstalled(): boolean {
  const dpkg = spawnSync('dpkg-query', ['-W', '-f=${Status}', fontPackage], { encoding: 'utf8' });
  if (!dpkg.error) return dpkg.status === 0 && dpkg.stdout.includes('install ok installed');
  // Not Debian: any Japanese font will do.
  const fc = spawnSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8' });
  return !fc.error && fc.stdout.trim() !== '';
}

export function thisMachine(): Machine {
  return {
    chromium: existsSync(chromiumPath),
    font: fontInstalled(),
    root: process.getuid?.() === 0,
    aptGet: !spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).error,
  };
}

/** True when a test/e2e file is in this run (`npx vitest run test/unit` must not install a browser). */
export function runsE2e(project: TestProject): boolean {
  // The run's test files, collected before global set-up (vitest's state API; pinned version).
  const paths: unknown = (project.vitest.state as { getPaths?: () => string[] }).getPaths?.();
  if (!Array.isArray(paths) || paths.length === 0) return true; // cannot tell: be ready rather than fail later
  return paths.some((p: string) => relative(project.config.root, p).split(sep).slice(0, 2).join('/') === 'test/e2e');
}

const run = (cmd: string) =>
  new Promise<{ ok: boolean; output: string }>((resolve) => {
    execFile('sh', ['-c', cmd], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ ok: !err, output: `${stdout}${stderr}` }),
    );
  });

const dpkgLocked = /Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock directory/;

export default async function setup(project: TestProject): Promise<void> {
  if (!runsE2e(project)) return;
  const plan = planFor(thisMachine());
  if (plan.do === 'nothing') return;
  if (plan.do === 'fail') throw new Error(plan.message);

  console.log(`e2e tests: installing Chromium and the Japanese font (${installCommand})…`);
  // Another apt-get (another test run, or CI) may hold the lock for a while: wait for it, up to ~5 minutes.
  for (let attempt = 1; ; attempt++) {
    const { ok, output } = await run(installCommand);
    const now = thisMachine();
    if (now.chromium && now.font) return;
    if (!ok && dpkgLocked.test(output) && attempt < 60) {
      await new Promise((r) => setTimeout(r, 5_000));
      continue;
    }
    throw new Error(
      `Installing Chromium and ${fontPackage} failed${ok ? ` (apt-get succeeded but ${missing(now)} is still missing)` : ''}:\n${output.trim().split('\n').slice(-15).join('\n')}\n\nFix the cause and run:\n\n  ${installCommand}\n`,
    );
  }
}
