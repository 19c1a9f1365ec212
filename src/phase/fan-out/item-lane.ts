/**
 * One work item's lane: the phase's own code run in the item's worktree, with its item gate and share of the
 * ledger, its events tagged with the item, its worktree checkpointed after each turn of tool calls
 * (`lane-checkpoints.ts`); a passed item's work committed on its branch (a journal step, so a resume knows the
 * commit and need not open the worktree again).
 */
import { LaneLedger } from '../../budget/lane-ledger.js';
import { BudgetExceededError } from '../../errors/index.js';
import { type Lane, laneSteps, stepAddress } from '../../journal/index.js';
import type { PhaseOutcome } from '../phase-outcome.js';
import type { PhaseServices } from '../phase-services.js';
import type { PhaseSpec } from '../phase-spec.js';
import { runPhase } from '../run-phase.js';
import { laneCommitSchema } from './fan-out-schemas.js';
import type { ItemWorkspaces, WorkItem } from './fan-out-types.js';
import { laneCheckpointedSteps, latestCheckpoint } from './lane-checkpoints.js';
import { laneServices } from './lane-services.js';
import { itemSpec } from './lane-spec.js';

/** What the lanes of one fan-out share: the phase, its services, its git side, and the signal that stops them. */
export interface LaneContext {
  spec: PhaseSpec;
  services: PhaseServices;
  workspaces: ItemWorkspaces;
  signal: AbortSignal;
}

export interface ItemDone {
  outcome: PhaseOutcome;
  /** The commit of its work; null when it did not pass. */
  commit: string | null;
}

/**
 * Runs the item from `from` to its end. Throws what no other lane can go on after: the run's interrupt (unless the
 * lanes were stopped by a halt, `halted()`), the phase's or the run's money gone.
 */
export async function runItemLane(
  context: LaneContext,
  item: WorkItem & { costLimitUsd: number },
  items: readonly WorkItem[],
  from: string,
  halted: () => boolean,
): Promise<ItemDone> {
  const { services, workspaces, signal } = context;
  const phaseId = context.spec.phase.id;
  const lane: Lane = { kind: 'item', id: item.id };
  const commitKey = stepAddress({ phaseId, lane, step: 'lane-commit' });
  const finished = await services.steps.recorded(commitKey.key, laneCommitSchema);
  const started = services.clock.now();
  const name = `item-${item.id}`;
  const steps = laneSteps(services.steps, lane);
  // A worktree lost since an earlier process is made again as its latest checkpoint left it. It is made while the
  // lane's first model call is under way (`workspaceReady`): nothing reads or changes it before it is there.
  const workspace = workspaces.pathOf(name);
  const opening =
    finished === undefined
      ? (async () => workspaces.open(name, (await latestCheckpoint(steps, phaseId)) ?? from))()
      : Promise.resolve(workspace);
  // Its failure is thrown below, after the lane's phase has stopped on it.
  opening.catch(() => undefined);
  services.emit({
    type: 'item-start',
    phaseId,
    item: item.id,
    startCommit: from,
    resumed: finished !== undefined,
    ...(finished === undefined ? {} : { replayed: true }),
  });
  const ledger = new LaneLedger(services.ledger, phaseId, item.id, item.costLimitUsd);
  const shared = laneServices(services, lane, item.id, ledger);
  const checkpoint = () => workspaces.checkpoint(name, `${item.id}: checkpoint`);
  const outcome = await runPhase(itemSpec(context.spec, item, items, workspace, item.costLimitUsd), {
    ...shared,
    steps: laneCheckpointedSteps(shared.steps, phaseId, checkpoint),
    abortSignal: signal,
    workspaceReady: opening,
  });
  // A worktree that could not be made stops the fan-out, as a git failure does anywhere in it.
  await opening;
  if (signal.aborted && !halted()) throw signal.reason;
  if (outcome.status === 'failed' || outcome.status === 'budget_exceeded') {
    const error = (outcome as { error?: unknown }).error;
    // The phase's or the run's money is gone: no other lane can go on either.
    if (error instanceof BudgetExceededError && error.item === undefined) throw error;
  }
  let commit: string | null = null;
  if (outcome.status === 'passed') {
    const { value } = await services.steps.step(
      { ...commitKey, phaseId, schema: laneCommitSchema },
      async () => ({
        commit: await workspaces.commit(name, `${item.id}: ${item.title}`),
      }),
    );
    commit = value.commit;
  }
  services.emit({
    type: 'item-end',
    phaseId,
    item: item.id,
    status: outcome.status,
    attempts: outcome.attempts,
    tier: outcome.tier,
    model: outcome.model,
    costUsd: outcome.costUsd,
    gateScore: outcome.gateScore,
    threshold: context.spec.phase.gate.threshold,
    commit,
    durationMs: services.clock.now() - started,
    message: outcome.message,
    ...(finished === undefined ? {} : { replayed: true }),
  });
  return { outcome, commit };
}
