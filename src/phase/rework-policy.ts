/**
 * Whether a phase whose gate failed is done anyway because its work goes back to an earlier phase (the review
 * loop, `orchestrator/rework.ts`: a review that lists critical findings did its job). The phase asks after each
 * failed gate; the answer is the note its passed outcome carries, `undefined` when the ladder decides as usual.
 */
import type { GateResult } from '../gate/gate.js';

export interface FailedGate {
  /** The attempt's report: the agent's final text. */
  report: string;
  gate: GateResult;
}

export type ReworkPolicy = (attempt: FailedGate) => string | undefined;
