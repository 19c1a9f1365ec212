/**
 * What a phase uses: the run's mechanisms, shared by all its phases — the journal's steps, the ledger, models,
 * tools, the run's signal, events, the clock — and the policies the orchestrator decides for it.
 */
import type { Emit } from '../agent/agent-context.js';
import type { Ledger } from '../budget/ledger.js';
import type { DurableSteps } from '../journal/durable-steps.js';
import type { ModelResolver } from '../provider/resolver.js';
import type { Tool } from '../tools/tool.js';
import type { Clock } from '../util/clock.js';
import type { Redactor } from '../util/redact.js';
import type { ReworkPolicy } from './rework-policy.js';

export interface PhaseServices {
  steps: DurableSteps;
  ledger: Ledger;
  resolveModel: ModelResolver;
  tools: readonly Tool[];
  /** The run's signal: interrupt and run deadline. The phase adds its own timeout. */
  abortSignal: AbortSignal;
  emit: Emit;
  clock: Clock;
  /** Applied to every prompt before it is sent. */
  redactor?: Redactor;
  /** The environment of gates' `command` checks (see RunWorkflowOptions.commandEnv). */
  commandEnv?: Record<string, string | undefined>;
  /** Gates that failed earlier in this run (a signal for `model: auto`). */
  earlierGateFailures?: () => number;
  /** Asked when an attempt's gate fails; without one, a failed gate always goes to the escalation ladder. */
  rework?: ReworkPolicy;
}
