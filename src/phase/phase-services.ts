/**
 * What a phase uses: the run's mechanisms, shared by all its phases — the journal's steps, the ledger, models,
 * tools, the run's signal, events, the clock — and the policies the orchestrator decides for it.
 */
import type { Emit } from '../agent/agent-context.js';
import type { AgentResult } from '../agent/run-agent.js';
import type { Ledger } from '../budget/ledger.js';
import type { DurableSteps } from '../journal/durable-steps.js';
import type { ModelResolver } from '../provider/resolver.js';
import type { ChangeWindows } from '../tools/change-windows.js';
import type { RoleTools, Tool } from '../tools/tool.js';
import type { Clock } from '../util/clock.js';
import type { Redactor } from '../util/redact.js';
import type { PhaseSpec } from './phase-spec.js';
import type { ReworkPolicy } from './rework-policy.js';

export interface PhaseServices {
  steps: DurableSteps;
  ledger: Ledger;
  resolveModel: ModelResolver;
  tools: readonly Tool[];
  /** The MCP tools a role opts in to, found when its attempt starts; without it, none. */
  roleTools?: RoleTools;
  /** The run's signal: interrupt and run deadline. The phase adds its own timeout. */
  abortSignal: AbortSignal;
  emit: Emit;
  clock: Clock;
  /** Applied to every prompt before it is sent. */
  redactor?: Redactor;
  /** The environment of gates' `command` checks (see RunWorkflowOptions.commandEnv). */
  commandEnv?: Record<string, string | undefined>;
  /** Gates that failed earlier in this run (a signal for `model: auto`). */
  earlierGateFailures?: () => Promise<number>;
  /** Asked when an attempt's gate fails; without one, a failed gate always goes to the escalation ladder. */
  rework?: ReworkPolicy;
  /** Set for a phase that fans out over work items: its first attempt runs them side by side (`fan-out/`). */
  fanOut?: FanOut;
  /**
   * Resolves when the phase's workspace exists (a lane's worktree is made while its first model call is under
   * way): nothing reads or changes the workspace before. Without it, the workspace is there already.
   */
  workspaceReady?: Promise<unknown>;
}

/** A phase's first attempt as work items side by side, merged into the workspace. */
export interface FanOut {
  run(spec: PhaseSpec, services: PhaseServices, attempt: FanOutAttempt): Promise<FanOutResult>;
}

export interface FanOutAttempt {
  abortSignal: AbortSignal;
  /** The attempt's change windows: bringing the merged result into the workspace is the phase's change. */
  changes: ChangeWindows;
}

/** The attempt's result as one agent's would be, and the reason to halt when a merge was left in conflict. */
export interface FanOutResult extends AgentResult {
  halt: string | null;
}
