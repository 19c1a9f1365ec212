/**
 * A dry run: each phase's prompt assembled as it would be sent (task, role prompt, deliverables, a typical
 * handoff per dependency) and a cost range — the cheapest plausible run (one attempt, one turn of about
 * `LOW_OUTPUT_TOKENS` on the starting tier) and the most it can cost (its limit, which the ledger enforces,
 * whatever retries and escalations happen) — with the run's total against its budget. No model is called.
 */
import { costOfUsage, estimateTokens } from '../budget/cost.js';
import { freePrice, priceOfRef } from '../budget/price-table.js';
import type { ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import { assessComplexity } from '../phase/complexity.js';
import { initialTier } from '../phase/model-choice.js';
import { systemPrompt, userPrompt } from '../phase/prompt.js';

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
  highUsd: number;
}

export interface RunEstimate {
  phases: PhaseEstimate[];
  lowUsd: number;
  /** The most the run can spend: its budget, or less when the phase limits add up to less. */
  highUsd: number;
  budgetUsd: number;
}

export function estimateRun(workflow: ResolvedWorkflow, task: string): RunEstimate {
  const phases = workflow.phases.map((phase) => estimatePhase(workflow, phase, task));
  const lowUsd = phases.reduce((sum, phase) => sum + phase.lowUsd, 0);
  const limits = phases.reduce((sum, phase) => sum + phase.highUsd, 0);
  return { phases, lowUsd, highUsd: Math.min(workflow.budgetUsd, limits), budgetUsd: workflow.budgetUsd };
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
  const prompt =
    systemPrompt(agent, agent.deliverables) +
    userPrompt({ agent, task, workspace: workflow.workspace, upstream, deliverables: agent.deliverables });
  const promptTokens = estimateTokens(prompt);
  const price = priceOfRef(workflow.providers, position.ref) ?? freePrice;
  const lowUsd = costOfUsage(
    { inputNoCache: promptTokens, cacheRead: 0, cacheWrite: 0, output: LOW_OUTPUT_TOKENS },
    price,
  );
  return {
    id: phase.id,
    tier: position.label,
    model: position.ref,
    promptTokens,
    lowUsd,
    highUsd: phase.costLimitUsd,
  };
}
