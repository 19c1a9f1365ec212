/**
 * One policy replayed over the outcome table. Each attempt pays the table's cost for its model on the task; the
 * verifier accepts a solved attempt with probability 1 − false-fail and an unsolved one with probability
 * false-pass; a rejected attempt moves on to the plan's next one (a retry is the same model again: the same
 * cost, the same outcome, a fresh verdict). Exact expectations, and Monte Carlo trials for the spread.
 */
import type { OutcomeTable } from './outcome-table.js';
import type { PolicyPlan } from './policy-plans.js';
import type { Random } from './random.js';

export interface Verifier {
  /** Probability that the gate accepts work the hidden check fails. */
  falsePassRate: number;
  /** Probability that the gate rejects work the hidden check passes. */
  falseFailRate: number;
}

export interface ReplayTotals {
  /** Tasks whose accepted work solves them. */
  solved: number;
  costUsd: number;
  /** Tasks whose accepted work does not solve them (wrong work shipped). */
  wrongShipped: number;
  attempts: number;
}

/** Expected totals over the whole table (exact: a sum over where each task's walk may stop). */
export function expectedTotals(plan: PolicyPlan, table: OutcomeTable, verifier: Verifier): ReplayTotals {
  const totals: ReplayTotals = { solved: 0, costUsd: 0, wrongShipped: 0, attempts: 0 };
  for (const task of table.tasks) {
    let reach = 1;
    for (const attempt of plan.attempts) {
      const result = task.results[attempt.model]!;
      const accept = acceptance(result.resolved, verifier);
      totals.attempts += reach;
      totals.costUsd += reach * result.costUsd;
      if (result.resolved) totals.solved += reach * accept;
      else totals.wrongShipped += reach * accept;
      reach *= 1 - accept;
    }
  }
  return totals;
}

/** One draw of every verdict: what a single run of the policy over the table could have come to. */
export function sampledTotals(
  plan: PolicyPlan,
  table: OutcomeTable,
  verifier: Verifier,
  random: Random,
): ReplayTotals {
  const totals: ReplayTotals = { solved: 0, costUsd: 0, wrongShipped: 0, attempts: 0 };
  for (const task of table.tasks) {
    for (const attempt of plan.attempts) {
      const result = task.results[attempt.model]!;
      totals.attempts += 1;
      totals.costUsd += result.costUsd;
      if (random() < acceptance(result.resolved, verifier)) {
        if (result.resolved) totals.solved += 1;
        else totals.wrongShipped += 1;
        break;
      }
    }
  }
  return totals;
}

/** The oracle: per task, the cheapest of `models` that solves it; a task none solves costs nothing. A bound. */
export function oracleTotals(table: OutcomeTable, models: readonly string[]): ReplayTotals {
  const totals: ReplayTotals = { solved: 0, costUsd: 0, wrongShipped: 0, attempts: 0 };
  for (const task of table.tasks) {
    const costs = models
      .map((model) => task.results[model]!)
      .filter((result) => result.resolved)
      .map((result) => result.costUsd);
    if (costs.length === 0) continue;
    totals.solved += 1;
    totals.attempts += 1;
    totals.costUsd += Math.min(...costs);
  }
  return totals;
}

function acceptance(resolved: boolean, verifier: Verifier): number {
  return resolved ? 1 - verifier.falseFailRate : verifier.falsePassRate;
}
