/**
 * Tier and model references → a model and its price. The composition root (the CLI, or a user's own code)
 * supplies one factory per provider kind; the engine only ever asks for `provider:model`.
 */
import { freePrice, lookupPrice, type Price } from '../budget/price-table.js';
import { PROVIDER_KIND_NAMES, providerKindSpec, type RuntimeOfKind } from '../config/provider-kinds.js';
import type { ProviderConfig, ProviderKind } from '../config/types.js';
import { ConfigError, UsageError } from '../errors/index.js';
import type { LanguageModel } from './model.js';
import { unpricedModel } from './unpriced-model.js';

/**
 * A model reference resolved: its price, and what the runtime of its provider's kind (`config/provider-kinds.ts`)
 * needs to run an attempt on it — a model to call turn by turn, or what a Claude Code session is started with.
 * The phase picks the runtime by `runtime` (`phase/runtimes.ts`).
 */
export type ResolvedModel = CalledModel | SessionModel;

/** A model the agent's tool loop calls. */
export interface CalledModel {
  runtime: 'tool-loop';
  /** `provider:model` */
  ref: string;
  model: LanguageModel;
  price: Price;
}

/** A model reached only through a Claude Code session (agent/claude-code), which makes its own calls. */
export interface SessionModel {
  runtime: 'claude-code';
  /** `provider:model` */
  ref: string;
  session: ClaudeCodeTarget;
  price: Price;
}

/** What a Claude Code session needs from the provider: the model, and where and with which key to reach it. */
export interface ClaudeCodeTarget {
  modelId: string;
  /** `ANTHROPIC_BASE_URL` for the session (a gateway, or the fake LLM server in tests). */
  baseUrl?: string;
  /** The variable holding the key passed to the session as `ANTHROPIC_API_KEY`; without one, Claude Code's own login. */
  apiKeyEnv?: string;
}

export type ModelResolver = (ref: string) => ResolvedModel;

export type ModelFactory = (provider: ProviderConfig, modelId: string) => LanguageModel;

/** A session kind's factory: checks that its runtime can start here (its optional SDK), and says what it starts. */
export type SessionFactory = (provider: ProviderConfig, modelId: string) => ClaudeCodeTarget;

/** One factory per provider kind the composition root serves, of the sort its runtime needs. */
export type ProviderFactories = {
  [K in ProviderKind]?: RuntimeOfKind<K> extends 'claude-code' ? SessionFactory : ModelFactory;
};

export function splitModelRef(ref: string): { provider: string; modelId: string } {
  const colon = ref.indexOf(':');
  if (colon <= 0 || colon === ref.length - 1) {
    throw new UsageError(
      `"${ref}" is not a model reference; expected provider:model, e.g. anthropic:claude-haiku-4-5`,
    );
  }
  return { provider: ref.slice(0, colon), modelId: ref.slice(colon + 1) };
}

export function createModelResolver(options: {
  providers: Record<string, ProviderConfig>;
  factories: ProviderFactories;
}): ModelResolver {
  const cache = new Map<string, ResolvedModel>();
  return (ref) => {
    const cached = cache.get(ref);
    if (cached !== undefined) return cached;
    const { provider: providerName, modelId } = splitModelRef(ref);
    const provider = options.providers[providerName];
    if (provider === undefined) {
      throw configProblem('models.providers', `unknown provider "${providerName}" in model ${ref}`, {
        hint: `declare ${providerName} under models.providers, or use one of: ${Object.keys(options.providers).join(', ')}`,
      });
    }
    const factory = options.factories[provider.kind];
    if (factory === undefined) {
      throw new UsageError(
        `provider kind "${provider.kind}" (for ${ref}) is not available in this build of phasewise`,
        {
          hint: `the command line supports ${inWords(PROVIDER_KIND_NAMES)}; code of your own passes a factory for each kind it uses`,
        },
      );
    }
    const price = priceOf(provider, modelId);
    // The table says which sort of factory a kind has; the mapped type cannot carry that through the lookup.
    const resolved: ResolvedModel =
      providerKindSpec(provider.kind)?.runtime === 'claude-code'
        ? { runtime: 'claude-code', ref, session: (factory as SessionFactory)(provider, modelId), price }
        : { runtime: 'tool-loop', ref, model: (factory as ModelFactory)(provider, modelId), price };
    cache.set(ref, resolved);
    return resolved;
  };
}

function inWords(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function priceOf(provider: ProviderConfig, modelId: string): Price {
  const price = lookupPrice(modelId, provider.pricing[modelId]);
  if (price !== undefined) return price;
  const problem = unpricedModel(provider, modelId);
  if (problem === undefined) return freePrice;
  throw configProblem(`models.providers.${provider.name}.pricing`, problem.message, { hint: problem.hint });
}

/** A model reference the configuration cannot serve; the resolver knows the field to fix, not the file or line. */
function configProblem(path: string, message: string, details: { hint: string }): ConfigError {
  return new ConfigError([
    { file: undefined, line: undefined, column: undefined, path, message, ...details },
  ]);
}

/** What a Claude Code session of this provider is started with (the composition root's session factory). */
export function claudeCodeTarget(provider: ProviderConfig, modelId: string): ClaudeCodeTarget {
  return {
    modelId,
    ...(provider.baseUrl === undefined ? {} : { baseUrl: provider.baseUrl }),
    ...(provider.apiKeyEnv === undefined ? {} : { apiKeyEnv: provider.apiKeyEnv }),
  };
}
