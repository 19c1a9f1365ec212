/** The run summary's shape (see run-summary.ts for where each figure comes from) and its empty values. */
import {
  type AttemptStopReason,
  type CheckResultSummary,
  type FanOutEndStatus,
  noTokens,
  type PhaseStatus,
  type RunStatus,
  type TokenCounts,
} from '../events/index.js';

export interface GateSummary {
  score: number;
  threshold: number;
  passed: boolean;
  vetoed: boolean;
  /** The checks that did not pass (the gate may still have passed). */
  failing: CheckResultSummary[];
}

export interface RetrySummary {
  /** Model calls tried again after a retryable failure (429, 529, a reset...). */
  count: number;
  /** Time spent waiting before those tries. */
  waitMs: number;
}

/** One attempt of one round: `implementation@2` attempt 1 is round 2, attempt 1. */
export interface AttemptSummary {
  /** The phase instance that made it: `implementation`, or `implementation@2` in review-loop round 2. */
  instanceId: string;
  round: number;
  /** Within its round, from 1. */
  attempt: number;
  tier: string;
  model: string;
  startedAt: string;
  durationMs: number | null;
  tokens: TokenCounts;
  costUsd: number;
  gate: GateSummary | null;
  /** Why its agent stopped (`answered` when it simply answered); null when not known (yet). */
  stopReason: AttemptStopReason | null;
  stopDetail: string | null;
  retries: RetrySummary;
}

/** One review-loop round of a phase: the first run of it, then each time the review sent the work back. */
export interface RoundSummary {
  instanceId: string;
  round: number;
  status: PhaseStatus;
  attempts: number;
  durationMs: number | null;
}

/** Model calls a kill cut off (see cut-off-calls.ts): their cost is an estimate, not part of `costUsd`. */
export interface CutOffSummary {
  /** Calls in flight when a kill landed and made again on resume. */
  calls: number;
  /** The re-run calls' own recorded usage: the best estimate of what the lost calls used. */
  estimatedTokens: TokenCounts;
  /** That usage priced as the re-run calls were: an estimate, never added to `costUsd`. */
  estimatedCostUsd: number;
  /** Calls cut off and not made again yet (the run is still interrupted): counted, not estimated. */
  notRerun: number;
}

/** A `workspace-warning`: a command without the sandbox changed the rules, and phasewise put them back. */
export interface WorkspaceWarningSummary {
  phaseId: string;
  attempt: number;
  source: string;
  /** `restored ci/pw.yaml`, `removed sub/.git`. */
  paths: string[];
}

/** How a finished item's work went into its phase's result (`merge-end`). */
export interface ItemMergeSummary {
  outcome: 'merged' | 'resolved' | 'conflict';
  /** The files in conflict (resolved by the merge turn, or left for a person). */
  files: string[];
  /** Its place in the merge order: the `merge-<index>` lane of the journal is its merge turn. */
  index: number;
  commit: string | null;
}

/** One work item of a fanned-out phase: its own lane, with its own attempts, cost and gate (see item-fold.ts). */
export interface ItemSummary {
  id: string;
  /** The phase instance that ran it: `implementation`, or `implementation@2` in a review-loop round. */
  instanceId: string;
  round: number;
  title: string;
  dependsOn: string[];
  files: string[];
  status: PhaseStatus;
  tier: string;
  model: string;
  attempts: number;
  escalations: number;
  attemptHistory: AttemptSummary[];
  /** The turn its agent is on while it runs; null once it ended. */
  turn: number | null;
  tokens: TokenCounts;
  /** Its agent's spending; a merge turn for it is `mergeTurnCostUsd`, apart. */
  costUsd: number;
  costLimitUsd: number;
  /** Its latest gate (the item gate). */
  gate: GateSummary | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** Its work's commit on its branch; null unless it passed. */
  commit: string | null;
  merge: ItemMergeSummary | null;
  /** What the turn resolving its merge's conflict cost (0 for a clean merge). */
  mergeTurnCostUsd: number;
  message: string | null;
}

/** A phase configured to fan out: how it did, or why it ran as a single agent. */
export interface FanOutSummary {
  status: 'running' | 'skipped' | FanOutEndStatus;
  baseCommit: string | null;
  maxParallel: number | null;
  mergedCommit: string | null;
  /** Why it ran as a single agent (`fan-out-skipped`); null when it fanned out. */
  skippedReason: string | null;
  message: string | null;
}

export interface PhaseSummary {
  id: string;
  agent: string;
  status: PhaseStatus;
  /** The model of the latest attempt. */
  model: string;
  /** Every model an attempt ran on, in the order first used (an escalation adds one). */
  models: string[];
  /**
   * Attempts in every round together. Defined once: each `attempt-start` of each round counts one, so review's
   * two rounds of one attempt each are 2 attempts in 2 rounds (shown by `attemptsText`).
   */
  attempts: number;
  rounds: RoundSummary[];
  escalations: number;
  tokens: TokenCounts;
  costUsd: number;
  costLimitUsd: number;
  /** The latest gate. */
  gate: GateSummary | null;
  attemptHistory: AttemptSummary[];
  retries: RetrySummary;
  /** Set while a model call waits before a retry: when the wait ends, and why. */
  waiting: { until: string; reason: string } | null;
  startedAt: string | null;
  endedAt: string | null;
  /** Every round's time together. */
  durationMs: number | null;
  message: string | null;
  cutOff: CutOffSummary;
  /**
   * Set when the phase is configured to fan out. Its items' spending counts in the phase's tokens and cost (the
   * phase's cost is its items', their merges' and its own gate's), never in its attempts: the phase's attempt 1
   * is the fan-out as a whole.
   */
  fanOut?: FanOutSummary;
  /** The work items of a fanned-out phase, every round's, in the order announced. */
  items?: ItemSummary[];
  /** Set when the phase's result came from the phase cache: the run it came from, and what it cost there. */
  reusedFrom?: { runId: string; costUsd: number; durationMs: number };
}

export interface RunSummary {
  runId: string;
  status: RunStatus;
  task: string;
  /** The task's title (`taskTitle`): what every view names the run by. */
  title: string;
  budgetUsd: number;
  costUsd: number;
  tokens: TokenCounts;
  retries: RetrySummary;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  message: string | null;
  phases: PhaseSummary[];
  /** Over every phase. */
  cutOff: CutOffSummary;
  /** Keys of steps executed more than once (a kill cut off an earlier execution). */
  reexecutedSteps: string[];
  /** Keys of steps started and not recorded: in flight, or cut off by a kill and not run again yet. */
  unfinishedSteps: string[];
  /** Changes to the governing files or git metadata by commands without the sandbox, each put back. */
  workspaceWarnings: WorkspaceWarningSummary[];
  /**
   * What the phases reused from the phase cache cost in the runs that produced them: spent there, not here.
   * Counted apart from what tiering saved. Absent when nothing was reused.
   */
  savedByReuseUsd?: number;
}

export const TOKEN_KINDS = ['inputNoCache', 'cacheRead', 'cacheWrite', 'output', 'reasoning'] as const;

export const noCutOff = (): CutOffSummary => ({
  calls: 0,
  estimatedTokens: noTokens(),
  estimatedCostUsd: 0,
  notRerun: 0,
});

export { noTokens };

/** An attempt entry as its start announces it: nothing spent, nothing judged yet. */
export function newAttempt(instanceId: string, round: number, attempt: number, at: string): AttemptSummary {
  return {
    instanceId,
    round,
    attempt,
    tier: '',
    model: '',
    startedAt: at,
    durationMs: null,
    tokens: noTokens(),
    costUsd: 0,
    gate: null,
    stopReason: null,
    stopDetail: null,
    retries: { count: 0, waitMs: 0 },
  };
}

export function addTokens(into: TokenCounts, more: Partial<TokenCounts>): void {
  for (const kind of TOKEN_KINDS) into[kind] += more[kind] ?? 0;
}

export function emptyRunSummary(runId: string): RunSummary {
  return {
    runId,
    status: 'running',
    task: '',
    title: '',
    budgetUsd: 0,
    costUsd: 0,
    tokens: noTokens(),
    retries: { count: 0, waitMs: 0 },
    startedAt: null,
    endedAt: null,
    durationMs: null,
    exitCode: null,
    message: null,
    phases: [],
    cutOff: noCutOff(),
    reexecutedSteps: [],
    unfinishedSteps: [],
    workspaceWarnings: [],
  };
}

export function newPhase(id: string, agent: string, model: string, costLimitUsd: number): PhaseSummary {
  return {
    id,
    agent,
    status: 'pending',
    model,
    models: [],
    attempts: 0,
    rounds: [],
    escalations: 0,
    tokens: noTokens(),
    costUsd: 0,
    costLimitUsd,
    gate: null,
    attemptHistory: [],
    retries: { count: 0, waitMs: 0 },
    waiting: null,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    message: null,
    cutOff: noCutOff(),
  };
}
