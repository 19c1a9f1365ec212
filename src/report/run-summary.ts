/**
 * Where a run stands, folded from its events: per phase its status, model, attempts, tokens, cost against its
 * limit and gate score against its threshold. Used live by the progress display and afterwards by `status`.
 */
import { ledgerPhase } from '../budget/ledger.js';
import type { PhaseStatus, RunEvent, RunStatus, TokenCounts } from '../events/index.js';

export interface PhaseSummary {
  id: string;
  agent: string;
  status: PhaseStatus;
  model: string;
  /** Attempts across every review-loop round (`implementation@2` adds to `implementation`). */
  attempts: number;
  /** Attempts made in the rounds before the current one. */
  earlierAttempts: number;
  tokens: TokenCounts;
  costUsd: number;
  costLimitUsd: number;
  gateScore: number | null;
  threshold: number | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  message: string | null;
}

export interface RunSummary {
  runId: string;
  status: RunStatus;
  task: string;
  budgetUsd: number;
  costUsd: number;
  startedAt: string | null;
  endedAt: string | null;
  exitCode: number | null;
  message: string | null;
  phases: PhaseSummary[];
}

const noTokens = (): TokenCounts => ({
  inputNoCache: 0,
  cacheRead: 0,
  cacheWrite: 0,
  output: 0,
  reasoning: 0,
});

export function emptyRunSummary(runId: string): RunSummary {
  return {
    runId,
    status: 'running',
    task: '',
    budgetUsd: 0,
    costUsd: 0,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    message: null,
    phases: [],
  };
}

export function summarizeRun(events: Iterable<RunEvent>, runId: string): RunSummary {
  const summary = emptyRunSummary(runId);
  for (const event of events) applyEvent(summary, event);
  return summary;
}

/** Folds one event into the summary (mutates it: the live display applies events as they arrive). */
export function applyEvent(summary: RunSummary, event: RunEvent): void {
  // A later round of a phase (`implementation@2`, sent back by review) updates that phase's row.
  const phaseId = 'phaseId' in event ? ledgerPhase(event.phaseId) : undefined;
  const phase =
    phaseId === undefined ? undefined : summary.phases.find((candidate) => candidate.id === phaseId);
  switch (event.type) {
    case 'run-start':
      Object.assign(summary, {
        status: 'running',
        task: event.task,
        budgetUsd: event.budgetUsd,
        endedAt: null,
        exitCode: null,
        message: null,
      });
      summary.startedAt ??= event.at;
      summary.phases = event.phases.map((declared) => {
        const known = summary.phases.find((candidate) => candidate.id === declared.id);
        return known ?? newPhase(declared.id, declared.agent, declared.model, declared.costLimitUsd);
      });
      return;
    case 'phase-start':
      if (phase === undefined) return;
      // A new review-loop round counts its attempts on top of the rounds before it.
      if (event.phaseId !== phase.id && !event.resumed) phase.earlierAttempts = phase.attempts;
      Object.assign(phase, {
        status: 'running',
        startedAt: phase.startedAt ?? event.at,
        endedAt: null,
        message: null,
      });
      return;
    case 'attempt-start':
      if (phase !== undefined)
        Object.assign(phase, { attempts: phase.earlierAttempts + event.attempt, model: event.model });
      return;
    case 'model-call-end':
      if (phase === undefined) return;
      for (const key of Object.keys(phase.tokens) as Array<keyof TokenCounts>)
        phase.tokens[key] += event.tokens[key];
      phase.costUsd = event.phaseSpentUsd;
      summary.costUsd = event.runSpentUsd;
      return;
    case 'gate-end':
      if (phase !== undefined) Object.assign(phase, { gateScore: event.score, threshold: event.threshold });
      return;
    case 'phase-end': {
      if (phase === undefined) return;
      // A review-loop round adds its time to the phase's: the row covers every round.
      const earlierRounds = event.phaseId !== phase.id ? (phase.durationMs ?? 0) : 0;
      Object.assign(phase, {
        status: event.status,
        attempts: phase.earlierAttempts + event.attempts,
        model: event.model,
        costUsd: event.costUsd,
        gateScore: event.gateScore,
        threshold: event.threshold,
        endedAt: event.at,
        durationMs: earlierRounds + event.durationMs,
        message: event.message,
      });
      return;
    }
    case 'run-end':
      Object.assign(summary, {
        status: event.status,
        costUsd: event.costUsd,
        endedAt: event.at,
        exitCode: event.exitCode,
        message: event.message,
      });
      return;
    default:
      return;
  }
}

function newPhase(id: string, agent: string, model: string, costLimitUsd: number): PhaseSummary {
  return {
    id,
    agent,
    status: 'pending',
    model,
    attempts: 0,
    earlierAttempts: 0,
    tokens: noTokens(),
    costUsd: 0,
    costLimitUsd,
    gateScore: null,
    threshold: null,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    message: null,
  };
}
