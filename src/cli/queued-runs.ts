/**
 * Runs submitted to the queue wait in the shared database, not in a process: answering one (`approve`,
 * `reject`, `resume`) queues its next execution for a worker instead of running it here, and `abort` of one
 * queued or running sets the flag its worker reads. Runs started with `phasewise run` are answered as before.
 */
import type { JournalSettings } from '../config/index.js';
import { queuedRun, queueRunAgain, type RunWorker, requestRunAbort, workersOfRuns } from '../pool/index.js';
import { duration } from '../util/format.js';
import { type JournalOptions, sharedDatabaseUrl } from './journal-choice.js';

/** The exit code once the next execution is queued; undefined when the run is not a queued one. */
export async function queueOnSharedJournal(
  settings: JournalSettings | undefined,
  options: JournalOptions & { json?: boolean },
  runId: string,
): Promise<number | undefined> {
  const url = sharedDatabaseUrl(settings, options);
  if (url === undefined) return undefined;
  const next = await queueRunAgain(url, runId);
  if (next === undefined) return undefined;
  if (options.json !== true) {
    process.stderr.write(`run ${runId} queued again as ${next}: a \`phasewise worker\` continues it\n`);
  }
  return 0;
}

/**
 * `abort` of a queued run that is waiting for a worker or running on one: the flag is set and its worker stops
 * it within seconds. Undefined when the run is not such a run (a halted one is answered as a review).
 */
export async function abortOnSharedJournal(
  settings: JournalSettings | undefined,
  options: JournalOptions & { json?: boolean },
  runId: string,
  status: string | undefined,
): Promise<number | undefined> {
  const url = sharedDatabaseUrl(settings, options);
  if (url === undefined || (status !== 'queued' && status !== 'running')) return undefined;
  const row = await queuedRun(url, runId);
  if (row === undefined || row.repo === null) return undefined;
  await requestRunAbort(url, runId);
  if (options.json !== true) {
    const where = row.workerId === null ? 'before a worker starts it' : `by worker ${row.workerId}`;
    process.stderr.write(`run ${runId}: abort requested; it is stopped ${where} within a few seconds\n`);
  }
  return 0;
}

/** Run id → the worker holding (or that last held) it, on the shared journal; empty for the SQLite one. */
export async function workersOnSharedJournal(
  settings: JournalSettings | undefined,
  options: JournalOptions,
): Promise<Map<string, RunWorker>> {
  const url = sharedDatabaseUrl(settings, options);
  return url === undefined ? new Map() : workersOfRuns(url);
}

/**
 * The worker of a run as people read it: its id, and for a run still marked running whose worker went silent
 * past its lease, that nobody is running it until a live worker takes it over (DBOS recovery, docs/workers.md).
 */
export function workerText(worker: RunWorker, status: string | undefined): string {
  if (status !== 'running' || worker.lease === 'live' || worker.lease === 'unknown') return worker.workerId;
  const silent = worker.silentMs === null ? '' : `silent ${duration(worker.silentMs)}, `;
  return worker.lease === 'expired'
    ? `${worker.workerId} (${silent}lease expired: a live worker of its version takes the run over)`
    : `${worker.workerId} (${worker.lease}: the run waits for another worker)`;
}

/** The worker fields of a run's JSON line: its id, and its lease when that is not live. */
export function workerJson(worker: RunWorker): Record<string, unknown> {
  return {
    worker: worker.workerId,
    ...(worker.lease === 'live' ? {} : { workerLease: worker.lease, workerSilentMs: worker.silentMs }),
  };
}

/** A table's worker cell (`runs`, the dashboard): short, the lease named only when the run waits for a live worker. */
export function workerCell(worker: RunWorker | undefined, status: string | undefined): string {
  if (worker === undefined) return '';
  return worker.lease === 'expired' && status === 'running'
    ? `${worker.workerId} (lease expired)`
    : worker.workerId;
}
