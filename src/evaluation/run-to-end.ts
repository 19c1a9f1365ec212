/**
 * A run in a worktree of its own, to its end: started, or — when the worktree's journal holds the run a kill or a
 * Ctrl-C interrupted — resumed through the journal (what it recorded is not paid for again); a run that already
 * ended there is not run again. Shared by `eval` (each run) and `compare` (the re-run).
 */

import type { ResolvedWorkflow } from '../config/types.js';
import { ConfigChangedError, UsageError } from '../errors/index.js';
import type { Journal } from '../journal/journal.js';
import { type RunWorkflowOptions, runWorkflow } from '../orchestrator/run-workflow.js';

export interface EvalServices {
  /**
   * The run's workflow as the CLI runs it (its governing files protected) and what the engine needs beside it
   * and the journal: models, tools, redaction, commands' environment.
   */
  prepareRun(workflow: ResolvedWorkflow): RunParts;
  abortSignal: AbortSignal;
}

export type RunParts = { workflow: ResolvedWorkflow } & Pick<
  RunWorkflowOptions,
  'resolveModel' | 'tools' | 'redactor' | 'commandEnv'
>;

/** The run's id once it has ended (however it ended), or undefined when it was interrupted. */
export async function runToEnd(
  task: string,
  parts: RunParts,
  journal: Journal,
  services: EvalServices,
  onResume: (runId: string) => void,
): Promise<string | undefined> {
  // The worktree is the run's alone: a run in its journal is this one, from a command that was stopped.
  const existing = (await journal.listRuns())[0];
  if (existing !== undefined && existing.status !== 'running' && existing.status !== 'interrupted') {
    return existing.runId;
  }
  if (existing !== undefined) onResume(existing.runId);
  try {
    const outcome = await runWorkflow({
      ...parts,
      journal,
      abortSignal: services.abortSignal,
      ...(existing === undefined ? { task } : { resume: { runId: existing.runId } }),
    });
    return outcome.status === 'interrupted' ? undefined : outcome.runId;
  } catch (error) {
    // Runs are compared as they started: one resumed under another configuration would not be.
    if (!(error instanceof ConfigChangedError)) throw error;
    throw new UsageError(error.message, {
      hint: 'restore the configuration this run started with to go on, or start afresh with another -o',
    });
  }
}
