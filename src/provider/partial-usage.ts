/**
 * Usage of a call that failed mid-stream. The SDK drops the usage of a stream that ends in an error, but the
 * provider may already have billed it (OpenRouter sends usage in the very chunk that carries its error), so
 * the adapter watches the raw chunks and keeps the last usage the provider reported, for the error to carry.
 * Same arithmetic as the SDK: OpenAI's `prompt_tokens` includes cached and cache-written tokens; Anthropic's
 * `input_tokens` excludes both.
 */
import type { ModelUsage } from './model.js';
import { oneHourCacheWrite } from './usage.js';

type Counts = Record<string, unknown>;

export interface PartialUsageTracker {
  observe(rawChunk: unknown): void;
  usage(): ModelUsage | undefined;
}

export function createPartialUsageTracker(): PartialUsageTracker {
  let openai: Counts | undefined;
  let anthropic: Counts | undefined;
  return {
    observe(rawChunk) {
      const chunk = rawChunk as { type?: unknown; usage?: unknown; message?: { usage?: unknown } } | null;
      if (chunk === null || typeof chunk !== 'object') return;
      if (chunk.type === 'message_start' && isObject(chunk.message?.usage)) {
        anthropic = { ...chunk.message.usage };
      } else if (chunk.type === 'message_delta' && isObject(chunk.usage)) {
        anthropic = { ...anthropic, ...chunk.usage };
      } else if (isObject(chunk.usage) && typeof chunk.usage.prompt_tokens === 'number') {
        // Cumulative where a server repeats it (vLLM continuous usage): the last value is the total.
        openai = chunk.usage;
      }
    },
    usage() {
      if (openai !== undefined) return fromOpenAi(openai);
      if (anthropic !== undefined) return fromAnthropic(anthropic);
      return undefined;
    },
  };
}

function fromOpenAi(usage: Counts): ModelUsage {
  const prompt = count(usage.prompt_tokens);
  const promptDetails = (usage.prompt_tokens_details ?? {}) as Counts;
  const cacheRead = count(promptDetails.cached_tokens);
  const cacheWrite = count(promptDetails.cache_write_tokens);
  const completionDetails = (usage.completion_tokens_details ?? {}) as Counts;
  return {
    inputNoCache: Math.max(0, prompt - cacheRead - cacheWrite),
    cacheRead,
    cacheWrite,
    output: count(usage.completion_tokens),
    reasoning: count(completionDetails.reasoning_tokens),
    raw: usage,
  };
}

function fromAnthropic(usage: Counts): ModelUsage {
  const cacheWrite1h = oneHourCacheWrite(usage);
  const outputDetails = (usage.output_tokens_details ?? {}) as Counts;
  return {
    inputNoCache: count(usage.input_tokens),
    cacheRead: count(usage.cache_read_input_tokens),
    cacheWrite: count(usage.cache_creation_input_tokens),
    ...(cacheWrite1h === undefined ? {} : { cacheWrite1h }),
    output: count(usage.output_tokens),
    reasoning: count(outputDetails.thinking_tokens),
    raw: usage,
  };
}

function isObject(value: unknown): value is Counts {
  return typeof value === 'object' && value !== null;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
