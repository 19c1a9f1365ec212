/**
 * The eval's cost before it starts: `estimate`'s range for each task under each policy, times the repeats. The
 * high end is what the runs' limits allow (each run is capped by its own budget), so it is the most the eval can
 * cost; the low end is one answer per phase on its starting tier.
 */
import type { EvalTask } from '../config/types.js';
import { estimateRun } from '../orchestrator/estimate.js';
import type { Policy } from './policies.js';

export interface EvalEstimate {
  runs: number;
  lowUsd: number;
  highUsd: number;
  /** The configured budget of one run times the runs: what the runs may spend together. */
  budgetUsd: number;
  perPolicy: Array<{ policy: string; lowUsd: number; highUsd: number }>;
}

export function estimateEval(
  tasks: readonly EvalTask[],
  policies: readonly Policy[],
  repeat: number,
): EvalEstimate {
  const perPolicy = policies.map((policy) => {
    let lowUsd = 0;
    let highUsd = 0;
    for (const task of tasks) {
      const estimate = estimateRun(policy.workflow, task.text);
      lowUsd += estimate.lowUsd * repeat;
      highUsd += estimate.highUsd * repeat;
    }
    return { policy: policy.name, lowUsd, highUsd };
  });
  const runs = tasks.length * policies.length * repeat;
  return {
    runs,
    lowUsd: perPolicy.reduce((sum, entry) => sum + entry.lowUsd, 0),
    highUsd: perPolicy.reduce((sum, entry) => sum + entry.highUsd, 0),
    budgetUsd: (policies[0]?.workflow.budgetUsd ?? 0) * runs,
    perPolicy,
  };
}
