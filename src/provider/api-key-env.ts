/**
 * Which environment variable holds a provider's API key. Kept apart from the SDK adapter so that commands that
 * only need to name the variable (`validate`, the redactor's set-up) do not load the AI SDK.
 */
import type { ProviderConfig } from '../config/types.js';

export type AiSdkProviderKind = 'anthropic' | 'openai' | 'openai-compatible';

export const DEFAULT_API_KEY_ENV: Record<AiSdkProviderKind, string | undefined> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  'openai-compatible': undefined,
};

export function isAiSdkKind(kind: ProviderConfig['kind']): kind is AiSdkProviderKind {
  return kind === 'anthropic' || kind === 'openai' || kind === 'openai-compatible';
}

/** The environment variable holding this provider's key, or undefined when it needs none. */
export function apiKeyEnvOf(provider: ProviderConfig): string | undefined {
  if (provider.apiKeyEnv !== undefined) return provider.apiKeyEnv;
  return isAiSdkKind(provider.kind) ? DEFAULT_API_KEY_ENV[provider.kind] : undefined;
}
