/**
 * A dry run: each phase's prompt assembled as it would be sent (task, role prompt, deliverables, a typical
 * handoff per dependency) and a cost range — the cheapest plausible run (one attempt, one turn of about
 * `LOW_OUTPUT_TOKENS` on the starting tier) and the most it can cost (its limit, which the ledger enforces,
 * whatever retries and escalations happen) — with the run's total against its budget. No model is called.
 * A phase that fans out carries its fan-out part (`estimate-fan-out.ts`); over items known from the task, its
 * cheapest is every item answering once, and its upper bound is items × what one item may spend when that is more
 * than its limit. The run's upper bound adds the phases' bounds before the budget caps them: what `run` asks
 * about when the fan-out takes it over the budget (`needsConfirmation`).
 */
import { costOfUsage, estimateTokens } from '../budget/cost.js';
import { freePrice, priceOfRef } from '../budget/price-table.js';
import type { ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import { assessComplexity } from '../phase/complexity.js';
import { initialTier } from '../phase/model-choice.js';
import { systemPrompt, userPrompt } from '../phase/prompt.js';
import { roundUsd } from '../util/format.js';
import { estimateFanOut, type FanOutEstimate } from './estimate-fan-out.js';

export type { FanOutEstimate } from './estimate-fan-out.js';

/** Output of a phase that answers in one go: a report of a few pages. */
export const LOW_OUTPUT_TOKENS = 1_500;
/** What a dependency's handoff typically adds to a prompt (handoffs are capped at about this size). */
const TYPICAL_HANDOFF = 'x'.repeat(1_500);

export interface PhaseEstimate {
  id: string;
  tier: string;
  model: string;
  promptTokens: number;
  lowUsd: number;
  /** The phase's limit: the most it can spend, fanned out or not. */
  highUsd: number;
  /** The phase's upper bound before its limit: its limit, or items × item high when more (known items only). */
  upperBoundUsd: number;
  /** Present when the phase is configured to fan out. */
  fanOut?: FanOutEstimate;
}

export interface RunEstimate {
  phases: PhaseEstimate[];
  lowUsd: number;
  /** The most the run can spend: its budget, or less when the phase limits add up to less. */
  highUsd: number;
  /** The sum of the phases' upper bounds, before the run budget caps it. */
  upperBoundUsd: number;
  budgetUsd: number;
}

export function estimateRun(workflow: ResolvedWorkflow, task: string): RunEstimate {
  const phases = workflow.phases.map((phase) => estimatePhase(workflow, phase, task));
  const lowUsd = phases.reduce((sum, phase) => sum + phase.lowUsd, 0);
  const limits = phases.reduce((sum, phase) => sum + phase.highUsd, 0);
  const upperBoundUsd = phases.reduce((sum, phase) => sum + phase.upperBoundUsd, 0);
  return {
    phases,
    lowUsd,
    highUsd: Math.min(workflow.budgetUsd, limits),
    upperBoundUsd,
    budgetUsd: workflow.budgetUsd,
  };
}

/**
 * Whether `run` asks before starting: the upper bound is over the budget and a fan-out's items are what take a
 * phase past its own limit. Phase limits that add up to more than the budget are an ordinary configuration (the
 * budget is the cap the user chose, `--budget 0.50` on the built-in workflow does it) and are not asked about;
 * the items' multiplier, which no limit in the file shows at a glance, is.
 */
export function needsConfirmation(estimate: RunEstimate): boolean {
  const multiplied = estimate.phases.some((phase) => above(phase.upperBoundUsd, phase.highUsd));
  return multiplied && above(estimate.upperBoundUsd, estimate.budgetUsd);
}

function estimatePhase(workflow: ResolvedWorkflow, phase: ResolvedPhase, task: string): PhaseEstimate {
  const agent = workflow.agents[phase.agent]!;
  const position =
    phase.model.kind === 'auto'
      ? (() => {
          const assessment = assessComplexity({
            task,
            phaseId: phase.id,
            agent: phase.agent,
            workspaceFileCount: 0,
            earlierFailures: 0,
            tiers: workflow.tiers,
          });
          return { label: assessment.tier, ref: workflow.tierModels[assessment.tier]! };
        })()
      : initialTier(phase.model, workflow);
  const upstream = phase.dependsOn.map((id) => ({
    phaseId: id,
    handoff: TYPICAL_HANDOFF,
    reportPath: `.phasewise/runs/<run>/${id}/report.md`,
  }));
  const price = priceOfRef(workflow.providers, position.ref) ?? freePrice;
  const promptTokensFor = (text: string) =>
    estimateTokens(
      systemPrompt(agent, agent.deliverables) +
        userPrompt({
          agent,
          task: text,
          workspace: workflow.workspace,
          upstream,
          deliverables: agent.deliverables,
        }),
    );
  const priceOnce = (text: string) =>
    costOfUsage(
      { inputNoCache: promptTokensFor(text), cacheRead: 0, cacheWrite: 0, output: LOW_OUTPUT_TOKENS },
      price,
    );
  const single = {
    id: phase.id,
    tier: position.label,
    model: position.ref,
    promptTokens: promptTokensFor(task),
    lowUsd: priceOnce(task),
    highUsd: phase.costLimitUsd,
    upperBoundUsd: phase.costLimitUsd,
  };
  if (phase.fanOut === undefined) return single;
  const fanOut = estimateFanOut(phase.fanOut, phase.costLimitUsd, task, priceOnce);
  if (fanOut.items === null || fanOut.oneAgent !== null || fanOut.uncappedHighUsd === null)
    return { ...single, fanOut };
  return {
    ...single,
    lowUsd: fanOut.items * fanOut.itemLowUsd,
    upperBoundUsd: above(fanOut.uncappedHighUsd, phase.costLimitUsd)
      ? fanOut.uncappedHighUsd
      : phase.costLimitUsd,
    fanOut,
  };
}

/** Compared as the amounts are shown: 3 × $0.10 is $0.30, not a float's hair above it. */
function above(amount: number, limit: number): boolean {
  return roundUsd(amount) > roundUsd(limit);
}
