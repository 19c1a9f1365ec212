import { DEFAULT_TIER_MODELS, DEFAULT_TIERS } from './defaults.js';
import { closestMatch, suggestionHint } from './did-you-mean.js';
import { ownValue } from './field-path.js';
import { modelReferenceCheck } from './model-reference.js';
import type { ResolveContext } from './resolve-context.js';
import { resolveProviders } from './resolve-providers.js';
import type { RawModels } from './schema.js';
import type { ProviderConfig } from './types.js';
import { AUTO_MODEL } from './vocabulary.js';

export interface ResolvedModels {
  tiers: string[];
  tierModels: Record<string, string>;
  providers: Record<string, ProviderConfig>;
}

/** Tiers in escalation order, the model behind each, and the providers those models come from. */
export function resolveModels(raw: RawModels | undefined, context: ResolveContext): ResolvedModels {
  const tiers = [...(raw?.tiers ?? DEFAULT_TIERS)];
  const providers = resolveProviders(raw?.providers, context);
  const written = tierEntries(raw);
  const checkReference = modelReferenceCheck(providers, context.issues, context.checkModel);
  const tierModels: Record<string, string> = {};
  tiers.forEach((tier, index) => {
    const listedAt = ['models', 'tiers', index];
    if (tiers.indexOf(tier) !== index) context.issues.add(listedAt, `tier \`${tier}\` is listed twice`);
    if (tier === AUTO_MODEL)
      context.issues.add(listedAt, '`auto` cannot name a tier: `model: auto` picks a tier');
    const reference = ownValue(written, tier) ?? ownValue(DEFAULT_TIER_MODELS, tier);
    if (reference === undefined) {
      context.issues.add(listedAt, `tier \`${tier}\` has no model`, {
        hint: `add \`${tier}: provider:model\` under models`,
      });
      return;
    }
    tierModels[tier] = reference;
    const referenceAt = Object.hasOwn(written, tier) ? ['models', tier] : listedAt;
    checkReference(reference, referenceAt);
  });
  for (const name of Object.keys(written)) {
    if (tiers.includes(name)) continue;
    context.issues.add(['models', name], `\`${name}\` is not one of models.tiers (${tiers.join(', ')})`, {
      at: 'key',
      hint:
        closestMatch(name, tiers) === undefined
          ? 'a new tier must also be listed in models.tiers'
          : suggestionHint(name, tiers, 'tiers'),
    });
  }
  return { tiers, tierModels, providers };
}

/** Under `models`, every key besides `tiers` and `providers` maps a tier to its `provider:model`. */
function tierEntries(raw: RawModels | undefined): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (key !== 'tiers' && key !== 'providers' && typeof value === 'string') entries[key] = value;
  }
  return entries;
}
