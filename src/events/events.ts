/**
 * The typed events of a run (STYLE §13: noun-verb, pairs end in `-end`). The CLI renders them, `--json`
 * streams them one per line, and the journal keeps them for `status` and reports.
 */
import type { CheckResultSummary, EventBase, TokenCounts } from './event-base.js';
import type { FanOutEvent } from './fan-out-events.js';
import type { AttemptStopReason, PhaseStatus, RunStatus } from './statuses.js';

export type RunEvent =
  | FanOutEvent
  | (EventBase & {
      type: 'run-start';
      resumed: boolean;
      workspace: string;
      task: string;
      budgetUsd: number;
      phases: Array<{ id: string; agent: string; model: string; costLimitUsd: number; dependsOn: string[] }>;
    })
  | (EventBase & { type: 'phase-start'; phaseId: string; resumed: boolean })
  | (EventBase & { type: 'attempt-start'; phaseId: string; attempt: number; tier: string; model: string })
  | (EventBase & {
      type: 'model-call-start';
      phaseId: string;
      attempt: number;
      turn: number;
      model: string;
      reservedUsd: number;
    })
  | (EventBase & {
      type: 'model-call-end';
      phaseId: string;
      attempt: number;
      turn: number;
      /**
       * Set when the charge is not one turn's response — a Claude Code session's settlement of what its responses
       * did not show (`settlement of session 1`); views print it in place of `turn N`.
       */
      label?: string;
      model: string;
      tokens: TokenCounts;
      costUsd: number;
      phaseSpentUsd: number;
      runSpentUsd: number;
      replayed: boolean;
      durationMs: number;
    })
  | (EventBase & {
      type: 'tool-call';
      phaseId: string;
      attempt: number;
      turn: number;
      tool: string;
      summary: string;
    })
  | (EventBase & {
      type: 'tool-call-end';
      phaseId: string;
      attempt: number;
      turn: number;
      tool: string;
      ok: boolean;
      replayed: boolean;
    })
  | (EventBase & {
      type: 'budget-warning';
      phaseId: string;
      spentUsd: number;
      limitUsd: number;
      message: string;
    })
  | (EventBase & {
      /**
       * A command run without the sandbox (`run_command`, a gate's `command` check) changed the run's governing
       * files or a `.git`'s configuration or hooks, and phasewise put them back (`tools/governing-fingerprint.ts`).
       */
      type: 'workspace-warning';
      phaseId: string;
      attempt: number;
      /** `run_command`, or `gate check <name>`. */
      source: string;
      /** What was put back: `restored ci/pw.yaml`, `removed sub/.git`. */
      paths: string[];
      message: string;
    })
  | (EventBase & {
      /** A model call failed with a retryable error and is tried again after `waitMs` (429, 529, reset...). */
      type: 'model-call-retry';
      phaseId: string;
      attempt: number;
      turn: number;
      provider: string;
      model: string;
      /** The try that failed, from 1, and how many tries there are in all. */
      try: number;
      maxTries: number;
      waitMs: number;
      /** In words, for people: `rate limited by anthropic (HTTP 429)`. */
      reason: string;
      status: number | null;
    })
  | (EventBase & {
      /** How an attempt's agent stopped, whatever the gate then says of its output. */
      type: 'attempt-end';
      phaseId: string;
      attempt: number;
      turns: number;
      stopReason: AttemptStopReason;
      /** Why, in words, when the agent did not simply answer. */
      detail: string | null;
    })
  | (EventBase & {
      type: 'gate-end';
      phaseId: string;
      attempt: number;
      score: number;
      threshold: number;
      passed: boolean;
      vetoed: boolean;
      checks: CheckResultSummary[];
    })
  | (EventBase & {
      type: 'escalation-end';
      phaseId: string;
      attempt: number;
      action: 'retry' | 'escalate' | 'halt' | 'fail';
      fromTier: string;
      toTier: string;
      reason: string;
    })
  /**
   * The phase's result came from the phase cache instead of the model: nothing was spent on it in this run.
   * Between its `phase-start` and its `phase-end` (whose cost is 0).
   */
  | (EventBase & {
      type: 'phase-reused';
      phaseId: string;
      /** The run whose phase produced the result. */
      fromRunId: string;
      /** What that phase cost and took when it ran: what this run saved. */
      originalCostUsd: number;
      originalDurationMs: number;
      /** The first 12 hex digits of the cache key. */
      key: string;
      /** A workspace-changing phase's recorded changes were applied to the workspace and the tree verified. */
      changesApplied: boolean;
    })
  | (EventBase & {
      type: 'phase-end';
      phaseId: string;
      status: PhaseStatus;
      attempts: number;
      tier: string;
      model: string;
      costUsd: number;
      gateScore: number | null;
      threshold: number;
      durationMs: number;
      reportPath: string | null;
      message: string | null;
    })
  | (EventBase & {
      type: 'run-end';
      status: RunStatus;
      costUsd: number;
      durationMs: number;
      exitCode: number;
      message: string | null;
    });

export type RunEventType = RunEvent['type'];
export type EventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** Anything that wants to hear about a run: the CLI's renderer, the journal, a test. */
export type EventSink = (event: RunEvent) => void;

/** A run event without the fields the emitter fills in itself. */
export type EventInput = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'runId' | 'at'>
    : never
  : never;
