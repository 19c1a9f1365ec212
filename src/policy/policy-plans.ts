/**
 * The policies compared, each as the models it tries in order until the verifier accepts one. The configured
 * policy is one phase's: its starting tier (`auto` at the tier the engine starts from without an assessment,
 * the middle one: the table holds no task text to assess) and its escalation ladder, walked by the engine's own
 * decision (`phase/escalation.ts`) with no budget in the way. Because the ladder ignores cost when money is not
 * short, the order of models is the same for every task; only where the walk stops differs. Each single tier
 * (all-cheapest, all-top and those between) is one attempt on that tier.
 */
import type { EscalationStep, ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import { UsageError } from '../errors/index.js';
import { decideEscalation } from '../phase/escalation.js';
import { initialTier } from '../phase/model-choice.js';
import type { OutcomeTable } from './outcome-table.js';
import { type TierMapping, tableModelFor } from './tier-mapping.js';

export interface PlannedAttempt {
  /** The tier's name, or the model reference a phase names outside the ladder. */
  label: string;
  /** The table's model id. */
  model: string;
}

export interface PolicyPlan {
  id: string;
  label: string;
  attempts: PlannedAttempt[];
}

export interface ConfiguredPhase {
  id: string;
  /** `sonnet`, `auto → sonnet`, or an explicit model reference. */
  start: string;
  ladder: EscalationStep[];
}

/** The phase whose ladder stands for the task: `--phase`, else the first implementation phase. */
export function choosePhase(workflow: ResolvedWorkflow, phaseId?: string): ResolvedPhase {
  const ids = workflow.phases.map((phase) => phase.id).join(', ');
  if (phaseId !== undefined) {
    const chosen = workflow.phases.find((phase) => phase.id === phaseId);
    if (chosen === undefined)
      throw new UsageError(`--phase ${phaseId}: the configuration has no such phase`, {
        hint: `its phases: ${ids}`,
      });
    return chosen;
  }
  const implementation = workflow.phases.find(
    (phase) => workflow.agents[phase.agent]?.role === 'implementation',
  );
  if (implementation === undefined)
    throw new UsageError('the configuration has no implementation phase to stand for the task', {
      hint: `choose the phase whose starting tier and ladder to simulate with --phase (its phases: ${ids})`,
    });
  return implementation;
}

export function configuredPlan(
  workflow: ResolvedWorkflow,
  phase: ResolvedPhase,
  mapping: TierMapping,
  table: OutcomeTable,
): { plan: PolicyPlan; phase: ConfiguredPhase } {
  const start = initialTier(phase.model, workflow);
  const models = mapping.tiers.map((tier) => tier.model);
  const first: PlannedAttempt =
    start.tierIndex >= 0
      ? { label: workflow.tiers[start.tierIndex]!, model: models[start.tierIndex]! }
      : { label: start.ref, model: explicitModel(start.ref, phase.id, table) };
  const attempts = [first];
  let ladderIndex = 0;
  let tierIndex = start.tierIndex;
  for (;;) {
    const decision = decideEscalation({
      ladder: phase.escalation,
      ladderIndex,
      tiers: workflow.tiers,
      tierIndex,
      lastAttemptCostUsd: 0,
      nextTierPriceRatio: 1,
      availableUsd: Number.POSITIVE_INFINITY,
    });
    if (decision.action === 'halt' || decision.action === 'fail') break;
    ladderIndex = decision.ladderIndex;
    tierIndex = decision.tierIndex;
    attempts.push(
      decision.action === 'retry'
        ? attempts[attempts.length - 1]!
        : { label: workflow.tiers[tierIndex]!, model: models[tierIndex]! },
    );
  }
  const startLabel = phase.model.kind === 'auto' ? `auto → ${first.label}` : first.label;
  return {
    plan: { id: 'configured', label: `configured (${phase.id})`, attempts },
    phase: { id: phase.id, start: startLabel, ladder: [...phase.escalation] },
  };
}

/** One attempt on each tier: `all-cheapest`, `all-<tier>` between, `all-top` (one tier: `all-top` only). */
export function singleTierPlans(mapping: TierMapping): PolicyPlan[] {
  const last = mapping.tiers.length - 1;
  return mapping.tiers.map((tier, index) => {
    const id = index === last ? 'all-top' : index === 0 ? 'all-cheapest' : `all-${tier.tier}`;
    return { id, label: `${id} (${tier.tier})`, attempts: [{ label: tier.tier, model: tier.model }] };
  });
}

function explicitModel(ref: string, phaseId: string, table: OutcomeTable): string {
  const model = tableModelFor(ref, table);
  if (model === undefined)
    throw new UsageError(
      `phase ${phaseId} names model ${ref}, which the outcome table has no results for (its models: ${table.models.map((m) => m.id).join(', ')})`,
      { hint: `add its results to the table, or simulate another phase with --phase` },
    );
  return model;
}
