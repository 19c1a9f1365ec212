/**
 * The run's governing files and git metadata stay as they were: write and edit refuse them, and a command that
 * changes them is refused by the sandbox or has its change put back — either way it is told it failed.
 */
import { expect, it } from 'vitest';
import { GOVERNING, type Staged } from './staged.js';

export function describeGoverningCases(staged: () => Staged): void {
  it.each([
    ['write', '.git/config', { content: 'x' }],
    ['edit', '.git/config', { old: '[core]', new: 'x' }],
    ['write', 'ci/pw.yaml', { content: 'budget: 1000\n' }],
    ['edit', 'ci/pw.yaml', { old: 'budget: 1.00', new: 'budget: 1000' }],
  ] as const)('%s refuses %s, naming what it is', async (name, path, input) => {
    const { call, fixture, gitConfig } = staged();
    const before = gitConfig();
    const result = await call(name, { path, ...input });
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/which tools may not change/);
    expect(gitConfig()).toBe(before);
    expect(fixture.read('ci/pw.yaml')).toBe(GOVERNING);
  });

  it('run_command leaves .git and the governing files as they were, and the command ends as failed', async () => {
    const { call, fixture, gitConfig } = staged();
    const before = gitConfig();
    const result = await call('run_command', {
      command:
        'git config core.hooksPath /tmp/hooks; echo "budget: 1000" > ci/pw.yaml; mkdir -p .git/hooks; ' +
        'printf "#!/bin/sh\\n" > .git/hooks/pre-commit',
    });
    expect(result.isError).toBe(true);
    expect(gitConfig()).toBe(before);
    expect(fixture.read('ci/pw.yaml')).toBe(GOVERNING);
    expect(() => fixture.read('.git/hooks/pre-commit')).toThrow(/ENOENT/);
  });

  it('read still shows what .git holds', async () => {
    const { call } = staged();
    const result = await call('read', { path: '.git/HEAD' });
    expect(result.isError).toBe(false);
    expect(result.output).toMatch(/ref: refs\/heads\//);
  });
}
