/**
 * A worker: DBOS launched on the run queue (its executor id, its version, its concurrency), one shared Postgres
 * journal for every execution it runs, and a clean stop on SIGINT/SIGTERM — running executions are
 * interrupted (their runs stay resumable), queued again for any worker, and DBOS shut down.
 *
 * The place for what other parts add to a worker (leases and recovery of dead peers, the shared ledger, rate
 * limits) is `WorkerOptions.extensions`: each starts with the worker and stops before it.
 */
import { InterruptedError } from '../errors/index.js';
import { openPostgresJournal } from '../journal/index.js';
import { createRunQueueClient, launchDbos, newExecutorId } from './dbos-runtime.js';
import type { ExecuteRun } from './execution.js';
import { executeQueuedRun } from './execution.js';
import { connectPoolDatabase, type PoolDatabase } from './pool-database.js';
import { queueNextExecution } from './submit-run.js';

/** Something started with a worker and stopped before it (a lease, a recovery loop). */
export interface WorkerExtension {
  start(worker: { executorId: string; database: PoolDatabase; version: string }): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  url: string;
  concurrency: number;
  globalConcurrency?: number;
  /** Where runs' repositories are fetched: `<workDir>/<run-id>`. */
  workDir: string;
  version: string;
  executeRun: ExecuteRun;
  log: (line: string) => void;
  /** How often a running execution reads its abort flag. */
  abortPollMs?: number;
  extensions?: WorkerExtension[];
  executorId?: string;
}

export interface Worker {
  executorId: string;
  /** Interrupts running executions, queues them again, and shuts DBOS down. */
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const executorId = options.executorId ?? newExecutorId();
  const database = await connectPoolDatabase(options.url);
  // Every run lock this worker takes names it: once its lease is gone, any live worker may take its runs over.
  const journal = await openPostgresJournal({ url: options.url, workerId: executorId });
  const queue = await createRunQueueClient(database);
  const stopping = new AbortController();
  const running = new Set<Promise<unknown>>();
  const context = {
    database,
    journal,
    workerId: executorId,
    workDir: options.workDir,
    executeRun: options.executeRun,
    stopping: stopping.signal,
    abortPollMs: options.abortPollMs ?? 2_000,
    log: options.log,
  };
  const execute = async (execution: { runId: string; execution: number }) => {
    const work = executeQueuedRun(context, execution)
      .then(async (outcome) => {
        if (stopping.signal.aborted && outcome?.status === 'interrupted') {
          const next = await queueNextExecution(database, queue, execution.runId, options.version);
          options.log(`run ${execution.runId}: queued again as ${next} for another worker\n`);
        }
      })
      .catch((error: unknown) => {
        // The database failed under the execution: the run is left as the journal has it, resumable.
        options.log(
          `run ${execution.runId}: execution ${execution.execution} stopped: ${error instanceof Error ? error.message : error}\n`,
        );
      });
    running.add(work);
    try {
      await work;
    } finally {
      running.delete(work);
    }
  };
  for (const extension of options.extensions ?? [])
    await extension.start({ executorId, database, version: options.version });
  const runtime = await launchDbos({
    database,
    executorId,
    version: options.version,
    concurrency: options.concurrency,
    ...(options.globalConcurrency === undefined ? {} : { globalConcurrency: options.globalConcurrency }),
    execute,
    log: options.log,
  });
  let stopped: Promise<void> | undefined;
  return {
    executorId,
    stop: () => {
      stopped ??= (async () => {
        stopping.abort(new InterruptedError());
        await Promise.allSettled([...running]);
        for (const extension of [...(options.extensions ?? [])].reverse()) await extension.stop();
        await runtime.shutdown();
        await queue.destroy();
        await journal.close();
        await database.pool.end();
      })();
      return stopped;
    },
  };
}
