/**
 * Claude Code's usage, counted once per model response. The SDK streams one assistant message per content
 * block, each repeating its response's `message.id` and usage, so usage is keyed by that id and a later frame
 * only ever adds what it reports beyond the earlier ones. The result message's `modelUsage` is the session's
 * total (auxiliary calls included): what it holds beyond the responses seen is charged at the end.
 */
import { noTokens } from '../../events/index.js';
import type { ModelUsage } from '../../provider/model.js';

/** The usage fields of an Anthropic Messages response, as Claude Code passes them on. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_1h_input_tokens?: number | null } | null;
}

/** The result message's per-model totals (the SDK's `ModelUsage`). */
export interface SessionModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  cacheCreationEphemeral5mInputTokens?: number;
  cacheCreationEphemeral1hInputTokens?: number;
  /** The id Claude Code priced the entry under, when it differs from the key (an alias, a provider's id). */
  canonicalModel?: string;
}

/**
 * A model id without its snapshot date. Claude Code keys `modelUsage` by the id it was asked for
 * (`claude-sonnet-4-5`) while the API names the snapshot that answered (`claude-sonnet-4-5-20250929`): both are
 * the same model, and a total must be matched with the responses already charged for it.
 */
export function modelFamily(model: string): string {
  return model.replace(/-\d{8}$/, '');
}

export function usageOfResponse(usage: AnthropicUsage | undefined): ModelUsage {
  const oneHour = usage?.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  return {
    inputNoCache: usage?.input_tokens ?? 0,
    cacheRead: usage?.cache_read_input_tokens ?? 0,
    cacheWrite: usage?.cache_creation_input_tokens ?? 0,
    ...(oneHour > 0 ? { cacheWrite1h: oneHour } : {}),
    output: usage?.output_tokens ?? 0,
    reasoning: 0,
  };
}

export function usageOfModelTotal(total: SessionModelUsage): ModelUsage {
  const oneHour = total.cacheCreationEphemeral1hInputTokens ?? 0;
  return {
    inputNoCache: total.inputTokens,
    cacheRead: total.cacheReadInputTokens,
    cacheWrite: total.cacheCreationInputTokens,
    ...(oneHour > 0 ? { cacheWrite1h: oneHour } : {}),
    output: total.outputTokens,
    reasoning: 0,
  };
}

const FIELDS = ['inputNoCache', 'cacheRead', 'cacheWrite', 'cacheWrite1h', 'output'] as const;

/** What `later` reports beyond `earlier`, field by field (never negative). */
export function usageBeyond(later: ModelUsage, earlier: ModelUsage): ModelUsage {
  const extra: ModelUsage = noTokens();
  for (const field of FIELDS) {
    const more = Math.max(0, (later[field] ?? 0) - (earlier[field] ?? 0));
    if (field === 'cacheWrite1h') {
      if (more > 0) extra.cacheWrite1h = more;
    } else {
      extra[field] = more;
    }
  }
  return extra;
}

export function addUsage(into: ModelUsage, more: ModelUsage): void {
  for (const field of FIELDS) {
    const sum = (into[field] ?? 0) + (more[field] ?? 0);
    if (field === 'cacheWrite1h') {
      if (sum > 0) into.cacheWrite1h = sum;
    } else {
      into[field] = sum;
    }
  }
}

export function isEmptyUsage(usage: ModelUsage): boolean {
  return FIELDS.every((field) => (usage[field] ?? 0) === 0);
}

/** Per response id: the usage charged so far. `observe` answers what a frame adds. */
export class ResponseUsage {
  private readonly byResponse = new Map<string, { model: string; usage: ModelUsage }>();

  /** The new usage a frame of response `id` reports (zero for a repeated frame), and whether `id` is new. */
  observe(id: string, model: string, usage: ModelUsage): { added: ModelUsage; first: boolean } {
    const known = this.byResponse.get(id);
    if (known === undefined) {
      this.byResponse.set(id, { model, usage: { ...usage } });
      return { added: { ...usage }, first: true };
    }
    const added = usageBeyond(usage, known.usage);
    addUsage(known.usage, added);
    return { added, first: false };
  }

  /** The usage charged so far for `model` (a result's model key, dated or not), summed over its responses. */
  totalFor(model: string): ModelUsage {
    const total: ModelUsage = noTokens();
    for (const entry of this.byResponse.values())
      if (modelFamily(entry.model) === modelFamily(model)) addUsage(total, entry.usage);
    return total;
  }

  /** The usage charged so far over every response, whatever its model. */
  total(): ModelUsage {
    const total: ModelUsage = noTokens();
    for (const entry of this.byResponse.values()) addUsage(total, entry.usage);
    return total;
  }

  /** The models the responses came from (families, dates dropped). */
  models(): Set<string> {
    return new Set([...this.byResponse.values()].map((entry) => modelFamily(entry.model)));
  }

  /** The usage charged so far for response `id` (a copy), if it was seen. */
  usageOf(id: string): ModelUsage | undefined {
    const known = this.byResponse.get(id);
    return known === undefined ? undefined : { ...known.usage };
  }

  get responses(): number {
    return this.byResponse.size;
  }
}
