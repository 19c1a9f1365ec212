/**
 * The worktrees fanned-out phases left in a workspace, run by run, and whether each run still needs them. A run
 * that is running, or halted waiting for a person (approve, reject or abort), keeps its worktrees; every other
 * run — succeeded, failed, aborted, out of budget or time, interrupted (its process gone), or unknown to the
 * journal — is over for them: a resume recreates a lane's worktree from its recorded commit.
 */
import type { Journal } from '../journal/index.js';
import { liveStatus } from '../report/index.js';
import { listWorktrees, removeRunWorktrees, requireRepository } from '../worktree/index.js';

export interface RunWorktrees {
  runId: string;
  /** How many worktrees the run has on disk. */
  count: number;
  bytes: number;
  /** The run's live status; `unknown` when the journal has no such run. */
  status: string;
  /** Nobody needs them any more: `phasewise clean` removes them. */
  dead: boolean;
}

/** The statuses whose worktrees are kept: the run goes on, now or once a person answers. */
const KEEPING = new Set(['running', 'halted']);

export function isDeadRun(journal: Journal | undefined, runId: string): boolean {
  return !KEEPING.has(runStatus(journal, runId));
}

/** The run's live status, or `unknown` when the journal has no such run. */
export function runStatus(journal: Journal | undefined, runId: string): string {
  const run = journal?.getRun(runId);
  return run === undefined ? 'unknown' : liveStatus(journal!, run);
}

/** Every run with worktrees in the workspace, in run id order; none when there is no worktrees folder. */
export async function runWorktrees(workspace: string, journal: Journal | undefined): Promise<RunWorktrees[]> {
  const byRun = new Map<string, RunWorktrees>();
  for (const entry of await listWorktrees(workspace)) {
    let run = byRun.get(entry.runId);
    if (run === undefined) {
      const status = runStatus(journal, entry.runId);
      run = { runId: entry.runId, count: 0, bytes: 0, status, dead: !KEEPING.has(status) };
      byRun.set(entry.runId, run);
    }
    run.count += 1;
    run.bytes += entry.bytes;
  }
  return [...byRun.values()];
}

/**
 * Removes the run's worktrees and branches (after an abort); the bytes freed, or undefined when the workspace is
 * not a git repository, so there can be none.
 */
export async function removeWorktreesOf(workspace: string, runId: string): Promise<number | undefined> {
  const repository = await requireRepository(workspace, 'any').catch(() => undefined);
  if (repository === undefined) return undefined;
  return removeRunWorktrees(repository, runId);
}
