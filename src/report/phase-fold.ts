/** How one event with a `phaseId` changes its phase's figures in the run summary (see run-summary.ts). */
import type { RunEvent } from '../events/index.js';
import {
  type AttemptSummary,
  addTokens,
  newAttempt,
  type PhaseSummary,
  type RoundSummary,
  type RunSummary,
} from './summary-types.js';

type PhaseEvent = Extract<RunEvent, { phaseId: string }>;

/** `implementation@2` is round 2 of `implementation`; a phase id without `@N` is round 1. */
export function roundOf(instanceId: string): number {
  const match = /@(\d+)$/.exec(instanceId);
  return match === null ? 1 : Number(match[1]);
}

export function foldPhaseEvent(summary: RunSummary, phase: PhaseSummary, event: PhaseEvent): void {
  switch (event.type) {
    case 'phase-start':
      roundFor(phase, event.phaseId);
      Object.assign(phase, { status: 'running', endedAt: null, message: null, waiting: null });
      phase.startedAt ??= event.at;
      return;
    case 'attempt-start': {
      const attempt = attemptFor(phase, event.phaseId, event.attempt, event.at);
      Object.assign(attempt, { tier: event.tier, model: event.model });
      if (!phase.models.includes(event.model)) phase.models.push(event.model);
      phase.model = event.model;
      return;
    }
    case 'model-call-end': {
      const attempt = attemptFor(phase, event.phaseId, event.attempt, event.at);
      addTokens(attempt.tokens, event.tokens);
      attempt.costUsd += event.costUsd;
      addTokens(phase.tokens, event.tokens);
      addTokens(summary.tokens, event.tokens);
      // The ledger's figures: they include what no event reports on its own (a judge, a call failed but billed).
      phase.costUsd = event.phaseSpentUsd;
      summary.costUsd = event.runSpentUsd;
      phase.waiting = null;
      return;
    }
    case 'model-call-retry': {
      const attempt = attemptFor(phase, event.phaseId, event.attempt, event.at);
      for (const retries of [attempt.retries, phase.retries, summary.retries]) {
        retries.count += 1;
        retries.waitMs += event.waitMs;
      }
      phase.waiting = {
        until: new Date(Date.parse(event.at) + event.waitMs).toISOString(),
        reason: `${event.reason}, try ${event.try + 1} of ${event.maxTries}`,
      };
      return;
    }
    case 'attempt-end': {
      const attempt = attemptFor(phase, event.phaseId, event.attempt, event.at);
      Object.assign(attempt, { stopReason: event.stopReason, stopDetail: event.detail });
      phase.waiting = null;
      return;
    }
    case 'gate-end': {
      const attempt = attemptFor(phase, event.phaseId, event.attempt, event.at);
      const { score, threshold, passed, vetoed } = event;
      attempt.gate = { score, threshold, passed, vetoed, failing: event.checks.filter((c) => !c.passed) };
      attempt.durationMs = Date.parse(event.at) - Date.parse(attempt.startedAt);
      phase.gate = attempt.gate;
      return;
    }
    case 'phase-reused': {
      const { fromRunId: runId, originalCostUsd: costUsd, originalDurationMs: durationMs } = event;
      phase.reusedFrom = { runId, costUsd, durationMs };
      summary.savedByReuseUsd = (summary.savedByReuseUsd ?? 0) + costUsd;
      return;
    }
    case 'escalation-end':
      if (event.action === 'escalate') phase.escalations += 1;
      return;
    case 'phase-end': {
      const round = roundFor(phase, event.phaseId);
      Object.assign(round, { status: event.status, durationMs: event.durationMs });
      round.attempts = Math.max(round.attempts, event.attempts);
      phase.attempts = countAttempts(phase);
      Object.assign(phase, {
        status: event.status,
        costUsd: event.costUsd,
        endedAt: event.at,
        // A review-loop round adds its time to the phase's: the row covers every round.
        durationMs: phase.rounds.reduce((sum, entry) => sum + (entry.durationMs ?? 0), 0),
        message: event.message,
        waiting: null,
      });
      return;
    }
    default:
      return;
  }
}

/** Every attempt of every round: a round's count is its highest attempt number seen (announced or ended). */
function countAttempts(phase: PhaseSummary): number {
  return phase.rounds.reduce((sum, round) => sum + round.attempts, 0);
}

function roundFor(phase: PhaseSummary, instanceId: string): RoundSummary {
  let round = phase.rounds.find((candidate) => candidate.instanceId === instanceId);
  if (round === undefined) {
    round = { instanceId, round: roundOf(instanceId), status: 'running', attempts: 0, durationMs: null };
    phase.rounds.push(round);
    phase.rounds.sort((a, b) => a.round - b.round);
  }
  return round;
}

/** The attempt's entry; a resumed run announcing an attempt again updates the same one. */
export function attemptFor(
  phase: PhaseSummary,
  instanceId: string,
  attempt: number,
  at: string,
): AttemptSummary {
  let entry = phase.attemptHistory.find(
    (candidate) => candidate.instanceId === instanceId && candidate.attempt === attempt,
  );
  if (entry === undefined) {
    entry = newAttempt(instanceId, roundOf(instanceId), attempt, at);
    phase.attemptHistory.push(entry);
    phase.attemptHistory.sort((a, b) => a.round - b.round || a.attempt - b.attempt);
    const round = roundFor(phase, instanceId);
    round.attempts = Math.max(round.attempts, attempt);
    phase.attempts = countAttempts(phase);
  }
  return entry;
}
