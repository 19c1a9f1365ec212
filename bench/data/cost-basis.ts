/**
 * What a per-instance `cost` means depends on the version of the results repository's extraction script that
 * wrote the file (scripts/extract_instance_results.py at the commit that last changed it): earlier versions copy
 * the cost the harness recorded in the run archive; later ones price the recorded token usage at the model's
 * list prices and scale each run's costs so their mean equals the published cost per instance.
 */
import type { GitTree } from './git-tree.js';
import type { ModelRun } from './openhands-runs.js';

export const EXTRACTION_SCRIPT = 'scripts/extract_instance_results.py';

export type CostBasis = 'recorded' | 'priced-and-scaled' | 'unknown';

export function costBasis(tree: GitTree, run: ModelRun): CostBasis {
  const script = tree.readAt(run.instancesCommit, EXTRACTION_SCRIPT);
  if (script === undefined) return 'unknown';
  if (script.includes('_normalize_costs_to_target_mean')) return 'priced-and-scaled';
  if (script.includes('accumulated_cost')) return 'recorded';
  return 'unknown';
}

export function describeCostBasis(basis: CostBasis): string {
  switch (basis) {
    case 'recorded':
      return (
        "the LLM cost the harness recorded for the instance in the run archive's output row " +
        '(metrics.accumulated_cost, else test_result.proxy_cost, else the sum of metrics.costs), not rescaled'
      );
    case 'priced-and-scaled':
      return (
        'the recorded token usage (prompt, cached prompt, completion) priced at the list prices in ' +
        "metadata.json, then scaled so the run's mean equals scores.json cost_per_instance"
      );
    case 'unknown':
      return `not determined: ${EXTRACTION_SCRIPT} was not found at the commit that wrote the file`;
  }
}
