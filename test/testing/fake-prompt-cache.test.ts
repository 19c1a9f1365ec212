/** The prompt-caching rules the fake LLM server emulates, checked directly on request bodies. */
import { describe, expect, it } from 'vitest';
import { AnthropicPromptCache } from '../../src/testing/fake-anthropic-cache.js';
import { OpenAiPromptCache } from '../../src/testing/fake-openai-cache.js';

const ephemeral = { type: 'ephemeral' };
const hour = { type: 'ephemeral', ttl: '1h' };

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A body with a large system block, `turns` user/assistant exchanges, and optional breakpoints. */
function conversation(options: {
  turns: number;
  system?: object;
  last?: object;
  model?: string;
  tools?: object;
}): Record<string, unknown> {
  const messages: Array<Record<string, unknown>> = [];
  for (let turn = 0; turn < options.turns; turn++) {
    messages.push({ role: 'user', content: [{ type: 'text', text: `question ${turn} `.repeat(20) }] });
    if (turn < options.turns - 1)
      messages.push({ role: 'assistant', content: [{ type: 'text', text: `answer ${turn}` }] });
  }
  const last = messages.at(-1)!.content as Array<Record<string, unknown>>;
  if (options.last !== undefined) last[0]!.cache_control = options.last;
  return {
    model: options.model ?? 'claude-sonnet-4-5',
    tools: [
      {
        name: 'read',
        input_schema: { type: 'object' },
        ...(options.tools ? { cache_control: options.tools } : {}),
      },
    ],
    system: [
      { type: 'text', text: 'You are a careful engineer. '.repeat(200), cache_control: options.system },
    ],
    messages,
  };
}

const total = (usage: { input: number; cacheRead: number; cacheWrite5m: number; cacheWrite1h: number }) =>
  usage.input + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h;

describe('Anthropic prompt caching emulation', () => {
  it('writes the prefix up to a breakpoint and reads it on the next request', () => {
    const cache = new AnthropicPromptCache({ minTokens: 1024, now: clock().now });
    const body = conversation({ turns: 1, system: ephemeral });
    const first = cache.account(body);
    expect(first.cacheRead).toBe(0);
    expect(first.cacheWrite5m).toBeGreaterThanOrEqual(1024);
    expect(first.input).toBeGreaterThan(0);
    const second = cache.account(body);
    expect(second).toEqual({
      input: first.input,
      cacheRead: first.cacheWrite5m,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
    });
  });

  it('keeps input + cache write + cache read equal to the prompt size', () => {
    const cache = new AnthropicPromptCache({ minTokens: 1024, now: clock().now });
    const size = total(
      new AnthropicPromptCache({ minTokens: 1024, now: clock().now }).account(conversation({ turns: 3 })),
    );
    for (const body of [
      conversation({ turns: 3, system: ephemeral }),
      conversation({ turns: 3, system: ephemeral, last: ephemeral }),
      conversation({ turns: 3, last: hour, tools: ephemeral }),
    ]) {
      expect(total(cache.account(body))).toBe(size);
    }
  });

  it('ignores a breakpoint whose prefix is below the minimum', () => {
    const cache = new AnthropicPromptCache({ minTokens: 100_000, now: clock().now });
    const body = conversation({ turns: 2, system: ephemeral, last: ephemeral });
    const usage = cache.account(body);
    expect(usage).toEqual({ input: total(usage), cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 });
    expect(cache.account(body).cacheRead).toBe(0);
  });

  it("applies each model's own minimum by default: 4096 tokens for Opus 4.5 and Haiku 4.5, 1024 for Sonnet 4.5", () => {
    // The system block is about 1,400 tokens: enough for Sonnet 4.5, too short for Opus 4.5 and Haiku 4.5.
    const cache = new AnthropicPromptCache({ now: clock().now });
    const sonnet = conversation({ turns: 1, system: ephemeral, model: 'claude-sonnet-4-5-20250929' });
    expect(cache.account(sonnet).cacheWrite5m).toBeGreaterThanOrEqual(1024);
    expect(cache.account(sonnet).cacheRead).toBeGreaterThanOrEqual(1024);
    for (const model of ['claude-opus-4-5', 'claude-haiku-4-5-20251001']) {
      const body = conversation({ turns: 1, system: ephemeral, model });
      const usage = cache.account(body);
      expect(total(usage)).toBeLessThan(4096);
      expect(usage).toEqual({ input: total(usage), cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 });
      expect(cache.account(body).cacheRead).toBe(0);
    }
  });

  it("reads the previous turn's breakpoint through the lookback as the conversation grows", () => {
    const cache = new AnthropicPromptCache({ minTokens: 1024, now: clock().now });
    const first = cache.account(conversation({ turns: 1, system: ephemeral, last: ephemeral }));
    const second = cache.account(conversation({ turns: 2, system: ephemeral, last: ephemeral }));
    expect(first.cacheRead).toBe(0);
    expect(second.cacheRead).toBe(first.cacheWrite5m);
    expect(second.cacheWrite5m).toBeGreaterThan(0);
    expect(second.input).toBe(0);
    const third = cache.account(conversation({ turns: 3, system: ephemeral, last: ephemeral }));
    expect(third.cacheRead).toBe(second.cacheRead + second.cacheWrite5m);
  });

  it('looks back at most 20 blocks, then falls back to the longest earlier hit', () => {
    const cache = new AnthropicPromptCache({ minTokens: 1024, now: clock().now });
    const system = cache.account(conversation({ turns: 1, system: ephemeral }));
    const near = cache.account(conversation({ turns: 2, system: ephemeral, last: ephemeral }));
    expect(near.cacheRead).toBe(system.cacheWrite5m);
    // 12 more exchanges = 24 more blocks: the turn-2 entry is out of reach, the system entry is not.
    const far = cache.account(conversation({ turns: 14, system: ephemeral, last: ephemeral }));
    expect(far.cacheRead).toBe(system.cacheWrite5m);
  });

  it('splits a write into 1 h and 5 min parts by the last 1 h breakpoint', () => {
    const cache = new AnthropicPromptCache({ minTokens: 1024, now: clock().now });
    const systemOnly = new AnthropicPromptCache({ minTokens: 1024, now: clock().now }).account(
      conversation({ turns: 2, system: hour }),
    );
    const usage = cache.account(conversation({ turns: 2, system: hour, last: ephemeral }));
    expect(usage.cacheWrite1h).toBe(systemOnly.cacheWrite1h);
    expect(usage.cacheWrite5m).toBeGreaterThan(0);
    expect(usage.input).toBe(0);
  });

  it('expires entries after their lifetime, and a read refreshes it', () => {
    const time = clock();
    const cache = new AnthropicPromptCache({ minTokens: 1024, now: time.now });
    const fiveMinutes = conversation({ turns: 1, system: ephemeral });
    cache.account(fiveMinutes);
    time.advance(4 * 60_000);
    expect(cache.account(fiveMinutes).cacheRead).toBeGreaterThan(0);
    time.advance(4 * 60_000); // 8 minutes after the write, 4 after the refreshing read
    expect(cache.account(fiveMinutes).cacheRead).toBeGreaterThan(0);
    time.advance(5 * 60_000 + 1);
    expect(cache.account(fiveMinutes).cacheRead).toBe(0);
    const oneHour = conversation({ turns: 1, system: hour, model: 'other' });
    cache.account(oneHour);
    time.advance(30 * 60_000);
    expect(cache.account(oneHour).cacheRead).toBeGreaterThan(0);
  });

  it('keys entries by model and prefix, not by where the breakpoint sits', () => {
    const cache = new AnthropicPromptCache({ minTokens: 1024, now: clock().now });
    cache.account(conversation({ turns: 1, system: ephemeral }));
    expect(
      cache.account(conversation({ turns: 1, system: ephemeral, model: 'claude-opus-4-1' })).cacheRead,
    ).toBe(0);
    const moved = cache.account(conversation({ turns: 2, last: ephemeral }));
    expect(moved.cacheRead).toBeGreaterThan(0);
  });

  it('refuses more than four breakpoints with the real 400 message', () => {
    const body = conversation({ turns: 3, system: ephemeral, last: ephemeral, tools: ephemeral });
    expect(AnthropicPromptCache.invalidReason(body)).toBeUndefined();
    const messages = body.messages as Array<{ content: Array<Record<string, unknown>> }>;
    messages[0]!.content[0]!.cache_control = ephemeral;
    messages[1]!.content[0]!.cache_control = ephemeral;
    expect(AnthropicPromptCache.invalidReason(body)).toBe(
      'A maximum of 4 blocks with cache_control may be provided. Found 5.',
    );
  });
});

describe('OpenAI automatic prefix caching emulation', () => {
  const prompt = (model: string, extra: string[] = []) => ({
    model,
    messages: [
      { role: 'system', content: 'Follow the house style. '.repeat(400) },
      { role: 'user', content: 'first question' },
      ...extra.map((content, index) => ({ role: index % 2 === 0 ? 'assistant' : 'user', content })),
    ],
  });

  it('caches prompts of 1024 tokens or more, reported in 128-token steps above 1024', () => {
    const cache = new OpenAiPromptCache({ now: clock().now });
    const first = cache.account(prompt('gpt-4o'));
    expect(first.cached).toBe(0);
    expect(first.prompt).toBeGreaterThan(2000);
    const second = cache.account(prompt('gpt-4o', ['an answer', 'a follow-up question']));
    expect(second.cached).toBeGreaterThanOrEqual(1024);
    expect((second.cached - 1024) % 128).toBe(0);
    expect(second.cached).toBeLessThanOrEqual(first.prompt);
    expect(second.prompt - second.cached).toBeLessThan(200);
  });

  it('never reports the whole prompt cached, a short prompt never, another model never', () => {
    const cache = new OpenAiPromptCache({ now: clock().now });
    const same = prompt('gpt-4o');
    cache.account(same);
    const repeat = cache.account(same);
    expect(repeat.cached).toBeLessThan(repeat.prompt);
    expect(cache.account(prompt('gpt-4.1')).cached).toBe(0);
    const short = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
    cache.account(short);
    expect(cache.account(short).cached).toBe(0);
  });
});
