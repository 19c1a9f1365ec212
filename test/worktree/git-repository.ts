/**
 * Real git repositories in temporary folders for the worktree tests: made with a first commit, written to, and
 * asked about with plain git (the user's view, not the layer's).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function temporaryFolder(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-worktree-test-')));
  created.push(dir);
  return dir;
}

export function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

export function read(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=user@example.com', '-c', 'user.name=user', ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A repository with `files` committed on `main`. */
export function repositoryWith(files: Record<string, string | Buffer>): string {
  const dir = temporaryFolder();
  git(dir, 'init', '--quiet', '--initial-branch=main');
  write(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', 'first');
  return dir;
}

/** What the user sees: `git status --porcelain` with untracked files listed one by one. */
export function status(dir: string): string {
  return git(dir, '--no-optional-locks', 'status', '--porcelain', '--untracked-files=all');
}

export function head(dir: string): string {
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** The file names in a commit, sorted. */
export function filesOf(dir: string, commit: string): string[] {
  return git(dir, 'ls-tree', '-r', '--name-only', commit).split('\n').filter(Boolean).sort();
}

export const DATE = new Date('2026-01-02T03:04:05Z');
