/**
 * Where `compare` re-runs a task from: the git repository holding the original run's workspace, at a commit
 * (HEAD unless asked otherwise), and the workspace's place inside it (a workspace may be a subfolder). Whether the
 * workspace has uncommitted changes is said, not refused: the original run's own changes are usually among them,
 * and the re-run must start without them.
 */
import { execFileSync } from 'node:child_process';
import { UsageError } from '../errors/index.js';

export interface CompareSource {
  /** The repository's top folder. */
  root: string;
  /** The workspace's path inside it, with a trailing slash, or '' at the top. */
  prefix: string;
  /** The full hash the re-run starts from. */
  commit: string;
  /** Whether the workspace holds changes (tracked or untracked, not ignored) that are not in HEAD. */
  uncommitted: boolean;
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function compareSource(workspace: string, ref: string): CompareSource {
  let root: string;
  let prefix: string;
  try {
    root = git(['rev-parse', '--show-toplevel'], workspace);
    prefix = git(['rev-parse', '--show-prefix'], workspace);
  } catch {
    throw new UsageError(
      `${workspace} is not in a git repository: compare re-runs the task in a git worktree of it`,
      {
        hint: "commit the workspace as it was before the run (git init && git add -A && git commit -m start, after undoing the run's changes), then compare again",
      },
    );
  }
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], workspace);
  } catch {
    throw new UsageError(`${ref} is not a commit of the repository at ${root}`, {
      hint:
        ref === 'HEAD'
          ? 'the repository has no commit yet: commit the workspace as it was before the run, then compare again'
          : 'give --commit a hash, tag or branch of that repository',
    });
  }
  const status = git(['status', '--porcelain', '--untracked-files=normal', '--', '.'], workspace);
  return { root, prefix, commit, uncommitted: status !== '' };
}
