/**
 * ProviderConfig → an AI SDK model. Keys come from the environment variable the config names (never from the
 * config itself); a required key that is missing fails here, naming the variable. OpenAI goes through chat
 * completions (`.chat()`); OpenAI-compatible servers (Ollama, vLLM, LM Studio, OpenRouter) need a base URL, a
 * key only when they ask for one, and `includeUsage` so streamed answers report their tokens. Each client's package
 * is imported when a model of its kind is first made, so a run loads only the providers it uses (a start-up cost:
 * bench/cli-cold-start.ts); Node keeps the module, so later calls pay nothing for it.
 */
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { type AiSdkClient, PROVIDER_KIND_TABLE } from '../config/provider-kinds.js';
import type { ProviderConfig } from '../config/types.js';
import { ProviderError } from '../errors/errors.js';
import { type AiSdkProviderKind, apiKeyEnvOf, isAiSdkKind } from './api-key-env.js';

export { type AiSdkProviderKind, apiKeyEnvOf, DEFAULT_API_KEY_ENV, isAiSdkKind } from './api-key-env.js';

export interface ResolvedSettings {
  kind: AiSdkProviderKind;
  /** The AI SDK client that builds the kind's models (the provider-kind table's). */
  client: AiSdkClient;
  baseUrl: string | undefined;
  apiKey: string | undefined;
}

export function resolveSettings(
  provider: ProviderConfig,
  modelId: string,
  env: Record<string, string | undefined>,
): ResolvedSettings {
  const kind = provider.kind;
  const fail = (message: string, hint?: string) =>
    new ProviderError(
      message,
      { provider: provider.name, model: modelId, retryable: false },
      hint === undefined ? {} : { hint },
    );
  if (!isAiSdkKind(kind)) {
    throw fail(`provider ${provider.name} is of kind ${kind}, which the AI SDK adapter does not serve`);
  }
  const keyEnv = apiKeyEnvOf(provider);
  const apiKey = keyEnv === undefined ? undefined : env[keyEnv];
  if (keyEnv !== undefined && (apiKey === undefined || apiKey.trim() === '')) {
    throw fail(
      `no API key for provider ${provider.name} (model ${modelId}): set the environment variable ${keyEnv}`,
      `export ${keyEnv}=<your key>, or name another variable with models.providers.${provider.name}.api_key_env`,
    );
  }
  if (PROVIDER_KIND_TABLE[kind].requiresBaseUrl && provider.baseUrl === undefined) {
    throw fail(
      `provider ${provider.name} (${kind}) has no base URL`,
      `set models.providers.${provider.name}.base_url, e.g. http://127.0.0.1:11434/v1 for Ollama`,
    );
  }
  const client = PROVIDER_KIND_TABLE[kind].models.client;
  return { kind, client, baseUrl: provider.baseUrl, apiKey: apiKey?.trim() };
}

export async function createSdkModel(
  providerName: string,
  modelId: string,
  settings: ResolvedSettings,
  fetch: typeof globalThis.fetch,
): Promise<LanguageModelV4> {
  const baseURL = settings.baseUrl === undefined ? {} : { baseURL: settings.baseUrl };
  const apiKey = settings.apiKey === undefined ? {} : { apiKey: settings.apiKey };
  switch (settings.client) {
    case 'anthropic': {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ ...baseURL, ...apiKey, fetch })(modelId);
    }
    case 'openai': {
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI({ ...baseURL, ...apiKey, fetch }).chat(modelId);
    }
    case 'openai-compatible': {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      return createOpenAICompatible({
        name: providerName,
        baseURL: settings.baseUrl ?? '',
        ...apiKey,
        includeUsage: true,
        fetch,
      })(modelId);
    }
  }
}
