/** How a phase ended, as the record the orchestrator and the journal keep. */
import { join } from 'node:path';
import {
  BudgetExceededError,
  InterruptedError,
  PhaseTimeoutError,
  RunDeadlineError,
} from '../errors/index.js';
import type { PhaseStatus } from '../events/index.js';
import { parseFindings } from '../gate/findings.js';
import { stepAddress } from '../journal/step-keys.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { AttemptResult } from './attempt.js';
import { parseGoNoGo } from './go-no-go.js';
import { extractHandoff } from './handoff.js';
import type { TierPosition } from './model-choice.js';
import type { PhaseContext, PhaseOutcome } from './phase-context.js';
import { passedOutcomeSchema } from './step-schemas.js';

export interface AttemptState {
  attempts: number;
  position: TierPosition;
  gateScore: number | null;
}

export async function passedOutcome(
  context: PhaseContext,
  state: AttemptState,
  result: AttemptResult,
  /** Why it passed when not on its gate (a person approved it). */
  note: string | null = null,
): Promise<PhaseOutcome> {
  const { phase, steps } = context;
  const { value } = await steps.step<PhaseOutcome>(
    { ...stepAddress({ phaseId: phase.id, step: 'result' }), phaseId: phase.id, schema: passedOutcomeSchema },
    async () => {
      const reportPath = join(context.artifactDir, 'report.md');
      writeFileAtomic(reportPath, context.redactor?.redact(result.agent.text) ?? result.agent.text);
      return {
        ...outcomeOf(context, state, 'passed', reportPath, note),
        handoff: extractHandoff(result.agent.text),
        verdict: parseGoNoGo(result.agent.text),
        criticalFindings: parseFindings(result.agent.text).filter(
          (finding) => finding.severity === 'critical',
        ),
      };
    },
  );
  return value;
}

export function outcomeOf(
  context: PhaseContext,
  state: AttemptState,
  status: PhaseStatus,
  reportPath: string | null,
  message: string | null,
): PhaseOutcome {
  return {
    phaseId: context.phase.id,
    status,
    attempts: state.attempts,
    tier: state.position.label,
    model: state.position.ref,
    costUsd: context.ledger.spent(context.phase.id),
    gateScore: state.gateScore,
    reportPath,
    handoff: null,
    message,
  };
}

export function failedOutcome(context: PhaseContext, state: AttemptState, error: unknown): PhaseOutcome {
  const status: PhaseStatus =
    error instanceof PhaseTimeoutError || error instanceof RunDeadlineError
      ? 'timed_out'
      : error instanceof BudgetExceededError
        ? 'budget_exceeded'
        : error instanceof InterruptedError
          ? 'interrupted'
          : 'failed';
  const message = error instanceof Error ? error.message : String(error);
  return { ...outcomeOf(context, state, status, null, message), error };
}
