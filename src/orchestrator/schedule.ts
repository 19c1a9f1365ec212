/**
 * Dependency order with bounded concurrency. A phase starts exactly when every phase it depends on has passed —
 * a rule that does not depend on which phase finished first, so a resumed run (where recorded phases finish
 * at once) starts the same phases as an uninterrupted one. Nothing new starts once the run is aborted.
 *
 * If running a phase throws (an engine failure, not a phase outcome), the run is aborted, every phase still
 * running is awaited — none is left calling paid models behind the caller's back — and the error is rethrown.
 */
import type { ResolvedPhase } from '../config/types.js';
import type { PhaseOutcome } from '../phase/phase-outcome.js';

export interface ScheduleOptions {
  concurrency: number;
  abortSignal: AbortSignal;
  /** Stops the phases still running when one of them failed outright. */
  abort: (reason: unknown) => void;
}

type Settled = { phaseId: string; outcome?: PhaseOutcome; error?: unknown };

export async function schedulePhases(
  phases: readonly ResolvedPhase[],
  options: ScheduleOptions,
  runOne: (phase: ResolvedPhase, finished: ReadonlyMap<string, PhaseOutcome>) => Promise<PhaseOutcome>,
): Promise<Map<string, PhaseOutcome>> {
  const finished = new Map<string, PhaseOutcome>();
  const running = new Map<string, Promise<Settled>>();
  const waiting = [...phases];
  let fatal: { error: unknown } | undefined;
  for (;;) {
    while (
      fatal === undefined &&
      !options.abortSignal.aborted &&
      running.size < Math.max(1, options.concurrency)
    ) {
      const index = waiting.findIndex((phase) =>
        phase.dependsOn.every((dependency) => finished.get(dependency)?.status === 'passed'),
      );
      if (index === -1) break;
      const phase = waiting.splice(index, 1)[0]!;
      const settled = runOne(phase, finished).then(
        (outcome): Settled => ({ phaseId: phase.id, outcome }),
        (error: unknown): Settled => ({ phaseId: phase.id, error }),
      );
      running.set(phase.id, settled);
    }
    if (running.size === 0) break;
    const settled = await Promise.race(running.values());
    running.delete(settled.phaseId);
    if (settled.outcome !== undefined) finished.set(settled.phaseId, settled.outcome);
    else if (fatal === undefined) {
      fatal = { error: settled.error };
      options.abort(settled.error);
    }
  }
  if (fatal !== undefined) throw fatal.error;
  return finished;
}
