/**
 * How a phase ended: a union keyed on status, each variant with only its own fields. Plain types, so the journal
 * schema of a passed outcome (step-schemas.ts) can describe them without importing how a phase runs.
 */
import type { Finding } from '../gate/findings.js';
import type { Verdict } from './go-no-go.js';

export interface OutcomeOf<S extends string> {
  phaseId: string;
  status: S;
  attempts: number;
  tier: string;
  model: string;
  costUsd: number;
  gateScore: number | null;
}

export interface PassedOutcome extends OutcomeOf<'passed'> {
  reportPath: string;
  handoff: string | null;
  /** Why it passed when not on its gate (a person approved it, its work went back to implementation). */
  message: string | null;
  /** The report's go / no-go, when it gives one (verification's decides the run); older records lack it. */
  verdict?: Verdict | null;
  /** Critical findings the report lists (a review's send the work back); older records lack them. */
  criticalFindings?: Finding[];
  /**
   * Set when the result came from the phase cache (`orchestrator/phase-reuse.ts`): the run that produced it, and
   * what it cost and took there. The outcome's own cost is then 0.
   */
  reusedFrom?: { runId: string; costUsd: number; durationMs: number };
}

/** Stopped for a person: `halted` waits for an answer, `aborted` was ended by one. */
export interface StoppedOutcome extends OutcomeOf<'halted' | 'aborted'> {
  /** A review halted after its rework rounds keeps its last report. */
  reportPath: string | null;
  message: string;
}

export interface FailedOutcome extends OutcomeOf<'failed' | 'timed_out' | 'budget_exceeded' | 'interrupted'> {
  reportPath: null;
  message: string;
  /** The error that ended the phase (budget, timeout, interrupt, a provider's or a check's failure). */
  error: unknown;
}

export type PhaseOutcome = PassedOutcome | StoppedOutcome | FailedOutcome;
