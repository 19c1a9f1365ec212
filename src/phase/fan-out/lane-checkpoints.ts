/**
 * Checkpoints of an item's worktree, so a worktree lost between a crash and `resume` (deleted by hand, a cleaned
 * disk) is made again as the lane's journaled tool calls left it. A resume replays those calls from the journal
 * instead of running them again, so a worktree made again at the lane's start commit would lack their writes, and
 * the item's gate would fail on work the agent did.
 *
 * After a turn whose tool calls ran (not replayed), the worktree is committed as it is — a commit no branch
 * points at, the branch, index and files untouched, so only new objects are written — and the commit journaled as
 * the turn's `checkpoint` step (`turn-checkpoints.ts` says when). A commit no ref holds is kept by git for weeks
 * (`gc.pruneExpire`), far longer than a resume waits.
 */
import { type DurableSteps, stepKey } from '../../journal/index.js';
import { checkpointedSteps, checkpointSchema } from '../turn-checkpoints.js';

/** The lane's steps (keys as the phase builds them), checkpointing the worktree after each turn of tool calls. */
export function laneCheckpointedSteps(
  steps: DurableSteps,
  phaseId: string,
  checkpoint: () => Promise<string>,
): DurableSteps {
  return checkpointedSteps(steps, checkpoint, (key) => ({ phaseId, attempt: key.attempt, turn: key.turn }));
}

/** The commit of the lane's latest checkpoint in the journal, if any: attempts and turns in order. */
export async function latestCheckpoint(steps: DurableSteps, phaseId: string): Promise<string | undefined> {
  let latest: string | undefined;
  for (
    let attempt = 1;
    await steps.has(stepKey({ phaseId, attempt, turn: 1, step: 'model' }));
    attempt += 1
  ) {
    for (let turn = 1; await steps.has(stepKey({ phaseId, attempt, turn, step: 'model' })); turn += 1) {
      const recorded = await steps.recorded(
        stepKey({ phaseId, attempt, turn, step: 'checkpoint' }),
        checkpointSchema,
      );
      if (recorded !== undefined) latest = recorded.commit;
    }
  }
  return latest;
}
