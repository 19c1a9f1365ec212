/**
 * Dependency order with bounded concurrency: a phase starts when every phase it depends on has passed; at most
 * `concurrency` run at once; after the first phase that does not pass, nothing new starts and the running ones
 * finish (they were not wrong, and their paid work is kept).
 */
import type { ResolvedPhase } from '../config/types.js';
import type { PhaseOutcome } from '../phase/phase-context.js';

export async function schedulePhases(
  phases: readonly ResolvedPhase[],
  concurrency: number,
  runOne: (phase: ResolvedPhase, finished: ReadonlyMap<string, PhaseOutcome>) => Promise<PhaseOutcome>,
): Promise<Map<string, PhaseOutcome>> {
  const finished = new Map<string, PhaseOutcome>();
  const running = new Map<string, Promise<PhaseOutcome>>();
  const waiting = [...phases];
  let stopped = false;
  for (;;) {
    while (!stopped && running.size < Math.max(1, concurrency)) {
      const index = waiting.findIndex((phase) =>
        phase.dependsOn.every((dependency) => finished.get(dependency)?.status === 'passed'),
      );
      if (index === -1) break;
      const [phase] = waiting.splice(index, 1);
      running.set(phase!.id, runOne(phase!, finished));
    }
    if (running.size === 0) return finished;
    const outcome = await Promise.race(running.values());
    running.delete(outcome.phaseId);
    finished.set(outcome.phaseId, outcome);
    if (outcome.status !== 'passed') stopped = true;
  }
}
