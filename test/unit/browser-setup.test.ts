import { describe, expect, it } from 'vitest';
import { installCommand, planFor, sudoInstallCommand } from '#test/setup/browser.js';

/** What `npm test` does about the e2e tests' browser and font on a machine (test/setup/browser.ts). */
describe('the e2e browser set-up', () => {
  const ready = { chromium: true, font: true, root: false, aptGet: false };

  it('does nothing when Chromium and the font are there, whoever runs it', () => {
    expect(planFor(ready)).toEqual({ do: 'nothing' });
  });

  it('installs with apt-get as root when either is missing', () => {
    expect(planFor({ ...ready, chromium: false, root: true, aptGet: true })).toEqual({ do: 'install' });
    expect(planFor({ ...ready, font: false, root: true, aptGet: true })).toEqual({ do: 'install' });
  });

  it('otherwise stops at once, naming what is missing and the one command that fixes it', () => {
    const notRoot = planFor({ chromium: false, font: false, root: false, aptGet: true });
    expect(notRoot.do).toBe('fail');
    const message = notRoot.do === 'fail' ? notRoot.message : '';
    expect(message).toContain('Chromium (/usr/bin/chromium) and the Japanese font (fonts-ipafont-gothic)');
    expect(message).toContain('not root');
    expect(message).toContain(sudoInstallCommand);

    const noApt = planFor({ ...ready, font: false, root: true, aptGet: false });
    expect(noApt).toMatchObject({ do: 'fail', message: expect.stringContaining(installCommand) as string });
    expect(noApt.do === 'fail' && noApt.message).not.toContain('Chromium (');
  });

  it('is the command the README and TOOLING.md give', () => {
    expect(installCommand).toBe(
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-ipafont-gothic',
    );
  });
});
