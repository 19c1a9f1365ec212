/** A run's final status and exit code (DESIGN §1), from how its phases ended. Pure. */
import {
  ExitCode,
  type ExitCodeValue,
  InterruptedError,
  isPhasewiseError,
  RunDeadlineError,
} from '../errors/index.js';
import type { PhaseStatus, RunStatus } from '../events/index.js';
import type { PhaseOutcome } from '../phase/phase-outcome.js';

export interface RunVerdict {
  status: RunStatus;
  exitCode: ExitCodeValue;
  message: string | null;
}

/** When several phases stopped for different reasons, the first listed here names the run. */
const precedence: Array<{ phase: PhaseStatus; run: RunStatus; exitCode: ExitCodeValue }> = [
  { phase: 'interrupted', run: 'interrupted', exitCode: ExitCode.interrupted },
  // A person ended the run at a review: it stopped short like a halt, for good.
  { phase: 'aborted', run: 'aborted', exitCode: ExitCode.halted },
  { phase: 'failed', run: 'failed', exitCode: ExitCode.internal },
  { phase: 'budget_exceeded', run: 'budget_exceeded', exitCode: ExitCode.budget },
  { phase: 'timed_out', run: 'timed_out', exitCode: ExitCode.timeout },
  { phase: 'halted', run: 'halted', exitCode: ExitCode.halted },
];

export function runVerdict(
  outcomes: readonly PhaseOutcome[],
  phaseCount: number,
  abortReason?: unknown,
  /** Phases whose go / no-go decides the run (the verification role's). */
  deciding: ReadonlySet<string> = new Set(),
): RunVerdict {
  for (const rule of precedence) {
    const outcome = outcomes.find((candidate) => candidate.status === rule.phase);
    if (outcome === undefined) continue;
    const message = `phase ${outcome.phaseId}: ${outcome.message ?? outcome.status}`;
    if (rule.phase === 'failed') return failedVerdict(outcome, message);
    return { status: rule.run, exitCode: rule.exitCode, message };
  }
  const passed = outcomes.filter((outcome) => outcome.status === 'passed').length;
  // Stopped between phases: the reason the run was aborted names it.
  if (passed < phaseCount && abortReason instanceof InterruptedError) {
    return { status: 'interrupted', exitCode: ExitCode.interrupted, message: 'interrupted between phases' };
  }
  if (passed < phaseCount && abortReason instanceof RunDeadlineError) {
    return { status: 'timed_out', exitCode: ExitCode.timeout, message: abortReason.message };
  }
  if (passed < phaseCount) {
    return {
      status: 'failed',
      exitCode: ExitCode.internal,
      message: `${phaseCount - passed} phase(s) never started`,
    };
  }
  const noGo = outcomes.find(
    (outcome) => deciding.has(outcome.phaseId) && outcome.status === 'passed' && outcome.verdict === 'no-go',
  );
  if (noGo !== undefined) {
    return {
      status: 'no_go',
      exitCode: ExitCode.halted,
      message: `phase ${noGo.phaseId} says no-go (see its report)`,
    };
  }
  return { status: 'succeeded', exitCode: ExitCode.ok, message: null };
}

/** A gate that failed after the whole ladder halts the run (3); an error carries its own exit code. */
function failedVerdict(outcome: PhaseOutcome, message: string): RunVerdict {
  if (outcome.status !== 'failed' || outcome.error === undefined)
    return { status: 'halted', exitCode: ExitCode.halted, message };
  const exitCode = isPhasewiseError(outcome.error) ? outcome.error.exitCode : ExitCode.internal;
  return { status: 'failed', exitCode, message };
}
