/**
 * Anthropic prompt caching, emulated so the usage split (uncached / cache write / cache read) behaves like the real
 * API's. The rules implemented (after Anthropic's prompt-caching documentation):
 *
 * 1. The prompt is a sequence of blocks in the order tools → system → messages: each tool definition, each system
 *    block, each message content block (a string `system` or `content` is one block).
 * 2. A block carrying `cache_control: {type: 'ephemeral', ttl?: '5m' | '1h'}` is a breakpoint; more than 4 is a
 *    400. What is cached is the whole prefix up to and including the block, keyed by a hash of the model and that
 *    prefix (`cache_control` itself is not part of the key, so moving a breakpoint does not change the prefix).
 * 3. A breakpoint whose prefix is shorter than the model's minimum cacheable length is ignored: neither written nor
 *    read. The minimum is the model's own (`minimumCacheableTokens`: 4096 for Claude Opus 4.5 and Haiku 4.5, 2048
 *    for the Haiku 3 models, 1024 for Sonnet 4.5, Sonnet 4, Opus 4/4.1 and the rest — the table "Cache limitations"
 *    in https://docs.claude.com/en/docs/build-with-claude/prompt-caching), unless the server is given one figure.
 * 4. Read: for each breakpoint, the prefix ending at it and at each of the 19 block boundaries before it (the
 *    20-block lookback) is looked up; the longest prefix found is read (`cache_read_input_tokens`) and its lifetime
 *    refreshed. So a conversation that moves its last breakpoint forward each turn reads the previous turn's write.
 * 5. Write: every qualifying breakpoint after the read prefix is written. `cache_creation_input_tokens` is the
 *    tokens from the end of the read prefix (or the start) to the last such breakpoint; `cache_creation` splits it
 *    into `ephemeral_1h_input_tokens` (up to the last 1h breakpoint) and `ephemeral_5m_input_tokens` (the rest).
 * 6. `input_tokens` is the remainder: the tokens after the last breakpoint, or the whole prompt when nothing
 *    qualified. input + cache write + cache read = the prompt's total, always.
 * 7. An entry lives 5 minutes (or 1 hour) from its last write or read, by the injected clock.
 * 8. A block's size is its JSON (role-prefixed for messages) at 4 characters a token.
 */
import { sha256, stableStringify } from '../util/stable-json.js';
import { estimateTokens } from './fake-llm-tokens.js';

export interface AnthropicCacheUsage {
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

type Ttl = '5m' | '1h';
interface Block {
  text: string;
  breakpoint: Ttl | undefined;
}
type Json = Record<string, unknown>;

const ttlMs: Record<Ttl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };
const lookbackBlocks = 20;
export const maxCacheBreakpoints = 4;

export class AnthropicPromptCache {
  private readonly entries = new Map<string, { expiresAt: number; ttl: Ttl }>();

  constructor(private readonly options: { minTokens?: number; now: () => number }) {}

  /** The real API's 400 message when the request has too many breakpoints, else undefined. */
  static invalidReason(body: Json): string | undefined {
    const found = blocksOf(body).filter((block) => block.breakpoint !== undefined).length;
    return found > maxCacheBreakpoints
      ? `A maximum of ${maxCacheBreakpoints} blocks with cache_control may be provided. Found ${found}.`
      : undefined;
  }

  /** Reads and writes the cache as the real API would for this request, and returns the usage split. */
  account(body: Json): AnthropicCacheUsage {
    const now = this.options.now();
    const blocks = blocksOf(body);
    const totals: number[] = [];
    const hashes: string[] = [];
    let total = 0;
    let hash = sha256(`model:${String(body.model)}`);
    for (const block of blocks) {
      total += estimateTokens(block.text);
      hash = sha256(`${hash}\n${block.text}`);
      totals.push(total);
      hashes.push(hash);
    }
    const minTokens = this.options.minTokens ?? minimumCacheableTokens(String(body.model));
    const breakpoints = blocks.flatMap((block, index) =>
      block.breakpoint !== undefined && totals[index]! >= minTokens ? [index] : [],
    );
    const hit = this.longestHit(breakpoints, hashes, now);
    const read = hit < 0 ? 0 : totals[hit]!;
    const written = breakpoints.filter((index) => index > hit);
    for (const index of written) {
      const ttl = blocks[index]!.breakpoint!;
      this.entries.set(hashes[index]!, { ttl, expiresAt: now + ttlMs[ttl] });
    }
    const lastWrite = written.at(-1);
    const lastHourWrite = written.filter((index) => blocks[index]!.breakpoint === '1h').at(-1);
    const cacheWrite = lastWrite === undefined ? 0 : totals[lastWrite]! - read;
    const cacheWrite1h = lastHourWrite === undefined ? 0 : totals[lastHourWrite]! - read;
    return {
      input: total - read - cacheWrite,
      cacheRead: read,
      cacheWrite5m: cacheWrite - cacheWrite1h,
      cacheWrite1h,
    };
  }

  private longestHit(breakpoints: number[], hashes: string[], now: number): number {
    let hit = -1;
    for (const breakpoint of breakpoints) {
      for (let index = breakpoint; index > hit && index > breakpoint - lookbackBlocks; index--) {
        const entry = this.entries.get(hashes[index]!);
        if (entry === undefined) continue;
        if (entry.expiresAt <= now) {
          this.entries.delete(hashes[index]!);
          continue;
        }
        hit = index;
        break;
      }
    }
    if (hit >= 0) {
      const entry = this.entries.get(hashes[hit]!)!;
      entry.expiresAt = now + ttlMs[entry.ttl];
    }
    return hit;
  }
}

/**
 * The shortest prefix Anthropic caches for a model (its prompt-caching documentation, "Cache limitations"): Opus 4.5
 * and Haiku 4.5 need 4096 tokens, the Haiku 3 models 2048, every other current model 1024. Dated model ids
 * (`claude-haiku-4-5-20251001`) match their family.
 */
export function minimumCacheableTokens(model: string): number {
  if (/^claude-(opus-4-5|haiku-4-5)/.test(model)) return 4096;
  if (/^claude-(3-5-haiku|3-haiku)/.test(model)) return 2048;
  return 1024;
}

/** The prompt as cacheable blocks, in the order the cache sees them: tools, system, messages. */
function blocksOf(body: Json): Block[] {
  const blocks: Block[] = [];
  for (const tool of asArray(body.tools)) blocks.push(block('tool', tool));
  if (typeof body.system === 'string') blocks.push({ text: `system:${body.system}`, breakpoint: undefined });
  else for (const part of asArray(body.system)) blocks.push(block('system', part));
  for (const message of asArray(body.messages)) {
    const role = String((message as Json).role);
    const content = (message as Json).content;
    if (typeof content === 'string') blocks.push({ text: `${role}:${content}`, breakpoint: undefined });
    else for (const part of asArray(content)) blocks.push(block(role, part));
  }
  return blocks;
}

function block(label: string, value: unknown): Block {
  if (value === null || typeof value !== 'object')
    return { text: `${label}:${JSON.stringify(value)}`, breakpoint: undefined };
  const { cache_control: cacheControl, ...rest } = value as Json;
  const control = cacheControl as { type?: unknown; ttl?: unknown } | undefined;
  const breakpoint = control?.type === 'ephemeral' ? (control.ttl === '1h' ? '1h' : '5m') : undefined;
  return { text: `${label}:${stableStringify(rest)}`, breakpoint };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
