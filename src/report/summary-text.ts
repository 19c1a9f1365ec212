/**
 * Each figure of the run summary as text, written once: the live table, the plain lines, `status` and every report
 * format show a figure through these, so a figure reads the same wherever it is looked at.
 */
import { ledgerPhase } from '../budget/ledger.js';
import type { RunEvent, TokenCounts } from '../events/index.js';
import { duration, tokens, usd } from '../util/format.js';
import { roundOf } from './phase-fold.js';
import type {
  AttemptSummary,
  CutOffSummary,
  GateSummary,
  PhaseSummary,
  RetrySummary,
  RunSummary,
} from './summary-types.js';

export const TOKENS_HEADER = 'tokens in/cache r/cache w/out';

/** `3`, or `3 in 2 rounds` when the review loop sent the phase through again: every attempt of every round. */
export function attemptsText(phase: Pick<PhaseSummary, 'attempts' | 'rounds'>): string {
  return phase.rounds.length > 1
    ? `${phase.attempts} in ${phase.rounds.length} rounds`
    : String(phase.attempts);
}

/** Uncached input / cache read / cache write / output, and reasoning (part of output) when there is any. */
export function tokensText(counts: TokenCounts): string {
  const text = `${tokens(counts.inputNoCache)}/${tokens(counts.cacheRead)}/${tokens(counts.cacheWrite)}/${tokens(counts.output)}`;
  return counts.reasoning > 0 ? `${text} (${tokens(counts.reasoning)} reasoning)` : text;
}

export function gateText(gate: GateSummary | null): string {
  return gate === null ? '-' : `${gate.score.toFixed(2)} / ${gate.threshold.toFixed(2)}`;
}

export function gateVerdict(gate: GateSummary): string {
  return gate.passed ? 'passed' : gate.vetoed ? 'vetoed' : 'failed';
}

export function costText(costUsd: number, limitUsd: number): string {
  return `${usd(costUsd)} / ${usd(limitUsd)}`;
}

/** The models in the order used: `demo:claude-sonnet-4-5 → demo:claude-opus-4-5` after an escalation. */
/** A phase's status, and where its result came from when it was reused: `passed, reused from <run>`. */
export function statusText(phase: Pick<PhaseSummary, 'status' | 'reusedFrom'>): string {
  return phase.reusedFrom === undefined
    ? phase.status
    : `${phase.status}, reused from ${phase.reusedFrom.runId}`;
}

/** The cost column: a reused phase shows its $0 with what it cost in the run it came from. */
export function phaseCostText(phase: Pick<PhaseSummary, 'costUsd' | 'costLimitUsd' | 'reusedFrom'>): string {
  const text = costText(phase.costUsd, phase.costLimitUsd);
  return phase.reusedFrom === undefined ? text : `${text} (${usd(phase.reusedFrom.costUsd)} there)`;
}

/** The totals' line on reuse, or none when nothing was reused. */
export function reuseLine(summary: Pick<RunSummary, 'phases' | 'savedByReuseUsd'>): string | undefined {
  const reused = summary.phases.filter((phase) => phase.reusedFrom !== undefined);
  if (reused.length === 0) return undefined;
  const names = reused.map((phase) => phase.id).join(', ');
  return `Reused from earlier runs: ${names}, $0 spent on them here; they cost ${usd(summary.savedByReuseUsd ?? 0)} when they ran (saved by reuse, apart from what tiering saved).`;
}

export function modelsText(phase: Pick<PhaseSummary, 'models' | 'model'>): string {
  return phase.models.length > 0 ? phase.models.join(' → ') : phase.model || '-';
}

export function retriesText(retries: RetrySummary): string {
  return retries.count === 0 ? '-' : `${retries.count} (waited ${duration(retries.waitMs)})`;
}

export function durationText(ms: number | null): string {
  return ms === null ? '-' : duration(ms);
}

/** `round 2 attempt 1`, or `attempt 2` in a phase's first round. */
export function attemptLabel(attempt: Pick<AttemptSummary, 'round' | 'attempt'>): string {
  return attempt.round > 1
    ? `round ${attempt.round} attempt ${attempt.attempt}`
    : `attempt ${attempt.attempt}`;
}

/** Why an attempt stopped, when it did not simply answer; empty otherwise. */
export function stopText(attempt: Pick<AttemptSummary, 'stopReason' | 'stopDetail'>): string {
  if (attempt.stopReason === null || attempt.stopReason === 'answered') return '';
  return attempt.stopDetail === null ? attempt.stopReason : `${attempt.stopReason}: ${attempt.stopDetail}`;
}

/** The attempts that stopped other than by answering, as `phase round 1 attempt 1: max-turns: …` lines. */
export function stoppedAttempts(phases: PhaseSummary[]): string[] {
  return phases.flatMap((phase) =>
    laneAttempts(phase)
      .filter(({ attempt }) => stopText(attempt) !== '')
      .map(({ lane, attempt }) => `${lane} ${attemptLabel(attempt)}: ${stopText(attempt)}`),
  );
}

/**
 * Every attempt of a phase with the name of the lane that made it: the phase's own, then each work item's of a
 * fanned-out phase (`implementation [ui]`).
 */
export function laneAttempts(phase: PhaseSummary): Array<{ lane: string; attempt: AttemptSummary }> {
  return [
    ...phase.attemptHistory.map((attempt) => ({ lane: phase.id, attempt })),
    ...(phase.items ?? []).flatMap((item) =>
      item.attemptHistory.map((attempt) => ({ lane: `${phase.id} [${item.id}]`, attempt })),
    ),
  ];
}

export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * How a phase instance ended, for the plain lines and the report's timeline: `review (round 2): passed after 1
 * attempt — 2 in all`. A phase that ends as passed although its last gate did not pass (review sending the work
 * back, a person approving) says so rather than contradict the gate's line. `totalAttempts`: every round's.
 */
export function phaseEndText(
  event: Extract<RunEvent, { type: 'phase-end' }>,
  totalAttempts?: number,
): string {
  const round = roundOf(event.phaseId);
  const name = round > 1 ? `${ledgerPhase(event.phaseId)} (round ${round})` : event.phaseId;
  const belowGate =
    event.status === 'passed' && event.gateScore !== null && event.gateScore < event.threshold;
  const status = belowGate
    ? `ended without passing its gate (${event.gateScore!.toFixed(2)} / ${event.threshold.toFixed(2)})`
    : event.status;
  const inAll =
    totalAttempts !== undefined && totalAttempts !== event.attempts ? ` — ${totalAttempts} in all` : '';
  return `${name}: ${status} after ${plural(event.attempts, 'attempt')}${inAll}`;
}

/**
 * Model calls a kill cut off, in total and per phase, as lines for every view ([] when there were none). The
 * cost is an estimate (the re-run calls' own usage) and says so: it is not part of the spent figure.
 */
export function cutOffLines(summary: Pick<RunSummary, 'cutOff' | 'phases'>): string[] {
  if (summary.cutOff.calls === 0 && summary.cutOff.notRerun === 0) return [];
  const phases = summary.phases
    .filter((phase) => phase.cutOff.calls > 0 || phase.cutOff.notRerun > 0)
    .map((phase) => `${phase.id}: ${cutOffText(phase.cutOff)}`);
  return [
    `calls cut off by a kill: ${cutOffText(summary.cutOff)} (estimated from the re-run calls' own usage; not included in the spent figure)`,
    ...phases.map((line) => `  ${line}`),
  ];
}

function cutOffText(cutOff: CutOffSummary): string {
  const parts = [
    ...(cutOff.calls > 0
      ? [
          `${plural(cutOff.calls, 'call')} re-run, about ${usd(cutOff.estimatedCostUsd)} more (${TOKENS_HEADER} ${tokensText(cutOff.estimatedTokens)})`,
        ]
      : []),
    ...(cutOff.notRerun > 0 ? [`${plural(cutOff.notRerun, 'call')} not re-run yet (cost unknown)`] : []),
  ];
  return parts.join(', ');
}

/**
 * What commands run without the sandbox changed among the governing files and git metadata, each put back, as
 * lines for every view ([] when nothing was).
 */
export function workspaceWarningLines(summary: Pick<RunSummary, 'workspaceWarnings'>): string[] {
  if (summary.workspaceWarnings.length === 0) return [];
  return [
    `commands without the sandbox changed the run's rules, put back after each: ${plural(summary.workspaceWarnings.length, 'time')}`,
    ...summary.workspaceWarnings.map(
      (warning) =>
        `  ${warning.phaseId} attempt ${warning.attempt}, ${warning.source}: ${warning.paths.join(', ')}`,
    ),
  ];
}
