/**
 * Checkpoints after each turn whose tool calls ran (not replayed): the workspace is committed as it is, a commit
 * no branch points at, and the commit journaled as the turn's `checkpoint` step, so a workspace lost before a
 * resume (a fan-out lane's worktree deleted by hand; a run taken over by a worker on another machine) is made
 * again as the journaled tool calls left it — a resume replays those calls from the journal instead of running
 * them, so without the checkpoint their writes would be missing.
 *
 * The checkpoint is taken while the next model call is under way (which changes no file); any other step (a tool
 * call, a gate, a commit) waits for it. A turn cut off by a crash has none: the workspace comes back as the turn
 * before left it. Runs by the Claude Code runtime journal no tool calls, so they get no checkpoints.
 */
import { z } from 'zod';
import {
  type DurableSteps,
  parseStepKey,
  type StepKey,
  stepAddress,
  type TurnScope,
} from '../journal/index.js';

export const checkpointSchema = z.looseObject({ commit: z.string() });

/**
 * `steps`, checkpointing with `checkpoint` after each turn whose tool calls ran. `turnOf` says which tool steps
 * count, and under which turn their checkpoint is recorded (undefined: a step this checkpointer ignores).
 */
export function checkpointedSteps(
  steps: DurableSteps,
  checkpoint: () => Promise<string>,
  turnOf: (key: StepKey & { step: 'tool' }) => TurnScope | undefined,
): DurableSteps {
  let pending: TurnScope | null = null;
  let taking: Promise<unknown> | null = null;
  return {
    async step(options, execute) {
      const key = parseStepKey(options.key);
      const turn = key?.step === 'tool' ? turnOf(key) : undefined;
      if (turn === undefined && pending !== null) {
        const scope = pending;
        pending = null;
        taking = steps.step(
          {
            ...stepAddress({ ...scope, step: 'checkpoint' }),
            phaseId: scope.phaseId,
            schema: checkpointSchema,
          },
          async () => ({ commit: await checkpoint() }),
        );
        // A failure is thrown where it is awaited, by the next step that may change the workspace.
        taking.catch(() => undefined);
      }
      if (key?.step !== 'model' && taking !== null) {
        const checkpointing = taking;
        taking = null;
        await checkpointing;
      }
      const beside = taking;
      // A model call that fails (an interrupt) leaves the checkpoint beside it recorded before the run stops.
      const outcome = await steps.step(options, execute).catch(async (error: unknown) => {
        await beside?.catch(() => undefined);
        throw error;
      });
      if (turn !== undefined && !outcome.replayed) pending = turn;
      return outcome;
    },
    recorded: (key, schema) => steps.recorded(key, schema),
    has: (key) => steps.has(key),
  };
}
