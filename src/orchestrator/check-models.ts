/**
 * Before any side effect, resolve every model a run may use — each phase's starting model and every tier it
 * could escalate to — so a missing provider or an unknown price is a usage error up front, not a failure in
 * the middle of a paid run. (The CLI finds unknown prices earlier still, where the configuration names the model:
 * `loadWorkflow`'s `checkModel`.)
 */
import type { ResolvedWorkflow } from '../config/types.js';
import type { ModelResolver } from '../provider/resolver.js';

export function checkModels(workflow: ResolvedWorkflow, resolveModel: ModelResolver): void {
  for (const ref of modelRefs(workflow)) resolveModel(ref);
}

function modelRefs(workflow: ResolvedWorkflow): Set<string> {
  const refs = new Set<string>();
  for (const phase of workflow.phases) {
    if (phase.model.kind === 'model') refs.add(phase.model.ref);
  }
  for (const tier of workflow.tiers) refs.add(workflow.tierModels[tier]!);
  return refs;
}
