/**
 * What to do after a failed gate (DESIGN §3), as a pure function of the ladder, where the phase stands and what
 * it can still afford. Each ladder entry is used once, in order; an entry that does not fit (projected cost over
 * what is left, or no stronger tier) is skipped with its reason recorded.
 */
import type { EscalationStep } from '../config/types.js';
import { usd } from '../util/format.js';

export type EscalationAction = 'retry' | 'escalate' | 'halt' | 'fail';

export interface EscalationInput {
  ladder: readonly EscalationStep[];
  /** Index of the next unused ladder entry. */
  ladderIndex: number;
  tiers: readonly string[];
  /** Index of the current tier in `tiers`, or -1 when the phase names an explicit model. */
  tierIndex: number;
  lastAttemptCostUsd: number;
  /** Output price of the next tier divided by the current one's (cost projection for escalate). */
  nextTierPriceRatio: number;
  availableUsd: number;
}

export interface EscalationDecision {
  action: EscalationAction;
  /** Ladder index after this decision. */
  ladderIndex: number;
  tierIndex: number;
  reason: string;
}

export function decideEscalation(input: EscalationInput): EscalationDecision {
  const skipped: string[] = [];
  for (let index = input.ladderIndex; index < input.ladder.length; index += 1) {
    const step = input.ladder[index]!;
    const next = index + 1;
    if (step === 'halt') {
      return decision('halt', next, input.tierIndex, 'halted for manual review', skipped);
    }
    if (step === 'retry') {
      const projected = input.lastAttemptCostUsd;
      if (projected <= input.availableUsd) {
        return decision('retry', next, input.tierIndex, 'retry with the failed checks as feedback', skipped);
      }
      skipped.push(
        `retry skipped: it would cost about ${usd(projected, { places: 4 })}, ${usd(input.availableUsd, { places: 4 })} left`,
      );
      continue;
    }
    const skip = escalateBlocker(input);
    if (skip === undefined) {
      const toTier = input.tiers[input.tierIndex + 1]!;
      return decision('escalate', next, input.tierIndex + 1, `escalate to ${toTier}`, skipped);
    }
    skipped.push(skip);
  }
  return decision(
    'fail',
    input.ladder.length,
    input.tierIndex,
    'the escalation ladder is exhausted',
    skipped,
  );
}

function escalateBlocker(input: EscalationInput): string | undefined {
  if (input.tierIndex < 0) return 'escalate skipped: the phase names an explicit model, not a tier';
  if (input.tierIndex >= input.tiers.length - 1) return 'escalate skipped: already on the top tier';
  const projected = input.lastAttemptCostUsd * input.nextTierPriceRatio;
  if (projected > input.availableUsd) {
    return `escalate skipped: it would cost about ${usd(projected, { places: 4 })}, ${usd(input.availableUsd, { places: 4 })} left`;
  }
  return undefined;
}

function decision(
  action: EscalationAction,
  ladderIndex: number,
  tierIndex: number,
  reason: string,
  skipped: string[],
): EscalationDecision {
  return { action, ladderIndex, tierIndex, reason: [...skipped, reason].join('; ') };
}
