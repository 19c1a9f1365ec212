/** A fanned-out phase's item entries in the run summary, and their attempts: found, or made when first heard of. */
import { roundOf } from './phase-fold.js';
import {
  type AttemptSummary,
  type ItemSummary,
  newAttempt,
  noTokens,
  type PhaseSummary,
} from './summary-types.js';

/** The item's entry in its round; an item heard of before its announcement gets one with what is known. */
export function itemFor(phase: PhaseSummary, instanceId: string, id: string): ItemSummary {
  phase.items ??= [];
  let item = phase.items.find((candidate) => candidate.instanceId === instanceId && candidate.id === id);
  if (item === undefined) {
    item = newItem(instanceId, id);
    phase.items.push(item);
    phase.items.sort((a, b) => a.round - b.round);
  }
  return item;
}

function newItem(instanceId: string, id: string): ItemSummary {
  return {
    id,
    instanceId,
    round: roundOf(instanceId),
    title: '',
    dependsOn: [],
    files: [],
    status: 'pending',
    tier: '',
    model: '',
    attempts: 0,
    escalations: 0,
    attemptHistory: [],
    turn: null,
    tokens: noTokens(),
    costUsd: 0,
    costLimitUsd: 0,
    gate: null,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    commit: null,
    merge: null,
    mergeTurnCostUsd: 0,
    message: null,
  };
}

/** The item's attempt entry; a resumed item announcing an attempt again updates the same one. */
export function itemAttempt(item: ItemSummary, attempt: number, at: string): AttemptSummary {
  let entry = item.attemptHistory.find((candidate) => candidate.attempt === attempt);
  if (entry === undefined) {
    entry = newAttempt(item.instanceId, item.round, attempt, at);
    item.attemptHistory.push(entry);
    item.attemptHistory.sort((a, b) => a.attempt - b.attempt);
    item.attempts = Math.max(item.attempts, attempt);
  }
  return entry;
}
