/**
 * `phasewise clean [--dry-run] [--include-resumable]`: removes the git worktrees and `phasewise-lanes/<run>/…` branches
 * that runs which are over left in the workspace (see `run-worktrees.ts` for which runs those are), says what went
 * and the disk space freed, and has git forget worktrees whose folders are gone. A running or halted run's
 * worktrees stay; so do a resumable run's, unless `--include-resumable` ends it (as aborted) first. The runs'
 * statuses come from the journal the workspace's runs use: the shared Postgres one when `--database-url` or the
 * configuration (`journal: { kind: postgres }`) names it, else the workspace's SQLite file — a run known only to
 * the shared journal is never taken for one "unknown", whose leftovers would go.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '../../journal/index.js';
import { bytes, jsonWithMoney } from '../../util/format.js';
import {
  cleanDeadRuns,
  isolatedRuns,
  pruneWorktrees,
  removeIsolatedWorktree,
  removeRunWorktrees,
  requireRepository,
  runsWithBranches,
} from '../../worktree/index.js';
import { type JournalOptions, locateJournal, openJournalFor, sharedDatabaseUrl } from '../journal-choice.js';
import {
  abandonRun,
  isDeadRun,
  isResumableRun,
  type RunWorktrees,
  runStatus,
  runWorktrees,
} from '../run-worktrees.js';
import type { WorkspaceOptions } from '../workspace.js';

export interface CleanOptions extends WorkspaceOptions, JournalOptions {
  dryRun?: boolean;
  includeResumable?: boolean;
  json?: boolean;
}

interface Cleaned {
  runId: string;
  status: string;
  worktrees: number;
  bytes: number;
}

export async function cleanCommand(options: CleanOptions): Promise<number> {
  const { workspace, settings } = locateJournal(options);
  const dryRun = options.dryRun === true;
  const ending = options.includeResumable === true;
  const journal =
    sharedDatabaseUrl(settings, options) !== undefined ||
    existsSync(join(workspace, '.phasewise', 'journal.db'))
      ? await openJournalFor(workspace, settings, options, ending && !dryRun ? 'write' : 'read')
      : undefined;
  try {
    const repository = await requireRepository(workspace, 'clean').catch(() => undefined);
    const removable = async (runId: string) =>
      (await isDeadRun(journal, runId)) || (ending && (await isResumableRun(journal, runId)));
    const runs = await runWorktrees(workspace, journal);
    const cleaned: Cleaned[] = (await keep(runs, (run) => removable(run.runId))).map(
      ({ runId, status, count, bytes }) => ({ runId, status, worktrees: count, bytes }),
    );
    // Branches of this journal's runs whose worktrees are already gone.
    const withFolders = new Set(runs.map((run) => run.runId));
    const branchOnly =
      repository === undefined || journal === undefined
        ? []
        : await keep(
            (await runsWithBranches(repository)).filter((runId) => !withFolders.has(runId)),
            async (runId) => (await journal.getRun(runId)) !== undefined && (await removable(runId)),
          );
    for (const runId of branchOnly) {
      cleaned.push({ runId, status: await runStatus(journal, runId), worktrees: 0, bytes: 0 });
    }
    let kept = await keep(runs, async (run) => !(await removable(run.runId)));
    // Isolated runs' worktrees (`run --worktree`); their branches are their results and stay.
    const isolated = await keep(await isolatedRuns(workspace), removable);
    if (!dryRun && repository !== undefined) {
      if (journal !== undefined) await endResumable(journal, cleaned);
      for (const runId of isolated) {
        if (journal !== undefined && (await isResumableRun(journal, runId))) await abandonRun(journal, runId);
        if (await isDeadRun(journal, runId)) await removeIsolatedWorktree(repository, runId);
      }
      // A resumable run another process took meanwhile was not ended: it stays.
      kept = await keep(runs, async (run) => !(await isDeadRun(journal, run.runId)));
      const gone = await keep(cleaned, (run) => isDeadRun(journal, run.runId));
      const freed = new Map(
        (await cleanDeadRuns(repository, (runId) => isDeadRun(journal, runId))).map((run) => [
          run.runId,
          run.bytes,
        ]),
      );
      for (const { runId } of gone)
        if (branchOnly.includes(runId)) await removeRunWorktrees(repository, runId);
      await pruneWorktrees(repository);
      for (const run of gone) run.bytes = freed.get(run.runId) ?? run.bytes;
      print(gone, kept, options, await keep(isolated, (runId) => isDeadRun(journal, runId)));
    } else {
      print(cleaned, kept, options, isolated);
    }
    return 0;
  } finally {
    await journal?.close();
  }
}

/** The entries `wanted` says yes to, in order. */
async function keep<T>(entries: readonly T[], wanted: (entry: T) => Promise<boolean>): Promise<T[]> {
  const answers = await Promise.all(entries.map(wanted));
  return entries.filter((_, index) => answers[index]);
}

/** Ends each resumable run about to be cleaned as aborted (unless another process holds it). */
async function endResumable(journal: Journal, cleaned: Cleaned[]): Promise<void> {
  for (const run of cleaned) {
    if (await isResumableRun(journal, run.runId)) await abandonRun(journal, run.runId);
  }
}

function print(cleaned: Cleaned[], kept: RunWorktrees[], options: CleanOptions, isolated: string[]): void {
  const dryRun = options.dryRun === true;
  const total = cleaned.reduce((sum, run) => sum + run.bytes, 0);
  if (options.json === true) {
    const keptRuns = kept.map(({ runId, status, count, bytes }) => ({
      runId,
      status,
      worktrees: count,
      bytes,
    }));
    const json = { dryRun, removed: cleaned, bytes: total, kept: keptRuns, isolatedWorktrees: isolated };
    process.stdout.write(`${jsonWithMoney(json)}\n`);
    return;
  }
  const lines: string[] = [];
  if (cleaned.length === 0 && isolated.length === 0)
    lines.push('nothing to clean: no worktrees or branches of runs that are over');
  for (const runId of isolated) {
    lines.push(
      `${dryRun ? 'would remove' : 'removed'} run ${runId}'s isolated worktree (its branch phasewise/${runId} stays)`,
    );
  }
  for (const run of cleaned) {
    const what = run.worktrees === 0 ? 'its branches' : `${run.worktrees} worktree(s), ${bytes(run.bytes)}`;
    lines.push(`${dryRun ? 'would remove' : 'removed'} run ${run.runId} (${run.status}): ${what}`);
  }
  if (cleaned.length > 0) lines.push(`${dryRun ? 'would free' : 'freed'} ${bytes(total)}`);
  for (const run of kept) {
    const why = run.resumable
      ? `; \`phasewise resume ${run.runId}\` goes on in them, \`phasewise clean --include-resumable\` ends the run and removes them`
      : '';
    lines.push(`kept run ${run.runId} (${run.status}): ${run.count} worktree(s), ${bytes(run.bytes)}${why}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
