/**
 * What the composition root plugs into `createModelResolver`: one factory per provider kind the AI SDK adapter
 * serves (the provider-kind table's `ai-sdk` kinds), each model wrapped in the single retry layer.
 */
import { PROVIDER_KIND_NAMES } from '../config/provider-kinds.js';
import { createAiSdkModel } from './ai-sdk-model.js';
import type { ModelFactory } from './resolver.js';
import { type RetryOptions, withRetries } from './retry.js';
import { type AiSdkProviderKind, isAiSdkKind } from './sdk-model.js';

export interface ProviderFactoriesOptions {
  env?: Record<string, string | undefined>;
  fetch?: typeof globalThis.fetch;
  stallTimeoutMs?: number;
  retry?: RetryOptions;
}

export function providerModelFactories(
  options: ProviderFactoriesOptions = {},
): Partial<Record<AiSdkProviderKind, ModelFactory>> {
  const factory: ModelFactory = (provider, modelId) =>
    withRetries(
      createAiSdkModel({
        provider,
        modelId,
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: options.stallTimeoutMs }),
      }),
      options.retry,
    );
  return Object.fromEntries(PROVIDER_KIND_NAMES.filter(isAiSdkKind).map((kind) => [kind, factory]));
}
