/** Prompt-cache usage as the real clients read it: Anthropic cache_control breakpoints, OpenAI cached_tokens. */
import type { ModelMessage, SystemModelMessage } from 'ai';
import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { fakeServer, modelFor } from './fake-llm-support.js';

const cacheControl = { anthropic: { cacheControl: { type: 'ephemeral' } } } as const;
const longSystem =
  'You are the implementation agent. Follow the plan exactly and keep changes small. '.repeat(80);

const script = {
  conversations: [
    {
      name: 'loop',
      match: ['implementation agent', 'Start the task'],
      turns: [{ text: 'Step one done.' }, { text: 'Step two done.' }, { text: 'All done.' }],
    },
  ],
};

function instructions(options = cacheControl): SystemModelMessage {
  return { role: 'system', content: longSystem, providerOptions: options };
}

/** The conversation after `turns` answers, the last user message marked as a cache breakpoint. */
function messages(turns: number): ModelMessage[] {
  const out: ModelMessage[] = [{ role: 'user', content: 'Start the task' }];
  for (let turn = 1; turn <= turns; turn++) {
    out.push(
      { role: 'assistant', content: `Step ${turn} answer` },
      { role: 'user', content: `Continue ${turn}` },
    );
  }
  out[out.length - 1] = { ...out.at(-1)!, providerOptions: cacheControl } as ModelMessage;
  return out;
}

describe('Anthropic prompt caching through @ai-sdk/anthropic', () => {
  it('writes the marked prefix on the first call and reads it on the next, growing with the conversation', async () => {
    const server = await fakeServer(script);
    const model = modelFor('anthropic', server);
    const call = (turns: number) =>
      generateText({
        model,
        instructions: instructions(),
        messages: messages(turns),
        maxRetries: 0,
        maxOutputTokens: 100,
      });
    const first = (await call(0)).usage;
    expect(first.inputTokenDetails.cacheReadTokens).toBe(0);
    expect(first.inputTokenDetails.cacheWriteTokens).toBeGreaterThanOrEqual(1024);
    expect(first.inputTokenDetails.noCacheTokens).toBe(0);
    expect(first.raw).toMatchObject({
      cache_creation: {
        ephemeral_5m_input_tokens: first.inputTokenDetails.cacheWriteTokens,
        ephemeral_1h_input_tokens: 0,
      },
    });

    const second = (await call(1)).usage;
    expect(second.inputTokenDetails.cacheReadTokens).toBe(first.inputTokenDetails.cacheWriteTokens);
    expect(second.inputTokenDetails.cacheWriteTokens).toBeGreaterThan(0);
    expect(second.inputTokens).toBe(
      second.inputTokenDetails.noCacheTokens! +
        second.inputTokenDetails.cacheReadTokens! +
        second.inputTokenDetails.cacheWriteTokens!,
    );

    const third = streamText({
      model,
      instructions: instructions(),
      messages: messages(2),
      maxRetries: 0,
      maxOutputTokens: 100,
    });
    const streamed = await third.usage;
    expect(streamed.inputTokenDetails.cacheReadTokens).toBe(
      second.inputTokenDetails.cacheReadTokens! + second.inputTokenDetails.cacheWriteTokens!,
    );
    expect(server.requests.map((request) => request.turn)).toEqual([1, 2, 3]);
    server.assertAllUsed();
  });

  it('reports a one-hour breakpoint in ephemeral_1h_input_tokens', async () => {
    const server = await fakeServer(script);
    const hour = { anthropic: { cacheControl: { type: 'ephemeral', ttl: '1h' } } } as const;
    const result = await generateText({
      model: modelFor('anthropic', server),
      instructions: instructions(hour),
      prompt: 'Start the task',
      maxRetries: 0,
      maxOutputTokens: 100,
    });
    const system = (server.requests[0]!.body as { system: Array<{ cache_control?: unknown }> }).system;
    expect(system[0]!.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
    expect(result.usage.raw).toMatchObject({ cache_creation: { ephemeral_5m_input_tokens: 0 } });
    expect(
      (result.usage.raw as { cache_creation: { ephemeral_1h_input_tokens: number } }).cache_creation
        .ephemeral_1h_input_tokens,
    ).toBe(result.usage.inputTokenDetails.cacheWriteTokens);
  });

  it('caches nothing below the minimum prefix size', async () => {
    const server = await fakeServer(script, { cacheMinTokens: 100_000 });
    const model = modelFor('anthropic', server);
    for (const turns of [0, 1]) {
      const { usage } = await generateText({
        model,
        instructions: instructions(),
        messages: messages(turns),
        maxRetries: 0,
        maxOutputTokens: 100,
      });
      expect(usage.inputTokenDetails.cacheReadTokens).toBe(0);
      expect(usage.inputTokenDetails.cacheWriteTokens).toBe(0);
      expect(usage.inputTokenDetails.noCacheTokens).toBe(usage.inputTokens);
    }
  });
});

describe('OpenAI automatic prefix caching through @ai-sdk/openai', () => {
  it('reports the shared prefix of an earlier prompt as cached tokens', async () => {
    const server = await fakeServer(script);
    const model = modelFor('openai', server);
    const first = await generateText({
      model,
      system: longSystem,
      messages: messages(0),
      maxRetries: 0,
      maxOutputTokens: 100,
    });
    expect(first.usage.inputTokenDetails.cacheReadTokens).toBe(0);
    const second = streamText({
      model,
      system: longSystem,
      messages: messages(1),
      maxRetries: 0,
      maxOutputTokens: 100,
    });
    const usage = await second.usage;
    expect(usage.inputTokenDetails.cacheReadTokens).toBeGreaterThanOrEqual(1024);
    expect((usage.inputTokenDetails.cacheReadTokens! - 1024) % 128).toBe(0);
    expect(usage.inputTokenDetails.noCacheTokens).toBe(
      usage.inputTokens! - usage.inputTokenDetails.cacheReadTokens!,
    );
  });
});
