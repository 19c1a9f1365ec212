/**
 * The composition root's model factories, one per provider kind by what its entry in `config/provider-kinds.ts`
 * says builds its models: the AI SDK adapter (with its one retry layer) for Anthropic, OpenAI and
 * OpenAI-compatible servers, the scripted provider that answers from a script file (the demo, users' own tests),
 * and Claude Code sessions. A model that cannot be set up — a missing API key above all — is a usage error (exit 2) found
 * before the run starts, naming what to set.
 */

import { claudeAgentSdkMissing } from '../agent/claude-code/index.js';
import type { ProviderConfig, ResolvedWorkflow } from '../config/index.js';
import {
  type AiSdkProviderKind,
  PROVIDER_KIND_NAMES,
  PROVIDER_KIND_TABLE,
  type ProviderKind,
  type ProviderKindSpec,
} from '../config/index.js';
import { isPhasewiseError, UsageError } from '../errors/index.js';
import { providerModelFactories } from '../provider/adapters/index.js';
import type { LanguageModel } from '../provider/index.js';
import {
  claudeCodeTarget,
  createModelResolver,
  type ModelFactory,
  type ModelResolver,
  type ProviderFactories,
  type RateLimiter,
  type SessionFactory,
  withRateLimit,
} from '../provider/index.js';
import { loadModelScript, ScriptedBackend } from '../testing/scripted/index.js';

export interface CliModelOptions {
  /** Admits every call of a provider with `rate_limit` (`rate-limits.ts`); none: no call is held back. */
  rateLimiter?: RateLimiter;
}

export function createCliModelResolver(
  workflow: ResolvedWorkflow,
  env: Record<string, string | undefined> = process.env,
  options: CliModelOptions = {},
): ModelResolver {
  const { rateLimiter } = options;
  const sdk = providerModelFactories({ env, ...(rateLimiter === undefined ? {} : { rateLimiter }) });
  const asUsageError = (factory: ModelFactory | undefined): ModelFactory | undefined =>
    factory &&
    ((provider, modelId): LanguageModel => {
      try {
        return factory(provider, modelId);
      } catch (error) {
        if (!isPhasewiseError(error)) throw error;
        throw new UsageError(error.message, {
          ...(error.hint === undefined ? {} : { hint: error.hint }),
          cause: error,
        });
      }
    });
  // What builds a kind's models, as the provider-kind table says; each kind's factory is then of its runtime's sort.
  const factoryBy: Record<
    ProviderKindSpec['models']['by'],
    (kind: ProviderKind) => ModelFactory | SessionFactory | undefined
  > = {
    'ai-sdk': (kind) => asUsageError(sdk[kind as AiSdkProviderKind]),
    scripted: () => scriptedFactory(rateLimiter),
    session: claudeCodeFactory,
  };
  return createModelResolver({
    providers: workflow.providers,
    factories: Object.fromEntries(
      PROVIDER_KIND_NAMES.map((kind) => [kind, factoryBy[PROVIDER_KIND_TABLE[kind].models.by](kind)]),
    ) as ProviderFactories,
  });
}

function scriptedFactory(rateLimiter: RateLimiter | undefined): ModelFactory {
  const backends = new Map<string, ScriptedBackend>();
  const backendFor = (provider: ProviderConfig): ScriptedBackend => {
    let backend = backends.get(provider.name);
    if (backend === undefined) {
      if (provider.script === undefined) {
        throw new UsageError(`provider "${provider.name}" is scripted but has no script`, {
          hint: `set models.providers.${provider.name}.script to a script file`,
        });
      }
      backend = new ScriptedBackend({
        script: loadModelScript(provider.script),
        ...(provider.latencyMs === undefined ? {} : { latencyMs: provider.latencyMs }),
        ...(provider.callLog === undefined ? {} : { callLog: provider.callLog }),
      });
      backends.set(provider.name, backend);
    }
    return backend;
  };
  return (provider, modelId) => {
    const model = backendFor(provider).model(modelId);
    return rateLimiter === undefined ? model : withRateLimit(model, rateLimiter);
  };
}

/**
 * A `claude-code` model is never called as a model: its phases run as Claude Code sessions (agent/claude-code).
 * Resolving one checks, before the run starts, that the optional Agent SDK is installed.
 */
function claudeCodeFactory(): SessionFactory {
  return (provider, modelId) => {
    const missing = claudeAgentSdkMissing();
    if (missing !== undefined) throw missing;
    return claudeCodeTarget(provider, modelId);
  };
}
