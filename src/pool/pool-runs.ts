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
  readQueuedRun,
  readWorkerIds,
  requestAbort,
} from './pool-database.js';
import { queueNextExecution } from './submit-run.js';

async function withDatabase<T>(
  url: string,
  work: (database: Awaited<ReturnType<typeof connectPoolDatabase>>) => Promise<T>,
): Promise<T> {
  const database = await connectPoolDatabase(url);
  try {
    return await work(database);
  } finally {
    await database.pool.end();
  }
}

/** Run id → the id of the worker that holds (or last held) it. */
export function workersOfRuns(url: string): Promise<Map<string, string>> {
  return withDatabase(url, (database) =>
    guardDatabase(database, 'read the workers of runs', () =>
      readWorkerIds(database.pool, database.runsTable),
    ),
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
