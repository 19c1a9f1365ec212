import type { RunRecord, RunUpdate } from './journal.js';

/**
 * The run after `update`: fields the update leaves out (undefined) keep their value; null clears them.
 * Kept apart from storage so every journal implementation applies updates the same way.
 */
export function applyRunUpdate(run: RunRecord, update: RunUpdate): RunRecord {
  return {
    ...run,
    status: update.status,
    updatedAt: update.updatedAt,
    endedAt: update.endedAt === undefined ? run.endedAt : update.endedAt,
    exitCode: update.exitCode === undefined ? run.exitCode : update.exitCode,
    message: update.message === undefined ? run.message : update.message,
    workflow: update.workflow === undefined ? run.workflow : update.workflow,
    workflowHash: update.workflowHash === undefined ? run.workflowHash : update.workflowHash,
  };
}
