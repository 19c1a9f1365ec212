/**
 * Submitting a run and queueing its next execution: the journal's run row (status `queued`, the repository and
 * commit, the execution number) and DBOS's queue row for the workflow `<run-id>.<n>` are written in ONE
 * transaction, so a run is never queued without its record nor recorded without its queue entry. Every
 * execution is stamped with an application version: unversioned ones were left waiting in the trials.
 */
import { JournalError, UsageError } from '../errors/index.js';
import type { NewRun, RunRecord } from '../journal/journal.js';
import { runParameters } from '../journal/journal-rows.js';
import { inTransaction } from '../journal/postgres-pool.js';
import { newRunId } from '../util/ids.js';
import { executionId } from './dbos-names.js';
import type { RunQueueClient } from './dbos-runtime.js';
import { guardDatabase, type PoolDatabase, readQueuedRun } from './pool-database.js';

export interface SubmitOptions {
  database: PoolDatabase;
  queue: RunQueueClient;
  /** The run as `phasewise run` would create it, without its id. */
  run: Omit<NewRun, 'runId'>;
  /** A URL or path of a git repository the worker fetches. */
  repo: string;
  /** The commit the run starts from. */
  ref: string;
  version: string;
  generateRunId?: (now: number) => string;
}

export async function submitRun(options: SubmitOptions): Promise<{ runId: string; workflowId: string }> {
  const { database, queue, run } = options;
  const runId = (options.generateRunId ?? newRunId)(Date.parse(run.createdAt));
  const record: RunRecord = {
    ...run,
    runId,
    status: 'queued',
    updatedAt: run.createdAt,
    endedAt: null,
    exitCode: null,
    costUsd: 0,
    message: null,
  };
  const columns = { ...runParameters(record), repo: options.repo, ref: options.ref, execution: 1 };
  const names = Object.keys(columns);
  const placeholders = names.map((_, index) => `$${index + 1}`).join(', ');
  await guardDatabase(database, `submit run ${runId}`, () =>
    inTransaction(database.pool, async (client) => {
      await client.query(
        `INSERT INTO ${database.runsTable} (${names.join(', ')}) VALUES (${placeholders})`,
        Object.values(columns),
      );
      await queue.enqueueInTransaction(client, { runId, execution: 1 }, options.version);
    }),
  );
  return { runId, workflowId: executionId({ runId, execution: 1 }) };
}

/**
 * After a halt is answered (`approve`, `reject`) or for `resume`: the run back to `queued` and its next
 * execution `<run-id>.<n+1>` enqueued under the version of its last execution (`version` when none is found),
 * in one transaction (the run's row locked, so two answers at once queue
 * it once). Returns undefined for a run that was not submitted to the queue: the caller resumes it itself.
 */
export async function queueNextExecution(
  database: PoolDatabase,
  queue: RunQueueClient,
  runId: string,
  version: string,
): Promise<string | undefined> {
  return guardDatabase(database, `queue the next execution of run ${runId}`, () =>
    inTransaction(database.pool, async (client) => {
      const row = await readQueuedRun(client, database.runsTable, runId, true);
      if (row === undefined) {
        throw new UsageError(`no run ${runId} in ${database.target.location}`, {
          hint: 'list runs with `phasewise runs`',
        });
      }
      if (row.repo === null) return undefined;
      const status = await client.query<{ status: string }>(
        `SELECT status FROM ${database.runsTable} WHERE run_id = $1`,
        [runId],
      );
      const current = status.rows[0]?.status;
      if (current === 'queued' || current === 'running') {
        throw new JournalError(database.target.location, `run ${runId} is already ${current} on the queue`, {
          runId,
          hint: `watch it with \`phasewise status ${runId}\``,
        });
      }
      const execution = row.execution + 1;
      // The run stays with the version it was submitted under, whatever version answers it.
      const previous = await client.query<{ application_version: string | null }>(
        'SELECT application_version FROM dbos.workflow_status WHERE workflow_uuid = $1',
        [executionId({ runId, execution: row.execution })],
      );
      const runVersion = previous.rows[0]?.application_version ?? version;
      await client.query(
        `UPDATE ${database.runsTable} SET execution = $2, status = 'queued', abort_requested = false, worker_id = NULL, updated_at = $3 WHERE run_id = $1`,
        [runId, execution, new Date().toISOString()],
      );
      await queue.enqueueInTransaction(client, { runId, execution }, runVersion);
      return executionId({ runId, execution });
    }),
  );
}
