/**
 * The one place phasewise reaches inside DBOS: self-hosted DBOS never moves a dead executor's workflows to a live
 * one, and the call that does (`DBOSExecutor.globalInstance.recoverPendingWorkflows([executorId])`, which puts
 * the executor's pending workflows of this application version back on a queue with one `UPDATE`) is not on the
 * public `DBOS` class in 5.3.0. So the SDK is pinned to that version, this module checks the method is there at
 * run time and names the pinned version when it is not, and test/pool/dbos-recovery.test.ts proves it with a
 * killed process. The worker calls it for the peers its lease claimed (pool/lease.ts); DBOS must be launched
 * in this process first. DBOS is loaded only when this runs.
 */
import { ExitCode, PhasewiseError } from '../errors/index.js';

/** The @dbos-inc/dbos-sdk version this module was written and tested against (package.json pins it exactly). */
export const PINNED_DBOS_VERSION = '5.3.0';

interface RecoveringExecutor {
  recoverPendingWorkflows(executorIds: string[]): Promise<Array<{ workflowID: string }>>;
}

/** Thrown when DBOS cannot recover an executor's workflows: not launched here, or a version without the call. */
export class DbosRecoveryError extends PhasewiseError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('dbos_recovery', message, ExitCode.internal, { hint, cause });
  }
}

/**
 * Puts the pending workflows of the dead `executorIds` back on their queue, to run on live workers of this
 * application version (this process among them). Returns the ids of the workflows moved; none when the
 * executors had nothing pending. Running it twice for the same executor moves nothing the second time.
 */
export async function recoverDeadExecutors(executorIds: readonly string[]): Promise<string[]> {
  if (executorIds.length === 0) return [];
  const executor = await launchedExecutor();
  const handles = await executor.recoverPendingWorkflows([...executorIds]);
  return handles.map((handle) => handle.workflowID);
}

async function launchedExecutor(): Promise<RecoveringExecutor> {
  let module: { DBOSExecutor?: unknown };
  try {
    module = (await import('@dbos-inc/dbos-sdk/internal/dbos-executor')) as typeof module;
  } catch (error) {
    throw new DbosRecoveryError(
      `cannot load DBOS's executor module (@dbos-inc/dbos-sdk/internal/dbos-executor)`,
      `install @dbos-inc/dbos-sdk ${PINNED_DBOS_VERSION} exactly (npm ci); phasewise reaches this internal module and is tested with that version only`,
      error,
    );
  }
  if (typeof module.DBOSExecutor !== 'function') throw missing('DBOSExecutor is not exported');
  const instance = (module.DBOSExecutor as { globalInstance?: unknown }).globalInstance;
  if (instance === undefined || instance === null) {
    throw new DbosRecoveryError(
      'cannot recover dead workers: DBOS is not launched in this process',
      'launch DBOS (DBOS.launch()) before the worker starts its lease',
    );
  }
  const recover = (instance as Partial<RecoveringExecutor>).recoverPendingWorkflows;
  if (typeof recover !== 'function') throw missing('DBOSExecutor.recoverPendingWorkflows is missing');
  return instance as RecoveringExecutor;
}

function missing(what: string): DbosRecoveryError {
  return new DbosRecoveryError(
    `cannot recover dead workers: ${what} in the installed @dbos-inc/dbos-sdk`,
    `phasewise needs @dbos-inc/dbos-sdk ${PINNED_DBOS_VERSION} exactly (an internal call, not public API); reinstall that version (npm ci)`,
  );
}
