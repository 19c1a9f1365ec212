/**
 * The merge of one passed item into the head so far (a journal step: the commit it made, or the files in
 * conflict). A conflict gets one merge turn by the phase's role in the merge worktree; what it cannot resolve is a
 * reason to halt the phase, naming the files.
 */
import { type Lane, stepAddress } from '../../journal/index.js';
import { runPhase } from '../run-phase.js';
import { laneCommitSchema, mergeResultSchema } from './fan-out-schemas.js';
import type { WorkItem } from './fan-out-types.js';
import type { LaneContext } from './item-lane.js';
import { laneServices } from './lane-services.js';
import { mergeTurnSpec } from './lane-spec.js';

export interface MergeInput {
  item: WorkItem;
  /** The item's place in merge order, from 0. */
  index: number;
  head: string;
  /** The item's commit. */
  commit: string;
  /** The items merged into `head` before it. */
  mergedBefore: readonly WorkItem[];
}

/** The new head, or why the phase halts. */
export async function mergeLane(
  context: LaneContext,
  input: MergeInput,
): Promise<{ commit: string } | { halt: string }> {
  const { services, workspaces } = context;
  const phaseId = context.spec.phase.id;
  const { item, index, head, commit: itemCommit, mergedBefore } = input;
  const lane: Lane = { kind: 'merge', index: index + 1 };
  const message = `merge ${item.id}: ${item.title}`;
  const spentBefore = services.ledger.spent(phaseId);
  const { value: merge, replayed } = await services.steps.step(
    { ...stepAddress({ phaseId, lane, step: 'merge' }), phaseId, schema: mergeResultSchema },
    () => workspaces.merge(head, itemCommit, message),
  );
  const mergeEnd = (outcome: 'merged' | 'resolved' | 'conflict', files: string[], commit: string | null) =>
    services.emit({
      type: 'merge-end',
      phaseId,
      item: item.id,
      index: index + 1,
      outcome,
      files,
      commit,
      costUsd: services.ledger.spent(phaseId) - spentBefore,
    });
  if (merge.merged) {
    mergeEnd('merged', [], merge.commit);
    return { commit: merge.commit };
  }
  const commitKey = stepAddress({ phaseId, lane, step: 'lane-commit' });
  const resolved = await services.steps.recorded(commitKey.key, laneCommitSchema);
  if (
    resolved === undefined &&
    replayed &&
    !(await services.steps.has(stepAddress({ phaseId, lane, step: 'snapshot' }).key))
  ) {
    // The conflict was recorded by an earlier process and its turn never began: put the conflict back.
    await workspaces.merge(head, itemCommit, message);
  }
  const spec = mergeTurnSpec(
    context.spec,
    item,
    mergedBefore,
    merge.conflicts,
    workspaces.pathOf('merge'),
    index + 1,
  );
  const outcome = await runPhase(spec, {
    ...laneServices(services, lane, item.id, services.ledger),
    abortSignal: context.signal,
  });
  let commit: string | null = resolved?.commit ?? null;
  let refusal: string | null = null;
  if (commit === null && outcome.status === 'passed') {
    try {
      const { value } = await services.steps.step(
        { ...commitKey, phaseId, schema: laneCommitSchema },
        async () => ({
          commit: await workspaces.concludeMerge(message),
        }),
      );
      commit = value.commit;
    } catch (error) {
      refusal = (error as Error).message;
    }
  }
  if (commit !== null) {
    mergeEnd('resolved', merge.conflicts, commit);
    return { commit };
  }
  const halt =
    `merging work item ${item.id} left conflicts in ${merge.conflicts.join(', ')} that the merge turn did not resolve` +
    ` (${refusal ?? outcome.message ?? outcome.status})`;
  mergeEnd('conflict', merge.conflicts, null);
  return { halt };
}
