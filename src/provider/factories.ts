/**
 * What the composition root plugs into `createModelResolver`: one factory per provider kind the AI SDK adapter
 * serves (the provider-kind table's `ai-sdk` kinds), each model wrapped in the single retry layer, and under it,
 * when a rate limiter is given, in the provider's rate limits.
 */
import { PROVIDER_KIND_NAMES } from '../config/provider-kinds.js';
import { createAiSdkModel } from './ai-sdk-model.js';
import type { RateLimiter } from './rate-limit.js';
import { withRateLimit } from './rate-limited-model.js';
import type { ModelFactory } from './resolver.js';
import { type RetryOptions, withRetries } from './retry.js';
import { type AiSdkProviderKind, isAiSdkKind } from './sdk-model.js';

export interface ProviderFactoriesOptions {
  env?: Record<string, string | undefined>;
  fetch?: typeof globalThis.fetch;
  stallTimeoutMs?: number;
  retry?: RetryOptions;
  /** Admits every try of every call of a provider with `rate_limit` (`rate-limit.ts`); none: no limits. */
  rateLimiter?: RateLimiter;
}

export function providerModelFactories(
  options: ProviderFactoriesOptions = {},
): Partial<Record<AiSdkProviderKind, ModelFactory>> {
  const factory: ModelFactory = (provider, modelId) => {
    const model = createAiSdkModel({
      provider,
      modelId,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: options.stallTimeoutMs }),
    });
    return withRetries(
      options.rateLimiter === undefined ? model : withRateLimit(model, options.rateLimiter),
      options.retry,
    );
  };
  return Object.fromEntries(PROVIDER_KIND_NAMES.filter(isAiSdkKind).map((kind) => [kind, factory]));
}
