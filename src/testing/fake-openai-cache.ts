/**
 * OpenAI automatic prompt caching, emulated for `usage.prompt_tokens_details.cached_tokens`. The rules implemented
 * (after OpenAI's prompt-caching guide): no markers — every prompt of at least 1024 tokens is cached; a later prompt
 * to the same model that shares a prefix of at least 1024 tokens with a cached one reports the shared prefix,
 * rounded down to 1024 + a multiple of 128 tokens, as cached (never the whole prompt: the last token is always
 * computed). `prompt_tokens` includes the cached tokens. An entry lives 5 minutes from its last use.
 * The prompt is its tools then its messages as key-sorted JSON, at 4 characters a token.
 */
import { stableStringify } from '../util/stable-json.js';
import { estimateTokens } from './fake-llm-tokens.js';

export interface OpenAiCacheUsage {
  prompt: number;
  cached: number;
}

const minimumTokens = 1024;
const incrementTokens = 128;
const lifetimeMs = 5 * 60_000;
const maxEntries = 256;

export class OpenAiPromptCache {
  private entries: Array<{ model: string; text: string; expiresAt: number }> = [];

  constructor(private readonly options: { now: () => number }) {}

  account(body: Record<string, unknown>): OpenAiCacheUsage {
    const now = this.options.now();
    const model = String(body.model);
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const text = [stableStringify(body.tools ?? []), ...messages.map((m) => stableStringify(m))].join('\n');
    const prompt = estimateTokens(text);
    this.entries = this.entries.filter((entry) => entry.expiresAt > now);
    let longest = 0;
    let best: (typeof this.entries)[number] | undefined;
    for (const entry of this.entries) {
      if (entry.model !== model) continue;
      const shared = commonPrefixLength(entry.text, text);
      if (shared > longest) [longest, best] = [shared, entry];
    }
    const sharedTokens = Math.min(Math.floor(longest / 4), prompt - 1);
    const cached =
      sharedTokens < minimumTokens
        ? 0
        : minimumTokens + Math.floor((sharedTokens - minimumTokens) / incrementTokens) * incrementTokens;
    if (cached > 0 && best !== undefined) best.expiresAt = now + lifetimeMs;
    if (prompt >= minimumTokens) this.remember(model, text, now);
    return { prompt, cached };
  }

  private remember(model: string, text: string, now: number): void {
    const same = this.entries.find((entry) => entry.model === model && entry.text === text);
    if (same !== undefined) same.expiresAt = now + lifetimeMs;
    else this.entries.push({ model, text, expiresAt: now + lifetimeMs });
    if (this.entries.length > maxEntries) this.entries.shift();
  }
}

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  for (let step = 4096; step >= 1; step = Math.floor(step / 8)) {
    while (index + step <= limit && a.slice(index, index + step) === b.slice(index, index + step))
      index += step;
  }
  return index;
}
