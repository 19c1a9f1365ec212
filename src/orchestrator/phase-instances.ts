/**
 * How one instance of a phase runs within a run — its first pass, or a rework round's: the phase's own code with
 * the run's services (and the rework hook where review may send work back), through the phase cache when the
 * journal keeps one, so an instance whose inputs match an earlier passed one is reused instead.
 */
import { join } from 'node:path';
import type { ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import type { PhaseOutcome } from '../phase/phase-outcome.js';
import type { FanOut, PhaseServices } from '../phase/phase-services.js';
import type { UpstreamHandoff } from '../phase/prompt.js';
import { runPhase } from '../phase/run-phase.js';
import { type PhaseCacheContext, throughPhaseCache } from './phase-reuse.js';
import { reworkOnCriticalFindings, reworkPlan } from './rework.js';

export interface PhaseInstancesContext {
  runId: string;
  workflow: ResolvedWorkflow;
  task: string;
  /** `.phasewise/runs/<run-id>`: each phase's artifacts go in a folder of its id. */
  artifactRoot: string;
  services: PhaseServices;
  reviewRounds: number;
  /** The journal's phase cache and the run's reuse mode; absent when the journal keeps none. */
  cache?: PhaseCacheContext;
}

export type PhaseInstanceRunner = (
  phase: ResolvedPhase,
  upstream: UpstreamHandoff[],
  fanOut?: FanOut,
) => Promise<PhaseOutcome>;

export function phaseInstances(context: PhaseInstancesContext): PhaseInstanceRunner {
  const { runId, workflow, task, artifactRoot, services, reviewRounds, cache } = context;
  const runUncached: PhaseInstanceRunner = (phase, upstream, fanOut) =>
    runPhase(
      {
        runId,
        phase,
        agent: workflow.agents[phase.agent]!,
        workflow,
        task,
        upstream,
        artifactDir: join(artifactRoot, phase.id),
      },
      {
        ...(reviewRounds > 0 && reworkPlan(workflow, phase) !== undefined
          ? { ...services, rework: reworkOnCriticalFindings }
          : services),
        ...(fanOut === undefined ? {} : { fanOut }),
      },
    );
  return (phase, upstream, fanOut) =>
    cache === undefined
      ? runUncached(phase, upstream, fanOut)
      : throughPhaseCache(cache, phase, upstream, join(artifactRoot, phase.id), () =>
          runUncached(phase, upstream, fanOut),
        );
}
