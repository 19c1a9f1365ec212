/**
 * Merging two commits without a worktree: `git merge-tree --write-tree` (git 2.38 or later) computes the merged
 * tree in the object store alone, and `git commit-tree` makes the merge commit (parents `head`, then `commit`;
 * dated by the caller, so the same merge makes the same commit), which a branch is then set to so the commit
 * stays reachable. No file is checked out, so a clean merge costs three git calls, whatever the repository's size.
 *
 * A conflict is not resolved here: the caller gets `conflict` and merges in a worktree, where git leaves the
 * conflicting files for a merge turn. An older git that has no `--write-tree` answers the same way.
 */
import { commitDates, failure, git, tryGit } from './git.js';

export interface MergeCommitsOptions {
  message: string;
  date: Date;
  /** The branch (`refs/heads/…`) set to the merge commit. */
  branch: string;
  signal?: AbortSignal;
}

export type CommitsMerged = { merged: true; commit: string } | { merged: false };

export async function mergeCommits(
  top: string,
  head: string,
  commit: string,
  options: MergeCommitsOptions,
): Promise<CommitsMerged> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const args = ['merge-tree', '--write-tree', '--no-messages', head, commit];
  const merge = await tryGit(top, args, signal);
  // 1: the merge conflicts; 129 and the like: a git without --write-tree. Either way a worktree merge decides.
  if (merge.exitCode !== 0) return { merged: false };
  const tree = merge.stdout.split('\n')[0]?.trim() ?? '';
  if (!/^[0-9a-f]{40,64}$/.test(tree)) throw failure(top, args, `no tree id in its output: ${merge.stdout}`);
  const made = await git(top, ['commit-tree', tree, '-p', head, '-p', commit, '-F', '-'], {
    ...signal,
    input: `${options.message}\n`,
    env: commitDates(options.date),
  });
  const merged = made.trim();
  await git(top, ['update-ref', `refs/heads/${options.branch}`, merged], signal);
  return { merged: true, commit: merged };
}
