/**
 * A commit of the workspace's repository as it is now (tracked and untracked files, less ignored ones and
 * `.phasewise/`), whose parent is HEAD (none in a repository without a commit), made without touching the
 * user's index, HEAD, branches or files: `working-tree.ts` builds the tree, `git commit-tree` the commit, and no
 * ref points at it (the worktrees' branches keep it alive). It is the commit a fanned-out phase starts its items
 * at.
 *
 * The commit's id depends only on the content, HEAD, the message and `date` (author and committer are fixed): a
 * resumed run that snapshots an unchanged workspace again with the recorded date gets the same id.
 */
import { commitDates, git, tryGit } from './git.js';
import type { Repository } from './repository.js';
import { workingTreeOf } from './working-tree.js';

export interface SnapshotCommitOptions {
  message: string;
  /** Author and committer date; record it to make the same commit again on resume. */
  date: Date;
  signal?: AbortSignal;
}

export async function snapshotCommit(
  repository: Repository,
  options: SnapshotCommitOptions,
): Promise<string> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  // Independent: the tree and the parent are read side by side.
  const [tree, head] = await Promise.all([
    workingTreeOf(repository.top, options.signal),
    tryGit(repository.top, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], signal),
  ]);
  const parent = head.exitCode === 0 ? ['-p', head.stdout.trim()] : [];
  const commit = await git(repository.top, ['commit-tree', tree, ...parent, '-F', '-'], {
    ...signal,
    input: options.message,
    env: commitDates(options.date),
  });
  return commit.trim();
}
