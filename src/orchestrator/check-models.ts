/**
 * Before any side effect, resolve every model a run may use — each phase's starting model and every tier it
 * could escalate to — so a missing provider or an unknown price is a usage error up front, not a failure in
 * the middle of a paid run.
 */
import { priceOfRef } from '../budget/price-table.js';
import type { ResolvedWorkflow } from '../config/types.js';
import { UsageError } from '../errors/index.js';
import type { ModelResolver } from '../provider/resolver.js';

export function checkModels(workflow: ResolvedWorkflow, resolveModel: ModelResolver): void {
  for (const ref of modelRefs(workflow)) resolveModel(ref);
}

/**
 * Every model a run may use has a price (configured or built in), or its budget could not be enforced: checked
 * by `validate` and `estimate`, which resolve no provider, so they refuse what `run` would refuse.
 */
export function checkPrices(workflow: ResolvedWorkflow): void {
  const unpriced = [...modelRefs(workflow)].filter((ref) => {
    const provider = workflow.providers[ref.slice(0, ref.indexOf(':'))];
    return provider?.kind !== 'scripted' && priceOfRef(workflow.providers, ref) === undefined;
  });
  if (unpriced.length === 0) return;
  const [first] = unpriced;
  const colon = first!.indexOf(':');
  throw new UsageError(
    `no price is known for ${unpriced.join(', ')}, so the budget could not be enforced; \`run\` refuses ${unpriced.length === 1 ? 'it' : 'them'}`,
    {
      hint: `add models.providers.${first!.slice(0, colon)}.pricing["${first!.slice(colon + 1)}"]: { input: <USD/Mtok>, output: <USD/Mtok> } (likewise for any other)`,
    },
  );
}

function modelRefs(workflow: ResolvedWorkflow): Set<string> {
  const refs = new Set<string>();
  for (const phase of workflow.phases) {
    if (phase.model.kind === 'model') refs.add(phase.model.ref);
  }
  for (const tier of workflow.tiers) refs.add(workflow.tierModels[tier]!);
  return refs;
}
