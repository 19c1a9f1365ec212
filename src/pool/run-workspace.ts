/**
 * A queued run's workspace on a worker: the run's repository fetched into `<work-dir>/<run-id>` (cloned the
 * first time, fetched after), on the branch `phasewise/<run-id>` — from the submitted commit, or from the
 * branch an earlier execution pushed (a run halted on one machine and approved goes on from there on another).
 * At the end of each execution the result is committed on that branch and pushed to the repository it came
 * from. `.phasewise/` (the run's artifacts) stays out of the commits.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBranchName } from '../util/run-branch.js';
import { git, tryGit } from '../worktree/git.js';

/** The branch a worker commits a run's work on: the same `phasewise/<run-id>` as an isolated run's. */
export function runBranch(runId: string): string {
  return runBranchName(runId);
}

export interface RunWorkspace {
  path: string;
  branch: string;
}

/** Throws a `WorktreeError` naming the git command and git's message when the repository cannot be fetched. */
export async function prepareRunWorkspace(options: {
  repo: string;
  ref: string;
  runId: string;
  workDir: string;
}): Promise<RunWorkspace> {
  const { repo, ref, runId } = options;
  const path = join(options.workDir, runId);
  const branch = runBranch(runId);
  if (!existsSync(join(path, '.git'))) {
    mkdirSync(options.workDir, { recursive: true });
    await git(options.workDir, ['clone', '--quiet', '--no-checkout', repo, path]);
    await appendFile(join(path, '.git', 'info', 'exclude'), '\n/.phasewise/\n');
  } else {
    await git(path, ['fetch', '--quiet', 'origin']);
  }
  // The run's artifacts (and a scripted provider's call log) go there, as in any workspace.
  mkdirSync(join(path, '.phasewise'), { recursive: true });
  const current = (await tryGit(path, ['symbolic-ref', '--quiet', '--short', 'HEAD'])).stdout.trim();
  if (current === branch) return { path, branch };
  const pushed = await tryGit(path, ['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}`]);
  if (pushed.exitCode === 0) {
    await git(path, ['checkout', '--quiet', '-B', branch, `origin/${branch}`]);
    return { path, branch };
  }
  // A commit or a tag as given; a branch as the remote has it (a fresh clone has only its default branch).
  const asGiven = await tryGit(path, ['checkout', '--quiet', '-B', branch, ref]);
  if (asGiven.exitCode !== 0) await git(path, ['checkout', '--quiet', '-B', branch, `origin/${ref}`]);
  return { path, branch };
}

/** Commits whatever the execution changed (if anything) and pushes the branch to the run's repository. */
export async function publishRunWorkspace(workspace: RunWorkspace, message: string): Promise<void> {
  await git(workspace.path, ['add', '--all']);
  const staged = await tryGit(workspace.path, ['diff', '--cached', '--quiet']);
  if (staged.exitCode !== 0) await git(workspace.path, ['commit', '--quiet', '-m', message]);
  await git(workspace.path, ['push', '--quiet', 'origin', `${workspace.branch}:${workspace.branch}`]);
}
