/**
 * An isolated run's worktree (`run --worktree`): the whole repository checked out at the current commit in
 * `<workspace>/.phasewise/isolated/<run-id>`, where the run works instead of the user's working tree, which no
 * step of it touches. The worktree stays on a detached HEAD while the run works (the branch would name work that
 * has not passed); once the run succeeds its work is committed and the branch `phasewise/<run-id>` made at that
 * commit. A fanned-out phase's lanes branch under `phasewise-lanes/`, apart from it.
 * The folder ignores itself in git, as the fan-out worktrees' does.
 */
import { lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBranchName } from '../util/run-branch.js';
import { commitAll } from './commit-all.js';
import { git, tryGit } from './git.js';
import { isSafeSegment } from './layout.js';
import { oneRegistrationAtATime } from './registrations.js';
import { type Repository, workspaceIn } from './repository.js';

export const ISOLATED_DIRECTORY = join('.phasewise', 'isolated');

export function isolatedWorktreePath(workspace: string, runId: string): string {
  return join(workspace, ISOLATED_DIRECTORY, runId);
}

export interface IsolatedWorktree {
  /** The top of the worktree. */
  path: string;
  /** The workspace's folder inside it: where the run works. */
  workspace: string;
  /** The commit it started from (the user's HEAD). */
  base: string;
}

/** Makes the run's worktree at the repository's HEAD; one already there (a resume) is kept as it is. */
export async function createIsolatedWorktree(
  repository: Repository,
  runId: string,
): Promise<IsolatedWorktree> {
  const path = isolatedWorktreePath(repository.workspace, runId);
  const base = (await git(repository.top, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
  if ((await lstat(join(path, '.git')).catch(() => undefined)) === undefined) {
    await mkdir(join(repository.workspace, ISOLATED_DIRECTORY), { recursive: true });
    await writeFile(join(repository.workspace, ISOLATED_DIRECTORY, '.gitignore'), '*\n').catch(
      () => undefined,
    );
    await oneRegistrationAtATime(repository.top, () =>
      git(repository.top, ['worktree', 'add', '--quiet', '--detach', path, base]),
    );
  }
  return { path, workspace: workspaceIn(path, repository), base };
}

/**
 * Commits everything the run changed in its worktree (`.phasewise/` left out; nothing changed, no commit) and
 * puts the branch `phasewise/<run-id>` there. Returns the branch and the commit.
 */
export async function commitIsolatedRun(
  /** The run's workspace: the worktree, or the workspace's folder inside it. */
  workspace: string,
  runId: string,
  options: { message: string; date: Date },
): Promise<{ branch: string; commit: string }> {
  const worktree = (await git(workspace, ['rev-parse', '--show-toplevel'])).trim();
  const commit = await commitAll(worktree, options);
  const branch = runBranchName(runId);
  await git(worktree, ['checkout', '--quiet', '-B', branch, commit]);
  return { branch, commit };
}

/** The run ids with an isolated worktree folder in the workspace, sorted. */
export async function isolatedRuns(workspace: string): Promise<string[]> {
  const entries = await readdir(join(workspace, ISOLATED_DIRECTORY), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && isSafeSegment(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** Removes the run's worktree (never its branch: that is the run's result, for `phasewise pr`). */
export async function removeIsolatedWorktree(repository: Repository, runId: string): Promise<void> {
  const path = isolatedWorktreePath(repository.workspace, runId);
  const removed = await tryGit(repository.top, ['worktree', 'remove', '--force', '--force', path]);
  if (removed.exitCode !== 0) {
    await rm(path, { recursive: true, force: true });
    await git(repository.top, ['worktree', 'prune']);
  }
}

/**
 * How many paths `git status` lists as changed or untracked in the user's working tree: what an isolated run
 * leaves out. Through the project's git runner (no hooks, no fsmonitor), and without optional locks, so git
 * does not rewrite the user's index to refresh it. 0 when git cannot tell.
 */
export async function uncommittedChanges(top: string): Promise<number> {
  const status = await tryGit(top, ['status', '--porcelain', '-z'], { env: { GIT_OPTIONAL_LOCKS: '0' } });
  return status.exitCode === 0 ? status.stdout.split('\0').filter((entry) => entry !== '').length : 0;
}
