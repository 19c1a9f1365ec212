/** What the orchestrator hands a phase: its definition, the run's shared mechanisms, and upstream handoffs. */
import type { Emit } from '../agent/agent-context.js';
import type { CostLedger } from '../budget/ledger.js';
import type { AgentDefinition, ResolvedPhase, ResolvedWorkflow } from '../config/types.js';
import type { PhaseStatus } from '../events/index.js';
import type { Finding } from '../gate/findings.js';
import type { DurableSteps } from '../journal/durable-steps.js';
import type { ModelResolver } from '../provider/resolver.js';
import type { Tool } from '../tools/tool.js';
import type { Clock } from '../util/clock.js';
import type { Redactor } from '../util/redact.js';
import type { Verdict } from './go-no-go.js';
import type { UpstreamHandoff } from './prompt.js';

export interface PhaseContext {
  runId: string;
  phase: ResolvedPhase;
  agent: AgentDefinition;
  workflow: ResolvedWorkflow;
  task: string;
  upstream: UpstreamHandoff[];
  /** Directory under the run where this phase's outputs are written. */
  artifactDir: string;
  steps: DurableSteps;
  ledger: CostLedger;
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
  /**
   * A review in a review loop: when its gate fails only on its findings and it lists critical ones, the review
   * itself did its job — the work goes back to implementation instead of the review being retried.
   */
  reworkOnCriticalFindings?: boolean;
}

export interface PhaseOutcome {
  phaseId: string;
  status: PhaseStatus;
  attempts: number;
  tier: string;
  model: string;
  costUsd: number;
  gateScore: number | null;
  reportPath: string | null;
  handoff: string | null;
  message: string | null;
  /** The report's go / no-go, when it gives one (verification's decides the run). */
  verdict?: Verdict | null;
  /** Critical findings the report lists (a review's send the work back to implementation). */
  criticalFindings?: Finding[];
  /** The error that ended the phase, when one did (budget, timeout, interrupt, internal). */
  error?: unknown;
}
