/**
 * Merging a finished item into the phase's merge worktree (`git merge --no-ff`, so each item's merge is a commit
 * of its own, dated by the caller). A conflict is left in place, as git leaves it (files with `<<<<<<<` markers
 * and the common ancestor, `|||||||`, unmerged in the index), for a merge turn to resolve and `concludeMerge` to
 * commit, or for `abortMerge` to undo.
 */
import { WorktreeError } from '../errors/index.js';
import { commitDates, failure, git, nulSeparated, tryGit } from './git.js';

export type MergeOutcome = { merged: true; commit: string } | { merged: false; conflicts: string[] };

export interface MergeOptions {
  message: string;
  date: Date;
  signal?: AbortSignal;
}

export async function mergeBranch(
  mergeWorktree: string,
  commit: string,
  options: MergeOptions,
): Promise<MergeOutcome> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  if (await mergeInProgress(mergeWorktree, options.signal)) {
    throw new WorktreeError(
      'merge_unresolved',
      `a merge is still in progress in ${mergeWorktree}: conclude it or abort it before merging ${commit}`,
      { files: await unmergedPaths(mergeWorktree, options.signal) },
    );
  }
  const args = [
    'merge',
    '--no-ff',
    '--no-edit',
    '--no-verify',
    '--cleanup=verbatim',
    '-m',
    options.message,
    commit,
  ];
  const merge = await tryGit(mergeWorktree, args, { ...signal, env: commitDates(options.date) });
  if (merge.exitCode === 0) {
    return { merged: true, commit: (await git(mergeWorktree, ['rev-parse', 'HEAD'], signal)).trim() };
  }
  const conflicts = await unmergedPaths(mergeWorktree, options.signal);
  if (conflicts.length === 0 || !(await mergeInProgress(mergeWorktree, options.signal))) {
    // Not a conflict (a file in the way, a commit git does not know): git changed nothing.
    throw failure(mergeWorktree, args, merge.stderr.trim() || merge.stdout.trim());
  }
  return { merged: false, conflicts };
}

/** Undoes a merge in progress (files and index back to the last commit); nothing to undo is not an error. */
export async function abortMerge(mergeWorktree: string, signal?: AbortSignal): Promise<void> {
  if (!(await mergeInProgress(mergeWorktree, signal))) return;
  await git(mergeWorktree, ['merge', '--abort'], signal === undefined ? {} : { signal });
}

export async function mergeInProgress(worktree: string, signal?: AbortSignal): Promise<boolean> {
  const head = await tryGit(
    worktree,
    ['rev-parse', '--verify', '--quiet', 'MERGE_HEAD'],
    signal === undefined ? {} : { signal },
  );
  return head.exitCode === 0;
}

/** Paths git still holds as unmerged, sorted. */
export async function unmergedPaths(worktree: string, signal?: AbortSignal): Promise<string[]> {
  const output = await git(
    worktree,
    ['diff', '--name-only', '--diff-filter=U', '-z'],
    signal === undefined ? {} : { signal },
  );
  return [...new Set(nulSeparated(output))].sort();
}
