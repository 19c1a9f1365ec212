/**
 * What a phase is: its resolved definition, its agent, the part of the workflow it reads, and what this instance
 * of it was given in its run (the task, upstream handoffs, where its outputs go). Plain data, the same on replay.
 */
import type { AgentDefinition, ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import type { UpstreamHandoff } from './prompt.js';

/** The workflow as one phase sees it: the workspace and its sandbox, and the tier ladder it climbs. */
export type PhaseWorkflow = Pick<ResolvedWorkflow, 'workspace' | 'sandbox' | 'tiers' | 'tierModels'>;

export interface PhaseSpec {
  runId: string;
  phase: ResolvedPhase;
  agent: AgentDefinition;
  workflow: PhaseWorkflow;
  task: string;
  /**
   * A lane's own part of the task (its work item, or the conflict a merge turn resolves), told after the task and
   * the handoffs, so every lane of the phase opens with the same text and the provider caches it once.
   */
  part?: string;
  upstream: UpstreamHandoff[];
  /** Directory under the run where this phase's outputs are written. */
  artifactDir: string;
  /** Set for a lane of a fanned-out phase (`item-auth`, `merge-2`): its model calls say so. */
  lane?: string;
}
