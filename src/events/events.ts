/**
 * The typed events of a run (STYLE §13: noun-verb, pairs end in `-end`). The CLI renders them, `--json`
 * streams them one per line, and the journal keeps them for `status` and reports.
 */
export type PhaseStatus =
  | 'pending'
  | 'running'
  | 'passed'
  | 'failed'
  | 'halted'
  | 'timed_out'
  | 'budget_exceeded'
  | 'interrupted'
  | 'aborted'
  | 'skipped';

/** How a fan-out ended (`fan-out-end`). */
export type FanOutEndStatus =
  | 'merged'
  | 'halted'
  | 'failed'
  | 'budget_exceeded'
  | 'timed_out'
  | 'interrupted';

export type RunStatus =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'halted'
  | 'budget_exceeded'
  | 'timed_out'
  | 'interrupted'
  | 'aborted'
  | 'no_go';

/**
 * Why an attempt's agent stopped: it answered; the turn cap; a loop (the same call repeated, turns without new
 * information); its share of the budget ran out; the phase timed out; the run was interrupted; an error.
 */
export type AttemptStopReason =
  | 'answered'
  | 'max-turns'
  | 'repeated-call'
  | 'no-progress'
  | 'budget'
  | 'timeout'
  | 'interrupted'
  | 'error';

export interface TokenCounts {
  inputNoCache: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
}

/** The one zero: no tokens of any kind (a fresh object, callers add to it). `ModelUsage` starts from it too. */
export function noTokens(): TokenCounts {
  return { inputNoCache: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 };
}

export interface CheckResultSummary {
  name: string;
  kind: string;
  score: number;
  weight: number;
  required: boolean;
  passed: boolean;
  message: string;
  /** What the check found (missing paths, a command's exit code and output tail, parsed findings...), plain JSON. */
  evidence?: unknown;
}

interface Base {
  runId: string;
  /** ISO time the event happened. */
  at: string;
  /**
   * Set when a resumed run re-derives this event from the journal instead of from new work. Shown live, never
   * journaled twice.
   */
  replayed?: boolean;
  /**
   * Set on the events of a lane of a fanned-out phase: the work item whose agent (or whose merge's conflict turn,
   * with `mergeTurn`) the event is about. The lane's phase-level events are `item-start` / `item-end`.
   */
  item?: string;
  mergeTurn?: true;
}

/** A work item as a fanned-out phase announces it. */
export interface FanOutItem {
  id: string;
  title: string;
  dependsOn: string[];
  files: string[];
  costLimitUsd: number;
}

export type RunEvent =
  | (Base & {
      type: 'run-start';
      resumed: boolean;
      workspace: string;
      task: string;
      budgetUsd: number;
      phases: Array<{ id: string; agent: string; model: string; costLimitUsd: number; dependsOn: string[] }>;
    })
  | (Base & { type: 'phase-start'; phaseId: string; resumed: boolean })
  | (Base & { type: 'attempt-start'; phaseId: string; attempt: number; tier: string; model: string })
  | (Base & {
      type: 'model-call-start';
      phaseId: string;
      attempt: number;
      turn: number;
      model: string;
      reservedUsd: number;
    })
  | (Base & {
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
  | (Base & {
      type: 'tool-call';
      phaseId: string;
      attempt: number;
      turn: number;
      tool: string;
      summary: string;
    })
  | (Base & {
      type: 'tool-call-end';
      phaseId: string;
      attempt: number;
      turn: number;
      tool: string;
      ok: boolean;
      replayed: boolean;
    })
  | (Base & { type: 'budget-warning'; phaseId: string; spentUsd: number; limitUsd: number; message: string })
  | (Base & {
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
  | (Base & {
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
  | (Base & {
      /** How an attempt's agent stopped, whatever the gate then says of its output. */
      type: 'attempt-end';
      phaseId: string;
      attempt: number;
      turns: number;
      stopReason: AttemptStopReason;
      /** Why, in words, when the agent did not simply answer. */
      detail: string | null;
    })
  | (Base & {
      type: 'gate-end';
      phaseId: string;
      attempt: number;
      score: number;
      threshold: number;
      passed: boolean;
      vetoed: boolean;
      checks: CheckResultSummary[];
    })
  | (Base & {
      type: 'escalation-end';
      phaseId: string;
      attempt: number;
      action: 'retry' | 'escalate' | 'halt' | 'fail';
      fromTier: string;
      toTier: string;
      reason: string;
    })
  | (Base & {
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
  /** A phase fans out over its work items, each in its own worktree from `baseCommit`. */
  | (Base & {
      type: 'fan-out-start';
      phaseId: string;
      baseCommit: string;
      maxParallel: number;
      items: FanOutItem[];
    })
  /** A phase configured to fan out runs as a single agent (one item or none, or no plan); `reason` says why. */
  | (Base & { type: 'fan-out-skipped'; phaseId: string; reason: string })
  | (Base & { type: 'item-start'; phaseId: string; item: string; startCommit: string; resumed: boolean })
  | (Base & {
      type: 'item-end';
      phaseId: string;
      item: string;
      status: PhaseStatus;
      attempts: number;
      tier: string;
      model: string;
      costUsd: number;
      gateScore: number | null;
      threshold: number;
      /** The commit of the item's work on its branch; null when it did not pass. */
      commit: string | null;
      durationMs: number;
      message: string | null;
    })
  /**
   * A finished item merged into the phase's result, in dependency order: cleanly, resolved by a merge turn, or
   * left in conflict (the phase halts, naming `files`).
   */
  | (Base & {
      type: 'merge-end';
      phaseId: string;
      item: string;
      index: number;
      outcome: 'merged' | 'resolved' | 'conflict';
      files: string[];
      commit: string | null;
      costUsd: number;
    })
  | (Base & {
      type: 'fan-out-end';
      phaseId: string;
      /**
       * `merged`: its items merged (some may have been left out); `halted`: a merge for a person. The others: an
       * error ended it (the phase's or the run's money gone, a timeout, an interrupt, a failure) and its worktrees
       * stay for a resume; `message` says what.
       */
      status: FanOutEndStatus;
      mergedCommit: string | null;
      costUsd: number;
      durationMs: number;
      message: string | null;
    })
  | (Base & {
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
