/** Per policy, what its runs measured: solved rate, mean cost and mean time, each with its 95 % interval. */
import type { RunRecord } from './run-record.js';
import { type Interval, type MeanEstimate, meanInterval, wilsonInterval } from './statistics.js';

export interface PolicyComparison {
  policy: string;
  runs: number;
  solved: number;
  solvedRate: number | null;
  solvedInterval: Interval | null;
  costUsd: MeanEstimate | null;
  durationMs: MeanEstimate | null;
  /** Total cost over total solved runs; null when none was solved. */
  costPerSolvedUsd: number | null;
}

export function comparePolicies(
  records: readonly RunRecord[],
  policies: readonly string[],
): PolicyComparison[] {
  return policies.map((policy) => {
    const runs = records.filter((record) => record.policy === policy);
    const solved = runs.filter((record) => record.solved).length;
    const totalCost = runs.reduce((sum, record) => sum + record.costUsd, 0);
    return {
      policy,
      runs: runs.length,
      solved,
      solvedRate: runs.length === 0 ? null : solved / runs.length,
      solvedInterval: wilsonInterval(solved, runs.length),
      costUsd: meanInterval(runs.map((record) => record.costUsd)),
      durationMs: meanInterval(runs.map((record) => record.durationMs)),
      costPerSolvedUsd: solved === 0 ? null : totalCost / solved,
    };
  });
}
