/**
 * Recorded Anthropic Messages responses (test/fixtures/wire-captures/README.md), replayed over HTTP to the real
 * @ai-sdk/anthropic client through our adapter: text, tool calls, every usage field, finish reasons, errors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors/errors.js';
import { ProviderCallError } from '../../src/provider/provider-call-error.js';
import { failure, modelFor, request, TEST_KEY, toolsNamed } from './support/models.js';
import { capture, type ReplayServer, startReplayServer } from './support/replay-server.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const anthropic = (stream = true) => modelFor('anthropic', server.origin, { stream });

describe('anthropic streaming captures', () => {
  it('anthropic-stream-text.sse: padded events, ping, usage from message_start and message_delta', async () => {
    server.enqueue(capture('anthropic-stream-text.sse'));
    const response = await anthropic().generate(request());
    expect(response.content).toEqual([{ type: 'text', text: '- Captain\n- Scoop' }]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'end_turn' });
    expect(response.modelId).toBe('claude-sonnet-4-5-20250929');
    const { raw, ...usage } = response.usage;
    // output 10 is message_delta's final count, not message_start's 1.
    expect(usage).toEqual({
      inputNoCache: 17,
      cacheRead: 0,
      cacheWrite: 0,
      cacheWrite1h: 0,
      output: 10,
      reasoning: 0,
    });
    expect(raw).toMatchObject({
      input_tokens: 17,
      output_tokens: 10,
      cache_creation: { ephemeral_1h_input_tokens: 0 },
    });
  });

  it('anthropic-stream-text-and-parallel-tools.sse: `""` tool input is {}, input kept from message_start', async () => {
    server.enqueue(capture('anthropic-stream-text-and-parallel-tools.sse'));
    const response = await anthropic().generate(request({ tools: toolsNamed('pelican_name_generator') }));
    expect(response.content).toEqual([
      {
        type: 'text',
        text: "I'll help you generate two names for a pet pelican using the pelican name generator tool.",
      },
      {
        type: 'tool-call',
        toolCallId: 'toolu_017ngBid8gmdReTeroVSZf7r',
        toolName: 'pelican_name_generator',
        input: {},
      },
      {
        type: 'tool-call',
        toolCallId: 'toolu_01FJrHJrmnfEqR6NxkQ3yhpu',
        toolName: 'pelican_name_generator',
        input: {},
      },
    ]);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(response.modelId).toBe('claude-3-5-haiku-latest');
    const { raw: _raw, ...usage } = response.usage;
    // No cache_creation breakdown in this older response: no one-hour figure is invented.
    expect(usage).toEqual({ inputNoCache: 310, cacheRead: 0, cacheWrite: 0, output: 82, reasoning: 0 });
  });

  it('anthropic-stream-tool-use.sse: tool input assembled from three input_json_delta pieces', async () => {
    server.enqueue(capture('anthropic-stream-tool-use.sse'));
    const response = await anthropic().generate(request({ tools: toolsNamed('json') }));
    expect(response.content).toEqual([
      { type: 'text', text: "I'll invoke the JSON response tool." },
      {
        type: 'tool-call',
        toolCallId: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
        toolName: 'json',
        input: { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] },
      },
    ]);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(response.modelId).toBe('claude-haiku-4-5-20251001');
    const { raw: _raw, ...usage } = response.usage;
    expect(usage).toEqual({
      inputNoCache: 849,
      cacheRead: 0,
      cacheWrite: 0,
      cacheWrite1h: 0,
      output: 47,
      reasoning: 0,
    });
  });

  it('anthropic-stream-error-overloaded.sse: an error event in a 200 stream is a retryable 529, not an answer', async () => {
    server.enqueue(capture('anthropic-stream-error-overloaded.sse'));
    const error = await failure(anthropic().generate(request()));
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({
      name: 'ProviderCallError',
      code: 'provider_error',
      provider: 'anthropic',
      model: 'test-model',
      status: 529,
      retryable: true,
      errorType: 'overloaded_error',
      afterContent: false,
    });
    expect((error as Error).message).toContain('Overloaded');
  });
});

describe('anthropic non-streaming captures', () => {
  it('anthropic-nonstream-cache-write-and-read.json: input_tokens excludes cache reads and writes', async () => {
    server.enqueue(capture('anthropic-nonstream-cache-write-and-read.json'));
    const response = await anthropic(false).generate(request());
    expect(response.content).toHaveLength(1);
    expect(response.content[0]).toMatchObject({ type: 'text' });
    expect((response.content[0] as { text: string }).text).toMatch(
      /^Python is a beginner-friendly, versatile programming language/,
    );
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'end_turn' });
    expect(response.modelId).toBe('claude-sonnet-4-5-20250929');
    const { raw, ...usage } = response.usage;
    expect(usage).toEqual({
      inputNoCache: 3,
      cacheRead: 1111,
      cacheWrite: 418,
      cacheWrite1h: 0,
      output: 33,
      reasoning: 0,
    });
    // Total prompt = 3 + 418 + 1111, as the README's arithmetic says.
    expect(usage.inputNoCache + usage.cacheRead + usage.cacheWrite).toBe(1532);
    expect(raw).toMatchObject({
      cache_creation: { ephemeral_5m_input_tokens: 418, ephemeral_1h_input_tokens: 0 },
    });
  });

  it('anthropic-nonstream-parallel-tool-use.json: one text block and four tool calls in order', async () => {
    server.enqueue(capture('anthropic-nonstream-parallel-tool-use.json'));
    const response = await anthropic(false).generate(request({ tools: toolsNamed('retrieve_entity_info') }));
    expect(response.content[0]).toEqual({
      type: 'text',
      text: "I'll help you find out who is the youngest by retrieving information about each family member. I'll retrieve their entity information to compare their ages.",
    });
    expect(response.content.slice(1)).toEqual(
      [
        ['toolu_0167cfEnoQaPviGdVXA95zcu', 'Alice'],
        ['toolu_01EEe2V5HD1Ac4rKiUR4HD2T', 'Bob'],
        ['toolu_01XFyAjstT3966qvRynZyVPo', 'Charlie'],
        ['toolu_013mnQZbgtK2oe3Mo3XKJsx3', 'Daisy'],
      ].map(([toolCallId, name]) => ({
        type: 'tool-call',
        toolCallId,
        toolName: 'retrieve_entity_info',
        input: { name },
      })),
    );
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(response.modelId).toBe('claude-haiku-4-5-20251001');
    const { raw: _raw, ...usage } = response.usage;
    expect(usage).toEqual({
      inputNoCache: 423,
      cacheRead: 0,
      cacheWrite: 0,
      cacheWrite1h: 0,
      output: 202,
      reasoning: 0,
    });
  });
});

describe('anthropic error captures', () => {
  it.each([true, false])(
    'anthropic-error-400-prompt-too-long.json (stream %s): not retryable',
    async (stream) => {
      server.enqueue(capture('anthropic-error-400-prompt-too-long.json'));
      const error = await failure(anthropic(stream).generate(request()));
      expect(error).toMatchObject({
        status: 400,
        retryable: false,
        errorType: 'invalid_request_error',
        requestId: 'req_011CV5J4YZo4J3KLTDZgDN7S',
      });
      expect((error as Error).message).toContain('prompt is too long: 205351 tokens > 200000 maximum');
    },
  );

  it('anthropic-error-429-rate-limit.json + headers: retryable, retry-after 16 s', async () => {
    server.enqueue(capture('anthropic-error-429-rate-limit.json'));
    const error = await failure(anthropic().generate(request()));
    expect(error).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 16_000,
      errorType: 'rate_limit_error',
      requestId: 'req_011CcR9r7znh7DZb3RdjMUHy',
    });
    expect((error as Error).message).toContain(
      "This request would exceed your account's rate limit. Please try again later.",
    );
  });

  it('anthropic-error-529-overloaded.json + headers: retryable, no retry-after, request id from the header', async () => {
    server.enqueue(capture('anthropic-error-529-overloaded.json'));
    const error = await failure(anthropic().generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      status: 529,
      retryable: true,
      retryAfterMs: undefined,
      errorType: 'overloaded_error',
      requestId: 'req_01RCc7MbLyQNtGKzBTv8VCep',
    });
    expect((error as Error).message).toContain('Overloaded');
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(
      TEST_KEY,
    );
  });
});
