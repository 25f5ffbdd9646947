import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#lib/local/paths.js';

/**
 * The 課 transfer script of the README, run as written against a fake `aws` that records
 * each call and answers the user's current groups: the order is what makes the transfer
 * safe (disabled first, signed out everywhere, enabled last).
 */
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const script = /```sh\n(# kansa_transfer [\s\S]*?)```/.exec(readme)?.[1];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansa-transfer-'));
  writeFileSync(
    join(dir, 'aws'),
    [
      '#!/bin/sh',
      'echo "$*" >> "$AWS_CALLS"',
      'case "$2" in',
      '  admin-list-groups-for-user) printf "sectionStaff\\tauditorDx\\n" ;;',
      '  admin-add-user-to-group) [ "$8" = "noSuchGroup" ] && { echo "ResourceNotFoundException" >&2; exit 254; } ;;',
      'esac',
      'exit 0',
    ].join('\n'),
  );
  chmodSync(join(dir, 'aws'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(invocation: string): { calls: string[]; ok: boolean } {
  const calls = join(dir, `calls-${Math.random().toString(36).slice(2)}`);
  writeFileSync(calls, '');
  const body = (script ?? '').replace(/^kansa_transfer ap-northeast-1_.*$/m, invocation);
  let ok = true;
  try {
    execFileSync('sh', ['-c', body], { env: { PATH: `${dir}:${process.env.PATH ?? ''}`, AWS_CALLS: calls }, stdio: 'pipe' });
  } catch {
    ok = false;
  }
  return { calls: readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean), ok };
}

describe('README: a 課 transfer', () => {
  it('is in the README as a shell function with an example', () => {
    expect(script).toMatch(/^kansa_transfer\(\) \(/m);
    expect(script).toMatch(/^kansa_transfer ap-northeast-1_\S+ \S+ resident-tax sectionManager$/m);
  });

  it('disables the user, sets the 課, replaces every group, signs out everywhere, then enables the user', () => {
    const { calls, ok } = run('kansa_transfer pool-1 hanako resident-tax sectionManager affairStaff');
    expect(ok).toBe(true);
    const on = '--user-pool-id pool-1 --username hanako';
    expect(calls).toEqual([
      `cognito-idp admin-disable-user ${on}`,
      `cognito-idp admin-update-user-attributes ${on} --user-attributes Name=custom:department,Value=resident-tax`,
      `cognito-idp admin-list-groups-for-user ${on} --query Groups[].GroupName --output text`,
      `cognito-idp admin-remove-user-from-group ${on} --group-name sectionStaff`,
      `cognito-idp admin-remove-user-from-group ${on} --group-name auditorDx`,
      `cognito-idp admin-add-user-to-group ${on} --group-name sectionManager`,
      `cognito-idp admin-add-user-to-group ${on} --group-name affairStaff`,
      `cognito-idp admin-user-global-sign-out ${on}`,
      `cognito-idp admin-enable-user ${on}`,
    ]);
  });

  it('stops at the first failing step and leaves the user disabled (never enabled with half the change)', () => {
    const { calls, ok } = run('kansa_transfer pool-1 hanako resident-tax noSuchGroup sectionManager');
    expect(ok).toBe(false);
    expect(calls.at(-1)).toMatch(/admin-add-user-to-group .* --group-name noSuchGroup$/);
    expect(calls.join('\n')).not.toMatch(/admin-enable-user|global-sign-out/);
  });
});
