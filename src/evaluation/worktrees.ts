/**
 * Each run's isolated copy: a detached git worktree of the task's repository at the task's commit, under the
 * eval's folder. A repository given as a URL is cloned once into the folder and shared by its tasks' worktrees.
 * Paths stay short (DIR/w/<6 hex>): they appear in every prompt and every report.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalTask } from '../config/types.js';
import { UsageError } from '../errors/index.js';

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function gitFailure(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  return (typeof stderr === 'string' && stderr.trim() !== '' ? stderr : String(error)).trim().split('\n')[0]!;
}

/** The local repository a task's worktrees are made from: the path itself, or the clone of its URL. */
export function localRepository(task: EvalTask, dir: string): string {
  if (!task.remote) return task.repository;
  const clone = join(dir, 'repos', shortHash(task.repository));
  if (existsSync(join(clone, 'HEAD')) || existsSync(join(clone, '.git'))) return clone;
  rmSync(clone, { recursive: true, force: true });
  try {
    execFileSync('git', ['clone', '--quiet', '--no-checkout', task.repository, clone], { stdio: 'pipe' });
  } catch (error) {
    throw new UsageError(`${task.file}: cannot clone ${task.repository}: ${gitFailure(error)}`, {
      hint: 'check the repository URL and that git can reach it',
    });
  }
  return clone;
}

/**
 * The run's worktree at `path`: kept as it is when it exists already (an interrupted run resumes in it), else
 * made afresh (a half-made one, from a kill during `git worktree add`, is removed first).
 */
export function ensureWorktree(
  task: Pick<EvalTask, 'file' | 'commit' | 'repository'>,
  repository: string,
  path: string,
): void {
  if (existsSync(join(path, '.git'))) return;
  rmSync(path, { recursive: true, force: true });
  try {
    git(['worktree', 'prune'], repository);
    git(['worktree', 'add', '--quiet', '--detach', path, `${task.commit}^{commit}`], repository);
  } catch (error) {
    throw new UsageError(
      `${task.file}: cannot check out commit ${task.commit} of ${task.repository}: ${gitFailure(error)}`,
      { hint: 'the repository must be a git repository holding that commit (a hash, tag or branch)' },
    );
  }
}
