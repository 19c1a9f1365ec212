/**
 * What the composition root plugs into `createModelResolver`: one factory per provider kind the AI SDK adapter
 * serves, each model wrapped in the single retry layer.
 */
import { createAiSdkModel } from './ai-sdk-model.js';
import type { ModelFactory } from './resolver.js';
import { type RetryOptions, withRetries } from './retry.js';
import type { AiSdkProviderKind } from './sdk-model.js';

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
  return { anthropic: factory, openai: factory, 'openai-compatible': factory };
}
