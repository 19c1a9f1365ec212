/**
 * What commands ask the pool about runs in the shared database from any machine: the worker holding each run
 * (`runs`, `status`), an abort of a running or queued run (a flag its worker reads), and the next execution of
 * a run that waits in the database (`approve`, `reject`, `resume`).
 */
import { applicationVersion } from './dbos-names.js';
import { createRunQueueClient } from './dbos-runtime.js';
import {
  connectPoolDatabase,
  guardDatabase,
  type RunWorker,
  readQueuedRun,
  readRunWorkers,
  requestAbort,
} from './pool-database.js';
import { queueNextExecution } from './submit-run.js';

async function withDatabase<T>(
  url: string,
  work: (database: Awaited<ReturnType<typeof connectPoolDatabase>>) => Promise<T>,
  schema?: string,
): Promise<T> {
  const database = await connectPoolDatabase(url, schema);
  try {
    return await work(database);
  } finally {
    await database.pool.end();
  }
}

/** Run id → the worker that holds (or last held) it, and its lease now (`schema`: the journal's, if not the default). */
export function workersOfRuns(url: string, schema?: string): Promise<Map<string, RunWorker>> {
  return withDatabase(
    url,
    (database) =>
      guardDatabase(database, 'read the workers of runs', () =>
        readRunWorkers(database.pool, { runs: database.runsTable, workers: database.tables.workers }),
      ),
    schema,
  );
}

/** Whether the run was submitted to the queue (it has a repository to fetch), and its current state there. */
export function queuedRun(url: string, runId: string) {
  return withDatabase(url, (database) =>
    guardDatabase(database, `read run ${runId}`, () =>
      readQueuedRun(database.pool, database.runsTable, runId),
    ),
  );
}

/** Sets the run's abort flag: its worker stops it within a few seconds (or before it starts). */
export function requestRunAbort(url: string, runId: string): Promise<void> {
  return withDatabase(url, (database) =>
    guardDatabase(database, `request the abort of run ${runId}`, () =>
      requestAbort(database.pool, database.runsTable, runId),
    ),
  );
}

/** Queues the run's next execution; undefined for a run never submitted to the queue. */
export function queueRunAgain(url: string, runId: string): Promise<string | undefined> {
  return withDatabase(url, async (database) => {
    const row = await guardDatabase(database, `read run ${runId}`, () =>
      readQueuedRun(database.pool, database.runsTable, runId),
    );
    if (row === undefined || row.repo === null) return undefined;
    const queue = await createRunQueueClient(database);
    try {
      return await queueNextExecution(database, queue, runId, applicationVersion());
    } finally {
      await queue.destroy();
    }
  });
}
