/**
 * A run whose workspace is shared through checkpoints, for runs on a pool of workers: a worker on another
 * machine that takes the run over must find the workspace as the run's journaled steps left it, since a resume
 * replays recorded tool calls without doing their writes again. So, on top of the fan-out lanes' own
 * checkpoints, the run's workspace is committed after each turn whose tool calls ran (`turn-checkpoints.ts`)
 * and as each phase leaves it (a `workspace` step recorded just before the phase's result: a fanned-out phase's
 * merged work, a gate's changes). Every checkpoint, the lanes' too, is published (pushed) before it is
 * recorded, so whatever the journal names can be fetched; and before any phase runs again, the workspace is put
 * back as the latest recorded one holds it.
 */
import type { DurableSteps, Journal } from '../journal/index.js';
import { parseStepKey, stepAddress } from '../journal/index.js';
import { checkpointedSteps, checkpointSchema } from '../phase/turn-checkpoints.js';

export interface WorkspaceCheckpoints {
  /** Commits the workspace as it is: a commit no branch points at, the files, index and HEAD untouched. */
  take(message: string): Promise<string>;
  /** Makes a checkpoint commit reachable from wherever the run may resume (a push to the remote). */
  publish(commit: string): Promise<void>;
  /** Puts the workspace back as `commit` holds it (fetching it first when it is not here). */
  restore(commit: string): Promise<void>;
}

/** The run's steps, checkpointing its workspace and publishing every checkpoint as above. */
export function sharedWorkspaceSteps(steps: DurableSteps, checkpoints: WorkspaceCheckpoints): DurableSteps {
  const published = publishingSteps(steps, checkpoints);
  const turns = checkpointedSteps(
    published,
    () => checkpoints.take('phasewise: checkpoint'),
    (key) =>
      key.lane === undefined ? { phaseId: key.phaseId, attempt: key.attempt, turn: key.turn } : undefined,
  );
  return {
    ...turns,
    step(options, execute) {
      const key = parseStepKey(options.key);
      if (key?.step !== 'result' || key.lane !== undefined) return turns.step(options, execute);
      const phaseId = key.phaseId;
      return turns.step(options, async () => {
        const value = await execute();
        await published.step(
          { ...stepAddress({ phaseId, step: 'workspace' }), phaseId, schema: checkpointSchema },
          async () => ({ commit: await checkpoints.take(`phasewise: ${phaseId} ends`) }),
        );
        return value;
      });
    },
  };
}

/** Publishes the commit of every checkpoint step as it executes, before the step is recorded. */
function publishingSteps(steps: DurableSteps, checkpoints: WorkspaceCheckpoints): DurableSteps {
  return {
    ...steps,
    step(options, execute) {
      const key = parseStepKey(options.key);
      if (key?.step !== 'checkpoint' && key?.step !== 'workspace') return steps.step(options, execute);
      return steps.step(options, async () => {
        const value = await execute();
        await checkpoints.publish(checkpointSchema.parse(value).commit);
        return value;
      });
    },
  };
}

/**
 * Puts the workspace back as the run's latest checkpoint of it holds it (lanes' checkpoints are theirs, restored
 * by the lanes); returns that commit, or undefined for a run that has none yet.
 */
export async function restoreSharedWorkspace(
  journal: Journal,
  runId: string,
  checkpoints: WorkspaceCheckpoints,
): Promise<string | undefined> {
  let latest: string | undefined;
  for (const step of await journal.listSteps(runId)) {
    const key = parseStepKey(step.key);
    if (key === undefined || key.lane !== undefined) continue;
    if (key.step !== 'checkpoint' && key.step !== 'workspace') continue;
    const parsed = checkpointSchema.safeParse(step.result);
    if (parsed.success) latest = parsed.data.commit;
  }
  if (latest !== undefined) await checkpoints.restore(latest);
  return latest;
}
