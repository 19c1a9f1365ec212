/**
 * The worktrees fanned-out phases left in a workspace, run by run, and whether each run still needs them. A run
 * that is running, or halted waiting for a person (approve, reject or abort), keeps its worktrees. So does a run
 * that can be resumed (interrupted, failed, out of budget or time): a cut-off item goes on in its worktree, and
 * the tool calls it already made are replayed from the journal, not run again, so their files live only there.
 * A run that is over — succeeded, aborted, no-go, or unknown to the journal — needs them no more.
 */
import { hostname } from 'node:os';
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
  /** The run can be resumed: `phasewise clean --include-resumable` ends it and removes them. */
  resumable: boolean;
}

/** Statuses a run never leaves: its worktrees are leftovers. */
const OVER = new Set(['succeeded', 'aborted', 'no_go', 'unknown']);
/** Statuses `resume` continues from. */
const RESUMABLE = new Set(['interrupted', 'failed', 'budget_exceeded', 'timed_out']);

export async function isDeadRun(journal: Journal | undefined, runId: string): Promise<boolean> {
  return OVER.has(await runStatus(journal, runId));
}

export async function isResumableRun(journal: Journal | undefined, runId: string): Promise<boolean> {
  return RESUMABLE.has(await runStatus(journal, runId));
}

/** The run's live status, or `unknown` when the journal has no such run. */
export async function runStatus(journal: Journal | undefined, runId: string): Promise<string> {
  const run = await journal?.getRun(runId);
  return run === undefined || journal === undefined ? 'unknown' : liveStatus(journal, run);
}

/** Every run with worktrees in the workspace, in run id order; none when there is no worktrees folder. */
export async function runWorktrees(workspace: string, journal: Journal | undefined): Promise<RunWorktrees[]> {
  const byRun = new Map<string, RunWorktrees>();
  for (const entry of await listWorktrees(workspace)) {
    let run = byRun.get(entry.runId);
    if (run === undefined) {
      const status = await runStatus(journal, entry.runId);
      run = {
        runId: entry.runId,
        count: 0,
        bytes: 0,
        status,
        dead: OVER.has(status),
        resumable: RESUMABLE.has(status),
      };
      byRun.set(entry.runId, run);
    }
    run.count += 1;
    run.bytes += entry.bytes;
  }
  return [...byRun.values()];
}

/**
 * Ends a resumable run as aborted, so no resume continues it without its worktrees; false when another process
 * holds it after all.
 */
export async function abandonRun(journal: Journal, runId: string, now = new Date()): Promise<boolean> {
  const token = `clean-${process.pid}-${now.getTime()}`;
  try {
    await journal.acquireLock(runId, { pid: process.pid, host: hostname(), since: now.toISOString(), token });
  } catch {
    return false;
  }
  try {
    await journal.updateRun(runId, {
      status: 'aborted',
      updatedAt: now.toISOString(),
      endedAt: now.toISOString(),
      message: 'ended by `phasewise clean --include-resumable`, which removed its worktrees',
    });
  } finally {
    await journal.releaseLock(runId, token);
  }
  return true;
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
