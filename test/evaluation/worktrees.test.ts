/** Each eval run's isolated copy, on real git: a URL cloned once, worktrees at the task's commit, kept for a resume. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalTask } from '../../src/config/types.js';
import { ensureWorktree, localRepository } from '../../src/evaluation/worktrees.js';

function git(args: string[], cwd: string): string {
  return execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

function repository(): { repo: string; first: string } {
  const repo = mkdtempSync(join(tmpdir(), 'pwrepo'));
  writeFileSync(join(repo, 'a.txt'), 'one\n');
  git(['init', '--quiet'], repo);
  git(['add', '.'], repo);
  git(['commit', '--quiet', '-m', 'one'], repo);
  const first = git(['rev-parse', 'HEAD'], repo);
  writeFileSync(join(repo, 'a.txt'), 'two\n');
  git(['commit', '--quiet', '-am', 'two'], repo);
  return { repo, first };
}

const task = (repo: string, commit: string, remote = false): EvalTask => ({
  id: 't',
  file: '/tasks/t.yaml',
  text: 'x',
  repository: remote ? `file://${repo}` : repo,
  remote,
  commit,
  hiddenCheck: { command: 'true', timeoutMs: 1_000 },
});

describe('worktrees', () => {
  it('checks out the task’s commit, and keeps an existing worktree as it is (a resume works on in it)', () => {
    const { repo, first } = repository();
    const dir = mkdtempSync(join(tmpdir(), 'pwout'));
    const path = join(dir, 'w', 'abc123');
    ensureWorktree(task(repo, first), localRepository(task(repo, first), dir), path);
    expect(readFileSync(join(path, 'a.txt'), 'utf8')).toBe('one\n');
    writeFileSync(join(path, 'a.txt'), 'edited by the run\n');
    ensureWorktree(task(repo, first), repo, path);
    expect(readFileSync(join(path, 'a.txt'), 'utf8')).toBe('edited by the run\n');
  });

  it('replaces a half-made worktree (a kill during `git worktree add`)', () => {
    const { repo, first } = repository();
    const path = join(mkdtempSync(join(tmpdir(), 'pwout')), 'w', 'abc123');
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'partial'), '');
    ensureWorktree(task(repo, first), repo, path);
    expect(readFileSync(join(path, 'a.txt'), 'utf8')).toBe('one\n');
  });

  it('clones a URL once into the eval folder', () => {
    const { repo, first } = repository();
    const dir = mkdtempSync(join(tmpdir(), 'pwout'));
    const clone = localRepository(task(repo, first, true), dir);
    expect(clone.startsWith(join(dir, 'repos'))).toBe(true);
    writeFileSync(join(clone, '.git', 'marker'), '');
    expect(localRepository(task(repo, first, true), dir)).toBe(clone);
    expect(readFileSync(join(clone, '.git', 'marker'), 'utf8')).toBe('');
    const path = join(dir, 'w', 'def456');
    ensureWorktree(task(repo, first, true), clone, path);
    expect(readFileSync(join(path, 'a.txt'), 'utf8')).toBe('one\n');
  });

  it('names the task file and the commit when the commit is not there', () => {
    const { repo } = repository();
    const path = join(mkdtempSync(join(tmpdir(), 'pwout')), 'w', 'abc123');
    expect(() => ensureWorktree(task(repo, 'no-such-commit'), repo, path)).toThrow(
      /\/tasks\/t\.yaml: cannot check out commit no-such-commit of /,
    );
  });
});
