/**
 * How a phase ended, as the record the orchestrator and the journal keep: one variant per way of ending, each
 * with its own fields. A passed outcome is the journal step `<phase>/result`; the others are never journaled.
 */
import { join } from 'node:path';
import {
  BudgetExceededError,
  InterruptedError,
  PhaseTimeoutError,
  RunDeadlineError,
} from '../errors/index.js';
import { parseFindings } from '../gate/findings.js';
import { stepAddress } from '../journal/step-keys.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { AttemptResult } from './attempt.js';
import { parseGoNoGo } from './go-no-go.js';
import { extractHandoff } from './handoff.js';
import type { TierPosition } from './model-choice.js';
import type {
  FailedOutcome,
  OutcomeOf,
  PassedOutcome,
  PhaseOutcome,
  StoppedOutcome,
} from './outcome-types.js';
import type { PhaseServices } from './phase-services.js';
import type { PhaseSpec } from './phase-spec.js';
import { passedOutcomeSchema } from './step-schemas.js';

export type { FailedOutcome, PassedOutcome, PhaseOutcome, StoppedOutcome };

export interface AttemptState {
  attempts: number;
  position: TierPosition;
  gateScore: number | null;
}

export async function passedOutcome(
  spec: PhaseSpec,
  services: PhaseServices,
  state: AttemptState,
  result: AttemptResult,
  /** Why it passed when not on its gate (a person approved it). */
  note: string | null = null,
): Promise<PassedOutcome> {
  const { phase } = spec;
  const { value } = await services.steps.step<PassedOutcome>(
    { ...stepAddress({ phaseId: phase.id, step: 'result' }), phaseId: phase.id, schema: passedOutcomeSchema },
    async () => {
      const reportPath = join(spec.artifactDir, 'report.md');
      writeFileAtomic(reportPath, services.redactor?.redact(result.agent.text) ?? result.agent.text);
      return {
        ...outcomeOf(spec, services, state, 'passed'),
        reportPath,
        handoff: extractHandoff(result.agent.text),
        message: note,
        verdict: parseGoNoGo(result.agent.text),
        criticalFindings: parseFindings(result.agent.text).filter(
          (finding) => finding.severity === 'critical',
        ),
      };
    },
  );
  return value;
}

export function stoppedOutcome(
  spec: PhaseSpec,
  services: PhaseServices,
  state: AttemptState,
  status: StoppedOutcome['status'],
  message: string,
): StoppedOutcome {
  return { ...outcomeOf(spec, services, state, status), reportPath: null, message };
}

export function failedOutcome(
  spec: PhaseSpec,
  services: PhaseServices,
  state: AttemptState,
  error: unknown,
): FailedOutcome {
  const message = error instanceof Error ? error.message : String(error);
  return { ...outcomeOf(spec, services, state, failureStatus(error)), reportPath: null, message, error };
}

/** What an error that ended a phase (or a fan-out) makes of it: timed out, out of money, interrupted, failed. */
export function failureStatus(error: unknown): FailedOutcome['status'] {
  return error instanceof PhaseTimeoutError || error instanceof RunDeadlineError
    ? 'timed_out'
    : error instanceof BudgetExceededError
      ? 'budget_exceeded'
      : error instanceof InterruptedError
        ? 'interrupted'
        : 'failed';
}

function outcomeOf<S extends string>(
  spec: PhaseSpec,
  services: PhaseServices,
  state: AttemptState,
  status: S,
): OutcomeOf<S> {
  return {
    phaseId: spec.phase.id,
    status,
    attempts: state.attempts,
    tier: state.position.label,
    model: state.position.ref,
    costUsd: services.ledger.spent(spec.phase.id),
    gateScore: state.gateScore,
  };
}
