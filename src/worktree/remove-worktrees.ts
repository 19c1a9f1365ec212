/**
 * Taking worktrees away again: one worktree with its branch, those of one phase of a run (a finished fan-out),
 * every worktree and branch of a run (an aborted run, a finished one), and for `phasewise clean` those of runs
 * that are over. Git's registration of each worktree goes with it; a worktree whose folder is already gone, or a
 * branch already deleted, is no error.
 */
import { readdir, rm } from 'node:fs/promises';
import { git, nulSeparated, tryGit } from './git.js';
import {
  BRANCH_NAMESPACE,
  branchName,
  LEGACY_BRANCH_NAMESPACE,
  phaseWorktrees,
  runWorktrees,
  type WorktreeName,
  worktreePath,
} from './layout.js';
import { listWorktrees, runsWithWorktrees } from './list-worktrees.js';
import type { Repository } from './repository.js';

export async function removeWorktree(
  repository: Repository,
  worktree: WorktreeName,
  signal?: AbortSignal,
): Promise<void> {
  const options = signal === undefined ? {} : { signal };
  const path = worktreePath(repository.workspace, worktree);
  // --force twice: a worktree with changes, or locked, goes too; a missing folder only loses its registration.
  const removed = await tryGit(repository.top, ['worktree', 'remove', '--force', '--force', path], options);
  if (removed.exitCode !== 0) {
    await rm(path, { recursive: true, force: true });
    await git(repository.top, ['worktree', 'prune'], options);
  }
  await tryGit(repository.top, ['branch', '--quiet', '-D', branchName(worktree)], options);
}

/** Removes every worktree and branch of the run (an abort, `clean`); returns the bytes the worktrees took. */
export async function removeRunWorktrees(
  repository: Repository,
  runId: string,
  signal?: AbortSignal,
): Promise<number> {
  const bytes = await removeMatching(repository, { runId }, signal);
  // The folder goes last: a removal cut off half-way is found again by the next `cleanDeadRuns`.
  await rm(runWorktrees(repository.workspace, runId), { recursive: true, force: true });
  return bytes;
}

/**
 * Removes the worktrees and branches of one phase of the run (a finished fan-out), leaving those of its other
 * phases, which may still be needed to resume them; the run's folder goes too once nothing is left in it.
 * Returns the bytes the worktrees took.
 */
export async function removePhaseWorktrees(
  repository: Repository,
  runId: string,
  phaseId: string,
  signal?: AbortSignal,
): Promise<number> {
  const bytes = await removeMatching(repository, { runId, phaseId }, signal);
  const run = runWorktrees(repository.workspace, runId);
  await rm(phaseWorktrees(repository.workspace, runId, phaseId), { recursive: true, force: true });
  if ((await readdir(run).catch(() => ['?'])).length === 0) await rm(run, { recursive: true, force: true });
  return bytes;
}

/** Removes the worktrees of a run, or of one of its phases, and every branch of theirs, even one without a worktree. */
async function removeMatching(
  repository: Repository,
  scope: { runId: string; phaseId?: string },
  signal?: AbortSignal,
): Promise<number> {
  const options = signal === undefined ? {} : { signal };
  const within = (runId: string, phaseId: string) =>
    runId === scope.runId && (scope.phaseId === undefined || phaseId === scope.phaseId);
  const worktrees = (await listWorktrees(repository.workspace)).filter((entry) =>
    within(entry.runId, entry.phaseId),
  );
  let bytes = 0;
  for (const entry of worktrees) {
    bytes += entry.bytes;
    await removeWorktree(repository, entry, signal);
  }
  for (const branch of await phasewiseBranches(repository, signal)) {
    const [, runId = '', phaseId = ''] = branch.split('/');
    // `phasewise/<run-id>` alone is an isolated run's result (`run --worktree`), not a lane's: it stays.
    if (phaseId !== '' && within(runId, phaseId))
      await tryGit(repository.top, ['branch', '--quiet', '-D', branch], options);
  }
  return bytes;
}

export interface CleanedRun {
  runId: string;
  bytes: number;
}

/**
 * Removes the worktrees and branches of every run with a worktrees folder in this workspace that `isFinished`
 * says is over (a finished run, or one that can no longer be resumed); those of runs that may still resume stay.
 * Runs are found by their folders, not by branches, since another workspace in the same repository has branches
 * of its own runs.
 */
export async function cleanDeadRuns(
  repository: Repository,
  isFinished: (runId: string) => boolean | Promise<boolean>,
  signal?: AbortSignal,
): Promise<CleanedRun[]> {
  const cleaned: CleanedRun[] = [];
  for (const runId of await runsWithWorktrees(repository.workspace)) {
    if (!(await isFinished(runId))) continue;
    cleaned.push({ runId, bytes: await removeRunWorktrees(repository, runId, signal) });
  }
  return cleaned;
}

/** Forgets worktrees git has registered whose folders are gone (`git worktree prune`). */
export async function pruneWorktrees(repository: Repository, signal?: AbortSignal): Promise<void> {
  await git(repository.top, ['worktree', 'prune'], signal === undefined ? {} : { signal });
}

/** The run ids that have lane branches in the repository, sorted (any workspace's runs). */
export async function runsWithBranches(repository: Repository, signal?: AbortSignal): Promise<string[]> {
  const lanes = (await phasewiseBranches(repository, signal)).filter(
    (branch) => branch.split('/').length > 2,
  );
  const runs = lanes.map((branch) => branch.split('/')[1] ?? '');
  return [...new Set(runs.filter((runId) => runId !== ''))].sort();
}

/** Branches under `phasewise-lanes/`, and under `phasewise/` where lanes' branches were made before, as short names. */
async function phasewiseBranches(repository: Repository, signal?: AbortSignal): Promise<string[]> {
  const args = [
    'for-each-ref',
    '--format=%(refname:short)%00',
    `refs/heads/${BRANCH_NAMESPACE}/`,
    `refs/heads/${LEGACY_BRANCH_NAMESPACE}/`,
  ];
  const output = await git(repository.top, args, signal === undefined ? {} : { signal });
  return nulSeparated(output.replaceAll('\n', ''));
}
