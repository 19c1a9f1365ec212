/**
 * The phase cache's key: the sha256 of the stable JSON of everything a phase's result depends on — its resolved
 * configuration (id, role with its prompt and permissions, model choice with the tiers' models, gate, escalation,
 * turn and output caps, fan-out), the task, its upstream phases' handoffs (and their reports' sha256: a plan's
 * work items are read from its report), and the workspace it starts from (a git
 * tree of tracked and untracked, not ignored, files; outside git, each file's sha256). Limits (cost, time) are
 * left out: only a passed phase is stored, and a passed phase's work does not depend on how much more it could
 * have spent. A change to any input is another key, so no reuse. `KEY_FORMAT` changes whenever what goes in
 * changes, so keys of an older build never match.
 */
import type { ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import type { UpstreamHandoff } from '../phase/prompt.js';
import type { WorkspaceSnapshot } from '../tools/workspace-snapshot.js';
import { sha256, stableStringify } from '../util/stable-json.js';

/** The version of the key's inputs; part of the hash. */
export const PHASE_CACHE_KEY_FORMAT = 1;

export interface PhaseCacheKeyInputs {
  phase: ResolvedPhase;
  workflow: ResolvedWorkflow;
  task: string;
  /** `report`: the sha256 of the upstream phase's report text, null when it has none. */
  upstream: readonly (Pick<UpstreamHandoff, 'phaseId' | 'handoff'> & { report: string | null })[];
  workspace: WorkspaceSnapshot;
}

/** What is hashed, as plain JSON (tests compare it; the key is its hash). */
export function phaseCacheKeyMaterial(inputs: PhaseCacheKeyInputs): unknown {
  const { phase, workflow } = inputs;
  return {
    format: PHASE_CACHE_KEY_FORMAT,
    phase: {
      id: phase.id,
      agent: workflow.agents[phase.agent] ?? phase.agent,
      model: phase.model,
      gate: phase.gate,
      escalation: phase.escalation,
      maxTurns: phase.maxTurns,
      maxOutputTokens: phase.maxOutputTokens,
      fanOut: phase.fanOut ?? null,
    },
    // The tiers a phase may escalate through, and the model each one names.
    tiers: workflow.tiers.map((tier) => [tier, workflow.tierModels[tier] ?? null]),
    task: inputs.task,
    upstream: inputs.upstream.map(({ phaseId, handoff, report }) => ({ phaseId, handoff, report })),
    workspace: inputs.workspace,
  };
}

export function phaseCacheKey(inputs: PhaseCacheKeyInputs): string {
  return sha256(stableStringify(phaseCacheKeyMaterial(inputs)));
}
