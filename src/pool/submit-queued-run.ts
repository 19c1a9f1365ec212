/**
 * `submit` as one call: connect, enqueue the run with its journal row in one transaction (submit-run.ts),
 * stamped with this build's application version (or PHASEWISE_WORKER_VERSION), and disconnect.
 */
import type { NewRun } from '../journal/journal.js';
import { applicationVersion } from './dbos-names.js';
import { createRunQueueClient } from './dbos-runtime.js';
import { connectPoolDatabase } from './pool-database.js';
import { submitRun } from './submit-run.js';

export interface SubmitQueuedRunOptions {
  url: string;
  run: Omit<NewRun, 'runId'>;
  repo: string;
  ref: string;
}

export async function submitQueuedRun(
  options: SubmitQueuedRunOptions,
): Promise<{ runId: string; workflowId: string; version: string; location: string }> {
  const database = await connectPoolDatabase(options.url);
  try {
    const queue = await createRunQueueClient(database);
    try {
      const version = applicationVersion();
      const submitted = await submitRun({
        database,
        queue,
        run: options.run,
        repo: options.repo,
        ref: options.ref,
        version,
      });
      return { ...submitted, version, location: database.target.location };
    } finally {
      await queue.destroy();
    }
  } finally {
    await database.pool.end();
  }
}
