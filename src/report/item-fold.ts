/**
 * How the events of a fanned-out phase change the run summary: the fan-out's own events, and every event of an
 * item's lane (they carry `item`; a merge turn's also `mergeTurn`). A lane's spending goes to its item AND to the
 * phase's and the run's totals; it never touches the phase's attempts, gate or status, which stay the fan-out's
 * as a whole (phase-start and phase-end are the phase's alone).
 *
 * Cost, live: each call's cost is added as it ends; `item-end` and `merge-end` then say what the item and its
 * merge cost in all (a judge on the item gate is in no call's event), and the phase takes the difference.
 */
import type { RunEvent } from '../events/index.js';
import { itemAttempt, itemFor } from './item-entries.js';
import { addTokens, type ItemSummary, type PhaseSummary, type RunSummary } from './summary-types.js';

type PhaseEvent = Extract<RunEvent, { phaseId: string }>;

const fanOutTypes = new Set<RunEvent['type']>(['fan-out-start', 'fan-out-skipped', 'fan-out-end']);

/** Whether the event is a fan-out's or one of its lanes' (folded here, not as the phase's own). */
export function isLaneEvent(event: PhaseEvent): boolean {
  return event.item !== undefined || fanOutTypes.has(event.type);
}

export function foldLaneEvent(summary: RunSummary, phase: PhaseSummary, event: PhaseEvent): void {
  if (event.type === 'fan-out-start') {
    const { baseCommit, maxParallel } = event;
    phase.fanOut = { ...fanOutOf(phase), status: 'running', baseCommit, maxParallel };
    for (const announced of event.items) {
      const item = itemFor(phase, event.phaseId, announced.id);
      const { title, dependsOn, files, costLimitUsd } = announced;
      Object.assign(item, { title, dependsOn, files, costLimitUsd });
    }
    return;
  }
  if (event.type === 'fan-out-skipped') {
    phase.fanOut = { ...fanOutOf(phase), status: 'skipped', skippedReason: event.reason };
    return;
  }
  if (event.type === 'fan-out-end') {
    const { status, mergedCommit, message } = event;
    phase.fanOut = { ...fanOutOf(phase), status, mergedCommit, message };
    return;
  }
  if (event.item === undefined) return;
  const item = itemFor(phase, event.phaseId, event.item);
  if (event.mergeTurn === true) foldMergeTurnEvent(summary, phase, item, event);
  else foldItemEvent(summary, phase, item, event);
}

function foldItemEvent(summary: RunSummary, phase: PhaseSummary, item: ItemSummary, event: PhaseEvent): void {
  switch (event.type) {
    case 'item-start':
      Object.assign(item, { status: 'running', endedAt: null, message: null });
      item.startedAt ??= event.at;
      return;
    case 'attempt-start': {
      const attempt = itemAttempt(item, event.attempt, event.at);
      Object.assign(attempt, { tier: event.tier, model: event.model });
      Object.assign(item, { tier: event.tier, model: event.model, turn: null });
      return;
    }
    case 'model-call-start':
      item.turn = event.turn;
      return;
    case 'model-call-end': {
      const attempt = itemAttempt(item, event.attempt, event.at);
      addTokens(attempt.tokens, event.tokens);
      attempt.costUsd += event.costUsd;
      addTokens(item.tokens, event.tokens);
      item.costUsd += event.costUsd;
      item.turn = event.turn;
      spendOnPhase(summary, phase, event);
      return;
    }
    case 'model-call-retry': {
      const attempt = itemAttempt(item, event.attempt, event.at);
      for (const retries of [attempt.retries, phase.retries, summary.retries]) {
        retries.count += 1;
        retries.waitMs += event.waitMs;
      }
      return;
    }
    case 'attempt-end': {
      const attempt = itemAttempt(item, event.attempt, event.at);
      Object.assign(attempt, { stopReason: event.stopReason, stopDetail: event.detail });
      return;
    }
    case 'gate-end': {
      const attempt = itemAttempt(item, event.attempt, event.at);
      const { score, threshold, passed, vetoed } = event;
      attempt.gate = { score, threshold, passed, vetoed, failing: event.checks.filter((c) => !c.passed) };
      attempt.durationMs = Date.parse(event.at) - Date.parse(attempt.startedAt);
      item.gate = attempt.gate;
      return;
    }
    case 'escalation-end':
      if (event.action === 'escalate') item.escalations += 1;
      return;
    case 'item-end': {
      phase.costUsd += event.costUsd - item.costUsd;
      const { status, tier, model, costUsd, commit, durationMs, message } = event;
      Object.assign(item, { status, tier, model, costUsd, commit, durationMs, message });
      Object.assign(item, {
        endedAt: event.at,
        turn: null,
        attempts: Math.max(item.attempts, event.attempts),
      });
      if (item.gate === null && event.gateScore !== null)
        item.gate = {
          score: event.gateScore,
          threshold: event.threshold,
          passed: event.gateScore >= event.threshold,
          vetoed: false,
          failing: [],
        };
      return;
    }
    case 'merge-end': {
      const { outcome, files, index, commit } = event;
      item.merge = { outcome, files, index, commit };
      phase.costUsd += event.costUsd - item.mergeTurnCostUsd;
      item.mergeTurnCostUsd = event.costUsd;
      return;
    }
    default:
      return;
  }
}

/** The turn resolving an item's merge conflict: its spending is the merge's, not the item agent's. */
function foldMergeTurnEvent(
  summary: RunSummary,
  phase: PhaseSummary,
  item: ItemSummary,
  event: PhaseEvent,
): void {
  if (event.type !== 'model-call-end') return;
  item.mergeTurnCostUsd += event.costUsd;
  spendOnPhase(summary, phase, event);
}

function spendOnPhase(
  summary: RunSummary,
  phase: PhaseSummary,
  event: Extract<RunEvent, { type: 'model-call-end' }>,
): void {
  addTokens(phase.tokens, event.tokens);
  addTokens(summary.tokens, event.tokens);
  // A lane's `phaseSpentUsd` is its own ledger's (the item's spending): the phase adds the call's cost instead.
  phase.costUsd += event.costUsd;
  summary.costUsd = event.runSpentUsd;
}

function fanOutOf(phase: PhaseSummary) {
  return (
    phase.fanOut ?? {
      status: 'running' as const,
      baseCommit: null,
      maxParallel: null,
      mergedCommit: null,
      skippedReason: null,
      message: null,
    }
  );
}
