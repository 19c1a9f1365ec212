/**
 * Checkpoints of an item's worktree, so a worktree lost between a crash and `resume` (deleted by hand, a cleaned
 * disk) is made again as the lane's journaled tool calls left it. A resume replays those calls from the journal
 * instead of running them again, so a worktree made again at the lane's start commit would lack their writes, and
 * the item's gate would fail on work the agent did.
 *
 * After a turn whose tool calls ran (not replayed), the worktree is committed as it is — a commit no branch
 * points at, the branch, index and files untouched, so only new objects are written — and the commit journaled as
 * the turn's `checkpoint` step. It is taken while the next model call is under way (which changes no file); any
 * other step (a tool call, a gate, the lane's commit) waits for it. A turn cut off by the crash has none: the worktree comes
 * back as the turn before left it. A commit no ref holds is kept by git for weeks (`gc.pruneExpire`), far longer
 * than a resume waits. Lanes run by the Claude Code runtime journal no tool calls, so they get no checkpoints.
 */
import { z } from 'zod';
import { type DurableSteps, parseStepKey, stepAddress, stepKey } from '../../journal/index.js';

const checkpointSchema = z.looseObject({ commit: z.string() });

/**
 * The lane's steps (keys as the phase builds them), checkpointing the worktree with `checkpoint` after each
 * turn whose tool calls ran.
 */
export function checkpointedSteps(
  steps: DurableSteps,
  phaseId: string,
  checkpoint: () => Promise<string>,
): DurableSteps {
  let pending: { attempt: number; turn: number } | null = null;
  let taking: Promise<unknown> | null = null;
  return {
    async step(options, execute) {
      const key = parseStepKey(options.key);
      const isTool = key?.step === 'tool';
      if (!isTool && pending !== null) {
        const turn = pending;
        pending = null;
        taking = steps.step(
          { ...stepAddress({ phaseId, ...turn, step: 'checkpoint' }), phaseId, schema: checkpointSchema },
          async () => ({ commit: await checkpoint() }),
        );
        // A failure is thrown where it is awaited, by the next step that may change the worktree.
        taking.catch(() => undefined);
      }
      if (key?.step !== 'model' && taking !== null) {
        const checkpointing = taking;
        taking = null;
        await checkpointing;
      }
      const beside = taking;
      // A model call that fails (an interrupt) leaves the checkpoint beside it recorded before the lane stops.
      const outcome = await steps.step(options, execute).catch(async (error: unknown) => {
        await beside?.catch(() => undefined);
        throw error;
      });
      if (isTool && !outcome.replayed) pending = { attempt: key.attempt, turn: key.turn };
      return outcome;
    },
    recorded: (key, schema) => steps.recorded(key, schema),
    has: (key) => steps.has(key),
  };
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
