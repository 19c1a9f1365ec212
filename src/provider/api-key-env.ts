/**
 * Which environment variable holds a provider's API key. Kept apart from the SDK adapter so that commands that
 * only need to name the variable (`validate`, the redactor's set-up) do not load the AI SDK.
 */
import {
  type AiSdkProviderKind,
  PROVIDER_KIND_NAMES,
  PROVIDER_KIND_TABLE,
  providerKindSpec,
} from '../config/provider-kinds.js';
import type { ProviderConfig } from '../config/types.js';

export type { AiSdkProviderKind } from '../config/provider-kinds.js';

/** The key variable of each kind the AI SDK adapter serves, from the provider-kind table. */
export const DEFAULT_API_KEY_ENV = Object.fromEntries(
  PROVIDER_KIND_NAMES.filter(isAiSdkKind).map((kind) => [kind, PROVIDER_KIND_TABLE[kind].apiKeyEnv]),
) as Record<AiSdkProviderKind, string | undefined>;

export function isAiSdkKind(kind: ProviderConfig['kind']): kind is AiSdkProviderKind {
  return providerKindSpec(kind)?.models.by === 'ai-sdk';
}

/** The environment variable holding this provider's key, or undefined when it needs none. */
export function apiKeyEnvOf(provider: ProviderConfig): string | undefined {
  return provider.apiKeyEnv ?? providerKindSpec(provider.kind)?.apiKeyEnv;
}
