/**
 * Everything changed in a worktree (tracked and untracked, less ignored files and `.phasewise/`) committed on its
 * branch, dated by the caller so a resume makes the same commit. Nothing changed: the current commit, and no
 * empty commit is made.
 */
import { commitDates, failure, git, tryGit } from './git.js';
import { WITHOUT_PHASEWISE } from './working-tree.js';

export interface CommitAllOptions {
  message: string;
  date: Date;
  signal?: AbortSignal;
}

/** Returns the id of the worktree's HEAD after committing. */
export async function commitAll(worktree: string, options: CommitAllOptions): Promise<string> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  await git(worktree, ['add', '-A', '--', '.', WITHOUT_PHASEWISE], signal);
  const args = ['commit', '--quiet', '--no-verify', '--cleanup=verbatim', '--allow-empty-message', '-F', '-'];
  const commit = await tryGit(worktree, args, {
    ...signal,
    input: options.message,
    env: commitDates(options.date),
  });
  // git refuses to commit nothing: that is the one failure that is not one (staged changes that failed are).
  if (commit.exitCode !== 0) {
    const staged = await git(worktree, ['diff', '--cached', '--name-only', '-z'], signal);
    if (staged !== '') throw failure(worktree, args, commit.stderr.trim() || commit.stdout.trim());
  }
  return (await git(worktree, ['rev-parse', 'HEAD'], signal)).trim();
}
