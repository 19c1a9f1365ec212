/**
 * Complexity assessment for `model: auto` (DESIGN §3): which tier a phase starts on, chosen from signals in the
 * task and the run, with every signal recorded so misroutes can be counted later. Pure and deterministic: the
 * same input always gives the same assessment, and nothing is read from the environment.
 *
 * Scoring rules, version `COMPLEXITY_RULES_VERSION`:
 *
 * | signal             | measured                                         | points                                        |
 * | ------------------ | ------------------------------------------------ | --------------------------------------------- |
 * | `task-length`      | words in the task                                | ≤15: 0 · ≤50: 0.5 · ≤150: 1 · ≤400: 1.5 · more: 2 |
 * | `reasoning-depth`  | distinct terms (architecture, design, migrate, concurrency, distributed, security, algorithm, refactor, trade-off, performance, scale, caching, consistency, root cause) | 1 each, at most 3 terms |
 * | `impact-risk`      | distinct terms (production, payment, auth, secrets, data loss, migration, breaking change, compliance, privacy, customer, downtime, vulnerability, critical) | 1.5 each, at most 3 terms |
 * | `workspace-size`   | files in the workspace                           | ≤50: 0 · ≤500: 0.5 · ≤5000: 1 · more: 1.5      |
 * | `phase-kind`       | the agent's role (or the phase id's, for a custom agent) | planning +1 · review +0.5 · implementation 0 · research −1 · verification −1 · other 0 |
 * | `earlier-failures` | failed gates earlier in this run                  | 1.5 each, no cap                              |
 *
 * score = clamp(sum of points / 8, 0, 1); 8 points (e.g. three reasoning terms, three risk terms and a
 * mid-sized workspace) is as complex as it gets. With n tiers the score falls in one of n equal bands:
 * tierIndex = min(floor(score × n), n − 1), so a simple task lands on the cheapest tier and a critical one on
 * the top; one tier is always chosen. "Migrate" is counted twice on purpose: a migration is hard to plan
 * (reasoning) and hard to undo (risk).
 *
 * Every signal is non-negative in the task, the workspace size and the failures, so adding words, a risk term,
 * files or a failure never lowers the score or the tier. Words are matched, not understood: "no security
 * impact" still counts `security`. Points are multiples of 0.5, so the score is an exact binary fraction and
 * band edges do not depend on floating-point rounding.
 */
import {
  type ComplexitySignal,
  earlierFailuresSignal,
  impactRiskSignal,
  phaseKindSignal,
  reasoningDepthSignal,
  taskLengthSignal,
  workspaceSizeSignal,
} from './complexity-signals.js';

export type { ComplexitySignal } from './complexity-signals.js';

/** Bump when a rule, a bucket or a word list changes, so journaled assessments say which rules made them. */
export const COMPLEXITY_RULES_VERSION = 'complexity-1';

/** Points at which the score reaches 1. */
export const FULL_SCALE_POINTS = 8;

export interface ComplexityInput {
  task: string;
  phaseId: string;
  /** The phase's agent name; a built-in role name sets the phase kind. */
  agent: string;
  /** Files in the workspace; non-finite or negative counts as 0. */
  workspaceFileCount: number;
  /** Failed gates earlier in this run (any phase); non-finite or negative counts as 0. */
  earlierFailures: number;
  /** Tier names, cheapest first; at least one. */
  tiers: readonly string[];
}

export interface ComplexityAssessment {
  /** 0–1. */
  score: number;
  tierIndex: number;
  tier: string;
  /** Every signal, in a fixed order, including those that contributed nothing. */
  signals: ComplexitySignal[];
  /** Of the scoring rules (`COMPLEXITY_RULES_VERSION`). */
  version: string;
}

export function assessComplexity(input: ComplexityInput): ComplexityAssessment {
  if (input.tiers.length === 0) throw new RangeError('assessComplexity needs at least one tier');
  const signals = [
    taskLengthSignal(input.task),
    reasoningDepthSignal(input.task),
    impactRiskSignal(input.task),
    workspaceSizeSignal(input.workspaceFileCount),
    phaseKindSignal(input.agent, input.phaseId),
    earlierFailuresSignal(input.earlierFailures),
  ];
  const points = signals.reduce((sum, signal) => sum + signal.points, 0);
  const score = Math.min(1, Math.max(0, points / FULL_SCALE_POINTS));
  const tierIndex = tierIndexForScore(score, input.tiers.length);
  return { score, tierIndex, tier: input.tiers[tierIndex]!, signals, version: COMPLEXITY_RULES_VERSION };
}

/** Equal bands over `tierCount` tiers; a score of exactly 1 belongs to the top band. */
export function tierIndexForScore(score: number, tierCount: number): number {
  return Math.min(Math.floor(score * tierCount), tierCount - 1);
}

/** How a phase that started from an auto choice actually went. */
export interface AutoChoiceOutcome {
  /** Whether the escalation ladder moved the phase to a stronger tier (retries on the same tier do not count). */
  escalated: boolean;
  /** Tier index the phase passed its gate on, or null if it never passed. */
  passedTierIndex: number | null;
}

/**
 * Classifies an auto choice against its outcome, for the report to count:
 * - `'under'`: the choice was too cheap — the phase escalated, or passed on a tier above the chosen one.
 *   This wins over `'over'`, since needing more than the choice is the costlier mistake.
 * - `'over'`: the choice was too dear — the phase did not escalate and passed on a tier below the chosen one
 *   (possible when the tier was overridden, or when a report compares a replay on a cheaper tier).
 * - `null`: the phase passed on the chosen tier without escalating, or never passed without escalating (a gate
 *   that no tier satisfies says nothing about routing), or `passedTierIndex` is negative (a model outside the
 *   tier ladder cannot be compared).
 */
export function isMisroute(
  assessment: ComplexityAssessment,
  outcome: AutoChoiceOutcome,
): 'under' | 'over' | null {
  const passed = outcome.passedTierIndex;
  const comparable = passed !== null && passed >= 0;
  if (outcome.escalated || (comparable && passed > assessment.tierIndex)) return 'under';
  if (comparable && passed < assessment.tierIndex) return 'over';
  return null;
}
