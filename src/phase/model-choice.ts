/** Where a phase starts on the tier ladder, and the `provider:model` of a tier. */
import type { ModelChoice, ResolvedWorkflow } from '../config/types.js';

/** The tier ladder: its names, cheapest first, and each one's model. */
type TierLadder = Pick<ResolvedWorkflow, 'tiers' | 'tierModels'>;

export interface TierPosition {
  /** Index in `workflow.tiers`, or -1 for an explicit model outside the ladder. */
  tierIndex: number;
  /** The tier name, or the model reference itself for an explicit model. */
  label: string;
  ref: string;
}

export function initialTier(choice: ModelChoice, workflow: TierLadder): TierPosition {
  if (choice.kind === 'tier') return tierAt(workflow, workflow.tiers.indexOf(choice.tier));
  if (choice.kind === 'model') {
    const index = workflow.tiers.findIndex((tier) => workflow.tierModels[tier] === choice.ref);
    return index >= 0 ? tierAt(workflow, index) : { tierIndex: -1, label: choice.ref, ref: choice.ref };
  }
  // `auto` is assessed by the phase (auto-model.ts, a journal step); without an assessment, the middle tier.
  return tierAt(workflow, Math.floor((workflow.tiers.length - 1) / 2));
}

export function tierAt(workflow: TierLadder, tierIndex: number): TierPosition {
  const label = workflow.tiers[tierIndex]!;
  return { tierIndex, label, ref: workflow.tierModels[label]! };
}
