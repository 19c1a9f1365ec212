/**
 * `phasewise clean [--dry-run]`: removes the git worktrees and `phasewise/<run>/…` branches that runs which are
 * over left in the workspace (see `run-worktrees.ts` for which runs those are), says what went and the disk space
 * freed, and has git forget worktrees whose folders are gone. A running or halted run's worktrees stay.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '../../journal/index.js';
import { bytes, jsonWithMoney } from '../../util/format.js';
import {
  cleanDeadRuns,
  pruneWorktrees,
  type Repository,
  removeRunWorktrees,
  requireRepository,
  runsWithBranches,
} from '../../worktree/index.js';
import { isDeadRun, runStatus, runWorktrees } from '../run-worktrees.js';
import { locateWorkspace, openExistingJournal, type WorkspaceOptions } from '../workspace.js';

export interface CleanOptions extends WorkspaceOptions {
  dryRun?: boolean;
  json?: boolean;
}

interface Cleaned {
  runId: string;
  status: string;
  worktrees: number;
  bytes: number;
}

export async function cleanCommand(options: CleanOptions): Promise<number> {
  const workspace = locateWorkspace(options);
  const journal = existsSync(join(workspace, '.phasewise', 'journal.db'))
    ? openExistingJournal(workspace, 'read')
    : undefined;
  try {
    const repository = await requireRepository(workspace, 'clean').catch(() => undefined);
    const runs = await runWorktrees(workspace, journal);
    const dead = runs.filter((run) => run.dead);
    const kept = runs.filter((run) => !run.dead);
    const cleaned: Cleaned[] = dead.map(({ runId, status, count, bytes }) => ({
      runId,
      status,
      worktrees: count,
      bytes,
    }));
    // Branches of this journal's runs that are over, whose worktrees are already gone.
    const branchOnly =
      repository === undefined
        ? []
        : await leftBranches(repository, journal, new Set(runs.map((r) => r.runId)));
    for (const runId of branchOnly) {
      cleaned.push({ runId, status: runStatus(journal, runId), worktrees: 0, bytes: 0 });
    }
    if (options.dryRun !== true && repository !== undefined) {
      const freed = new Map(
        (await cleanDeadRuns(repository, (runId) => isDeadRun(journal, runId))).map((run) => [
          run.runId,
          run.bytes,
        ]),
      );
      for (const runId of branchOnly) await removeRunWorktrees(repository, runId);
      await pruneWorktrees(repository);
      for (const run of cleaned) run.bytes = freed.get(run.runId) ?? run.bytes;
    }
    print(cleaned, kept, options);
    return 0;
  } finally {
    journal?.close();
  }
}

async function leftBranches(
  repository: Repository,
  journal: Journal | undefined,
  withFolders: Set<string>,
): Promise<string[]> {
  if (journal === undefined) return [];
  return (await runsWithBranches(repository)).filter(
    (runId) => !withFolders.has(runId) && journal.getRun(runId) !== undefined && isDeadRun(journal, runId),
  );
}

function print(
  cleaned: Cleaned[],
  kept: Awaited<ReturnType<typeof runWorktrees>>,
  options: CleanOptions,
): void {
  const dryRun = options.dryRun === true;
  const total = cleaned.reduce((sum, run) => sum + run.bytes, 0);
  if (options.json === true) {
    const keptRuns = kept.map(({ runId, status, count, bytes }) => ({
      runId,
      status,
      worktrees: count,
      bytes,
    }));
    process.stdout.write(`${jsonWithMoney({ dryRun, removed: cleaned, bytes: total, kept: keptRuns })}\n`);
    return;
  }
  const lines: string[] = [];
  if (cleaned.length === 0) lines.push('nothing to clean: no worktrees or branches of runs that are over');
  for (const run of cleaned) {
    const what = run.worktrees === 0 ? 'its branches' : `${run.worktrees} worktree(s), ${bytes(run.bytes)}`;
    lines.push(`${dryRun ? 'would remove' : 'removed'} run ${run.runId} (${run.status}): ${what}`);
  }
  if (cleaned.length > 0) lines.push(`${dryRun ? 'would free' : 'freed'} ${bytes(total)}`);
  for (const run of kept) {
    lines.push(`kept run ${run.runId} (${run.status}): ${run.count} worktree(s), ${bytes(run.bytes)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
