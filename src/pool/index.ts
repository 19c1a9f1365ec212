/**
 * The pool's public face (issue 17): runs queued in the shared Postgres database and executed by workers on any
 * number of machines, on DBOS. `submitQueuedRun` enqueues a run; `startWorker` runs queued runs; the rest
 * answers commands from any machine (the worker of each run, abort, the next execution after a halt).
 */
export {
  APPLICATION_NAME,
  applicationVersion,
  RUN_QUEUE,
  RUN_WORKFLOW,
  WORKER_VERSION_ENV,
} from './dbos-names.js';
export { DbosRecoveryError, PINNED_DBOS_VERSION, recoverDeadExecutors } from './dbos-recovery.js';
export { migrateDbosSystemDatabase } from './dbos-runtime.js';
export type { ExecuteRun, ExecuteRunInput, ExecutionOutcome } from './execution.js';
export { type Lease, type LeaseLogEntry, type LeaseOptions, startLease } from './lease.js';
export { type LeaseExtensionOptions, leaseExtension } from './lease-extension.js';
export type { RunWorker } from './pool-database.js';
export { queuedRun, queueRunAgain, requestRunAbort, workersOfRuns } from './pool-runs.js';
export { runBranch } from './run-workspace.js';
export { type SubmitQueuedRunOptions, submitQueuedRun } from './submit-queued-run.js';
export { startWorker, type Worker, type WorkerExtension, type WorkerOptions } from './worker.js';
