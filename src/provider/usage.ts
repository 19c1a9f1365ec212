/**
 * Usage normalized at the edge (STYLE §2). The provider packages already split input into uncached, cache-read
 * and cache-written tokens (Anthropic reports the three separately; OpenAI's `prompt_tokens` includes
 * `cached_tokens` and `cache_write_tokens`, which the package subtracts); we add the one-hour cache-write share
 * Anthropic reports in `cache_creation`, and keep the provider's raw record.
 */
import type { LanguageModelV4Usage, SharedV4ProviderMetadata } from '@ai-sdk/provider';
import type { ModelUsage } from './model.js';

export function normalizeUsage(
  usage: LanguageModelV4Usage | undefined,
  providerMetadata: SharedV4ProviderMetadata | undefined,
): ModelUsage {
  const cacheRead = usage?.inputTokens.cacheRead ?? 0;
  const cacheWrite = usage?.inputTokens.cacheWrite ?? 0;
  const inputNoCache =
    usage?.inputTokens.noCache ?? Math.max(0, (usage?.inputTokens.total ?? 0) - cacheRead - cacheWrite);
  const raw = usage?.raw ?? providerMetadata?.anthropic?.usage;
  const cacheWrite1h = oneHourCacheWrite(raw);
  return {
    inputNoCache,
    cacheRead,
    cacheWrite,
    ...(cacheWrite1h === undefined ? {} : { cacheWrite1h }),
    output: usage?.outputTokens.total ?? 0,
    reasoning: usage?.outputTokens.reasoning ?? 0,
    raw: raw ?? null,
  };
}

/** Anthropic's `cache_creation.ephemeral_1h_input_tokens`, where the response reports it. */
export function oneHourCacheWrite(raw: unknown): number | undefined {
  const creation = (raw as { cache_creation?: { ephemeral_1h_input_tokens?: unknown } } | null | undefined)
    ?.cache_creation;
  const tokens = creation?.ephemeral_1h_input_tokens;
  return typeof tokens === 'number' ? tokens : undefined;
}

export function hasUsage(usage: ModelUsage): boolean {
  return usage.inputNoCache + usage.cacheRead + usage.cacheWrite + usage.output > 0;
}
