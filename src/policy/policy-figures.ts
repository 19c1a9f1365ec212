/** The figures reported for each policy, with their 95 % intervals (see intervals.ts for which and why). */
import { percentileRange, wilsonInterval } from './intervals.js';
import type { ReplayTotals } from './replay.js';

/** A figure: its expected value and, where reported, its 95 % interval (null where there is none). */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

export interface PolicySimulation extends PolicyFigures {
  id: string;
  label: string;
  /** `bound` for the oracle, which no policy can beat. */
  kind: 'policy' | 'bound';
  /** The tiers tried in order until the verifier accepts (the oracle: none, it knows). */
  attempts: string[];
}

export interface PolicyFigures {
  tasksSolved: Estimate;
  solvedRate: Estimate;
  totalCostUsd: Estimate;
  costPerSolvedUsd: Estimate;
  /** Total cost divided by all-top's (1 = the same). */
  costVsAllTop: Estimate;
  wrongShipped: Estimate;
  wrongShippedRate: Estimate;
  attemptsPerTask: number;
}

/**
 * A policy's figures from its expected totals and, with an imperfect verifier, its trials: Wilson intervals over
 * the `n` tasks for the proportions, the trials' 95 % percentile range for the costs (none without trials).
 */
export function summarize(
  expected: ReplayTotals,
  samples: ReplayTotals[] | null,
  n: number,
  allTopCost: number,
): PolicyFigures {
  const solved = wilsonInterval(expected.solved, n);
  const wrong = wilsonInterval(expected.wrongShipped, n);
  const cost = samples === null ? null : percentileRange(samples.map((trial) => trial.costUsd));
  const perSolvedTrials = samples
    ?.filter((trial) => trial.solved > 0)
    .map((trial) => trial.costUsd / trial.solved);
  const perSolved =
    perSolvedTrials === undefined || perSolvedTrials.length === 0 ? null : percentileRange(perSolvedTrials);
  const ratio = (value: number | null) => (value === null || allTopCost === 0 ? null : value / allTopCost);
  return {
    tasksSolved: { value: expected.solved, low: solved.low * n, high: solved.high * n },
    solvedRate: { value: expected.solved / n, low: solved.low, high: solved.high },
    totalCostUsd: { value: expected.costUsd, low: cost?.low ?? null, high: cost?.high ?? null },
    costPerSolvedUsd: {
      value: expected.solved === 0 ? null : expected.costUsd / expected.solved,
      low: perSolved?.low ?? null,
      high: perSolved?.high ?? null,
    },
    costVsAllTop: {
      value: ratio(expected.costUsd),
      low: ratio(cost?.low ?? null),
      high: ratio(cost?.high ?? null),
    },
    wrongShipped: { value: expected.wrongShipped, low: wrong.low * n, high: wrong.high * n },
    wrongShippedRate: { value: expected.wrongShipped / n, low: wrong.low, high: wrong.high },
    attemptsPerTask: expected.attempts / n,
  };
}
