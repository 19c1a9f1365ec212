/**
 * A git workspace for isolated runs (`run --worktree`, `pr`, the Action): the crash suites' five-phase scripted
 * workflow committed on `main`, with a local bare repository as its `origin` (holding `main`, so the remote's
 * default branch is known).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCrashWorkspace } from './crash-workspace.js';

export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=user@example.com', '-c', 'user.name=user', ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function isolatedWorkspace(): { top: string; remote: string } {
  const top = makeCrashWorkspace(0);
  gitIn(top, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(join(top, 'README.md'), 'committed\n');
  gitIn(top, 'add', '-A');
  gitIn(top, 'commit', '--quiet', '-m', 'first');
  return { top, remote: addBareOrigin(top) };
}

/** A local bare repository as `top`'s origin, holding its `main`; returns its path. */
export function addBareOrigin(top: string): string {
  const remote = join(mkdtempSync(join(tmpdir(), 'phasewise-origin-')), 'origin.git');
  gitIn(top, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  gitIn(top, 'remote', 'add', 'origin', remote);
  gitIn(top, 'push', '--quiet', 'origin', 'main');
  return remote;
}
