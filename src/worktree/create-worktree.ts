/**
 * A worktree for one work item (or a phase's merge) at a given commit, on its own branch, under the workspace's
 * `.phasewise/worktrees/`. Idempotent, for a resume: a worktree already at that path is reset to the commit
 * (tracked changes dropped, untracked and ignored files removed, a merge in progress abandoned); a folder left
 * half-made, or a registration whose folder is gone, is replaced by a fresh worktree. The branch is (re)set to
 * the commit either way.
 */
import { lstat, mkdir, realpath, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { git, tryGit } from './git.js';
import { branchName, ignoreWorktreesInGit, type WorktreeName, worktreePath } from './layout.js';
import { oneRegistrationAtATime } from './registrations.js';
import type { Repository } from './repository.js';

export interface CreateWorktreeOptions extends WorktreeName {
  repository: Repository;
  /** The commit the worktree starts at (from `snapshotCommit`, an item's result, a merge). */
  commit: string;
  signal?: AbortSignal;
}

/** Returns the worktree's path (the top of the worktree; an item's workspace is `workspaceIn` it). */
export async function createWorktree(options: CreateWorktreeOptions): Promise<string> {
  const { repository } = options;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const path = worktreePath(repository.workspace, options);
  const branch = branchName(options);
  const commit = `${options.commit}^{commit}`;
  if (await isWorktreeAt(path, options.signal)) {
    await git(path, ['reset', '--quiet', '--hard'], signal);
    await git(path, ['checkout', '--quiet', '--force', '-B', branch, commit], signal);
    await git(path, ['clean', '-ffdxq'], signal);
    return path;
  }
  await oneRegistrationAtATime(repository.top, () => addWorktree(options, path, branch, commit));
  await git(path, ['reset', '--quiet', '--hard'], signal);
  return path;
}

async function addWorktree(options: CreateWorktreeOptions, path: string, branch: string, commit: string) {
  const { repository } = options;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  await rm(path, { recursive: true, force: true });
  await mkdir(dirname(path), { recursive: true });
  await ignoreWorktreesInGit(repository.workspace);
  // --force: a path git still holds as a missing worktree is taken over all the same. --no-checkout: only the
  // registration waits for the others; the files are checked out after it, side by side with other lanes.
  const add = ['worktree', 'add', '--quiet', '--force', '--no-checkout', '-B', branch, path, commit];
  const added = await tryGit(repository.top, add, signal);
  if (added.exitCode !== 0) {
    // A registration for this path whose folder is gone (removed by hand, or half-made above) can keep the
    // branch checked out there: dropped (no error when there is none), then added again.
    await tryGit(repository.top, ['worktree', 'remove', '--force', '--force', path], signal);
    await rm(path, { recursive: true, force: true });
    await git(repository.top, add, signal);
  }
}

/** Whether `path` is the top of a working git worktree (its `.git` file and its registration both intact). */
async function isWorktreeAt(path: string, signal?: AbortSignal): Promise<boolean> {
  const marker = await lstat(join(path, '.git')).catch(() => undefined);
  if (marker === undefined || !marker.isFile()) return false;
  const top = await tryGit(path, ['rev-parse', '--show-toplevel'], signal === undefined ? {} : { signal });
  if (top.exitCode !== 0) return false;
  return (await realpath(top.stdout.trim()).catch(() => '')) === (await realpath(path));
}
