/**
 * What one attempt needs from the layers around it, whichever runtime runs it: the price of its model, the
 * journal's step contract, the run's ledger, the phase's AbortSignal, and somewhere to report events. The tool
 * loop adds the model it calls (`AgentContext`); a Claude Code session reaches its model by itself.
 */
import type { Ledger } from '../budget/ledger.js';
import type { Price } from '../budget/price-table.js';
import type { EventInput } from '../events/index.js';
import type { DurableSteps } from '../journal/durable-steps.js';
import type { LanguageModel } from '../provider/model.js';
import type { Clock } from '../util/clock.js';
import type { Redactor } from '../util/redact.js';

export type Emit = (event: EventInput) => void;

export interface AttemptContext {
  runId: string;
  phaseId: string;
  attempt: number;
  price: Price;
  steps: DurableSteps;
  ledger: Ledger;
  abortSignal: AbortSignal;
  emit: Emit;
  clock: Clock;
  workspace: string;
  /** The workspace's governing files, which its tools may not change (`sandbox.protectedFiles`). */
  protectedFiles?: readonly string[] | undefined;
  /** What this phase spent in earlier attempts (replay-stable, unlike the ledger's live total). */
  priorPhaseCostUsd: number;
  /** The lane of a fanned-out phase the attempt runs in, if any. */
  lane?: string;
  /** Applied to the system prompt and every message before they are sent: the model never sees a secret. */
  redactor?: Redactor;
  /** No tool call is dispatched before it resolves (the phase's snapshot of the workspace, taken meanwhile). */
  toolsWaitFor?: Promise<unknown>;
}

/** The tool loop's context: the attempt's, and the model it calls turn by turn. */
export interface AgentContext extends AttemptContext {
  model: LanguageModel;
}
