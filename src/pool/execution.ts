/**
 * One execution of a queued run, as the DBOS workflow runs it: take the run (this worker's id on its row), fetch
 * its repository into a workspace of its own, hand it to the executor the CLI gives (phasewise's own run over
 * the Postgres journal, unchanged), watch the run's abort flag meanwhile, and publish the result on the run's
 * branch. A repository that cannot be fetched is recorded as the run's failure; nothing else is lost.
 */
import { InterruptedError } from '../errors/index.js';
import type { RunStatus } from '../events/index.js';
import type { Journal } from '../journal/journal.js';
import { dropCheckpoints } from '../worktree/index.js';
import type { ExecutionArguments } from './dbos-names.js';
import type { PoolDatabase } from './pool-database.js';
import { readQueuedRun, setWorker } from './pool-database.js';
import { prepareRunWorkspace, publishRunWorkspace, type RunWorkspace } from './run-workspace.js';

/** What the pool asks of whoever runs a phasewise run (the CLI: `runWorkflow` with its parts). */
export interface ExecuteRunInput {
  runId: string;
  execution: number;
  /** The fetched repository, on the run's branch. */
  workspace: string;
  journal: Journal;
  /** Aborted when the run's abort is requested, or the worker stops. */
  abortSignal: AbortSignal;
}

export interface ExecutionOutcome {
  status: RunStatus;
  message: string | null;
}

export type ExecuteRun = (input: ExecuteRunInput) => Promise<ExecutionOutcome>;

export interface ExecutionContext {
  database: PoolDatabase;
  journal: Journal;
  workerId: string;
  workDir: string;
  executeRun: ExecuteRun;
  /** Aborted when the worker stops. */
  stopping: AbortSignal;
  abortPollMs: number;
  log: (line: string) => void;
}

export async function executeQueuedRun(
  context: ExecutionContext,
  { runId, execution }: ExecutionArguments,
): Promise<ExecutionOutcome | undefined> {
  const { database, journal, log } = context;
  const row = await readQueuedRun(database.pool, database.runsTable, runId);
  if (row === undefined || row.execution !== execution || row.repo === null || row.ref === null) {
    log(`run ${runId}: execution ${execution} is no longer the run's current one; skipped\n`);
    return undefined;
  }
  await setWorker(database.pool, database.runsTable, runId, context.workerId);
  if (row.abortRequested) return recordEnd(journal, runId, 'aborted', 'aborted before it started');
  log(`run ${runId}: execution ${execution} started\n`);
  let workspace: RunWorkspace;
  try {
    workspace = await prepareRunWorkspace({ repo: row.repo, ref: row.ref, runId, workDir: context.workDir });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const outcome = await recordEnd(
      journal,
      runId,
      'failed',
      `the repository ${row.repo} could not be fetched at ${row.ref}: ${reason}`,
    );
    log(`run ${runId}: failed: ${outcome.message}\n`);
    return outcome;
  }
  const abort = new AbortController();
  const stop = () => abort.abort(context.stopping.reason);
  context.stopping.addEventListener('abort', stop, { once: true });
  const watch = watchAbortFlag(context, runId, abort);
  let outcome: ExecutionOutcome;
  try {
    outcome = await context.executeRun({
      runId,
      execution,
      workspace: workspace.path,
      journal,
      abortSignal: abort.signal,
    });
  } catch (error) {
    outcome = await recordEnd(
      journal,
      runId,
      'failed',
      error instanceof Error ? error.message : String(error),
    );
  } finally {
    clearInterval(watch.timer);
    context.stopping.removeEventListener('abort', stop);
  }
  if (watch.requested()) outcome = await recordEnd(journal, runId, 'aborted', 'aborted by `phasewise abort`');
  try {
    await publishRunWorkspace(workspace, `phasewise run ${runId}, execution ${execution}: ${outcome.status}`);
  } catch (error) {
    log(`run ${runId}: the result could not be pushed: ${error instanceof Error ? error.message : error}\n`);
  }
  if (isOver(outcome.status)) {
    // Its workspace checkpoints served a takeover; a run that is over needs them no more.
    await dropCheckpoints(workspace.path, 'origin', runId).catch((error: unknown) => {
      log(
        `run ${runId}: its checkpoints could not be dropped: ${error instanceof Error ? error.message : error}\n`,
      );
    });
  }
  log(`run ${runId}: execution ${execution} ended ${outcome.status}\n`);
  return outcome;
}

/** Reads the run's abort flag every `abortPollMs`; a request aborts the execution. */
function watchAbortFlag(context: ExecutionContext, runId: string, abort: AbortController) {
  let requested = false;
  const timer = setInterval(() => {
    readQueuedRun(context.database.pool, context.database.runsTable, runId).then(
      (row) => {
        if (row?.abortRequested === true && !requested) {
          requested = true;
          context.log(`run ${runId}: abort requested; stopping it\n`);
          abort.abort(new InterruptedError({ runId }));
        }
      },
      () => {},
    );
  }, context.abortPollMs);
  return { timer, requested: () => requested };
}

async function recordEnd(
  journal: Journal,
  runId: string,
  status: RunStatus,
  message: string,
): Promise<ExecutionOutcome> {
  const now = new Date().toISOString();
  await journal.updateRun(runId, {
    status,
    updatedAt: now,
    endedAt: now,
    exitCode: exitCodeOf(status),
    message,
  });
  return { status, message };
}

/** Runs that no resume goes on with; any other may be resumed (with more budget, more time) and keeps them. */
function isOver(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'aborted' || status === 'no_go';
}

function exitCodeOf(status: RunStatus): number {
  return status === 'aborted' ? 3 : 1;
}
