/**
 * A model with no known price cannot be run, since its budget could not be enforced. Most often the name is
 * mistyped (`claude-sonet-4-5`), so the closest models phasewise knows for that provider (its own `pricing`
 * and the price table) are suggested first; only when none is close is the advice to add a price.
 */
import { lookupPrice, priceTable } from '../budget/price-table.js';
import { providerKindSpec } from '../config/provider-kinds.js';
import type { ProviderConfig } from '../config/types.js';
import { editDistance } from '../util/edit-distance.js';

export interface ModelProblem {
  message: string;
  hint: string;
}

/** Undefined when the model has a price (configured or built in), or its kind's models are free (scripted). */
export function unpricedModel(provider: ProviderConfig, modelId: string): ModelProblem | undefined {
  if (
    providerKindSpec(provider.kind)?.free === true ||
    lookupPrice(modelId, provider.pricing[modelId]) !== undefined
  ) {
    return undefined;
  }
  const ref = `${provider.name}:${modelId}`;
  const addPrice = `models.providers.${provider.name}.pricing["${modelId}"]: { input: <USD/Mtok>, output: <USD/Mtok> }`;
  const close = closestModels(modelId, [...Object.keys(provider.pricing), ...Object.keys(priceTable)]);
  if (close.length === 0) {
    return {
      message: `no price is known for ${ref}, so its budget cannot be enforced`,
      hint: `add ${addPrice}`,
    };
  }
  return {
    message: `no price is known for ${ref}: did you mean ${close.join(' or ')}?`,
    hint: `a model phasewise does not know yet needs a price: ${addPrice}`,
  };
}

/**
 * The known names closest to `modelId`, if within a plausible typo (about a quarter of its letters); ties all
 * given, at most `limit`. A dated snapshot (`-20250929`) is compared without its date and suggested with it.
 */
export function closestModels(modelId: string, known: readonly string[], limit = 3): string[] {
  const date = /-\d{8}$/.exec(modelId)?.[0] ?? '';
  const name = modelId.slice(0, modelId.length - date.length);
  const allowed = Math.max(1, Math.floor(name.length / 4));
  const near = [...new Set(known)]
    .filter((candidate) => candidate !== name)
    // Case-blind: `Claude-Sonnet-4-5` is one of ours in the wrong case, a distance of nothing.
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= allowed);
  const closest = Math.min(...near.map(({ distance }) => distance));
  return near
    .filter(({ distance }) => distance === closest)
    .map(({ candidate }) => `${candidate}${date}`)
    .sort()
    .slice(0, limit);
}
