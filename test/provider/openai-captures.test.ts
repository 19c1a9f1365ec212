/**
 * Recorded OpenAI Chat Completions responses replayed to the real @ai-sdk/openai chat client through our adapter.
 * OpenAI's `prompt_tokens` includes `cached_tokens`, so uncached input is the difference.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failure, modelFor, request, toolsNamed } from './support/models.js';
import { capture, type ReplayServer, startReplayServer } from './support/replay-server.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const openai = (stream = true) => modelFor('openai', server.origin, { stream });

describe('openai streaming captures', () => {
  it('openai-stream-tool-calls-usage.sse: arguments by index fragments, usage from the final chunk', async () => {
    server.enqueue(capture('openai-stream-tool-calls-usage.sse'));
    const response = await openai().generate(request({ tools: toolsNamed('multiply') }));
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'call_1EYWDzueHEp8OsB8jJSEp7WB',
        toolName: 'multiply',
        input: { a: 1231, b: 2331 },
      },
    ]);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
    expect(response.modelId).toBe('gpt-4o-mini-2024-07-18');
    const { raw, ...usage } = response.usage;
    expect(usage).toEqual({ inputNoCache: 54, cacheRead: 0, cacheWrite: 0, output: 20, reasoning: 0 });
    expect(raw).toMatchObject({ prompt_tokens: 54, completion_tokens: 20, total_tokens: 74 });
    // Chat completions, streamed, asking for the usage chunk.
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('openai-stream-text-usage.sse: literal backslashes survive', async () => {
    server.enqueue(capture('openai-stream-text-usage.sse'));
    const response = await openai().generate(request());
    expect(response.content).toEqual([
      { type: 'text', text: 'The result of \\( 1231 \\times 2331 \\) is \\( 2,869,461 \\).' },
    ]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
    const { raw: _raw, ...usage } = response.usage;
    expect(usage).toEqual({ inputNoCache: 87, cacheRead: 0, cacheWrite: 0, output: 26, reasoning: 0 });
  });
});

describe('openai non-streaming captures', () => {
  it('openai-nonstream-tool-call.json: null content, one tool call', async () => {
    server.enqueue(capture('openai-nonstream-tool-call.json'));
    const response = await openai(false).generate(request({ tools: toolsNamed('get_temperature') }));
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'call_bhZkmIKKItNGJ41whHUHB7p9',
        toolName: 'get_temperature',
        input: { city: 'Tokyo' },
      },
    ]);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
    expect(response.modelId).toBe('gpt-4.1-mini-2025-04-14');
    const { raw: _raw, ...usage } = response.usage;
    expect(usage).toEqual({ inputNoCache: 50, cacheRead: 0, cacheWrite: 0, output: 15, reasoning: 0 });
  });

  it('openai-nonstream-cached-tokens.json: 4020 prompt tokens of which 4012 cached → 8 uncached', async () => {
    server.enqueue(capture('openai-nonstream-cached-tokens.json'));
    const response = await openai(false).generate(request());
    expect(response.content).toEqual([{ type: 'text', text: 'OK' }]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
    expect(response.modelId).toBe('gpt-5.6-sol');
    const { raw, ...usage } = response.usage;
    expect(usage).toEqual({ inputNoCache: 8, cacheRead: 4012, cacheWrite: 0, output: 4, reasoning: 0 });
    expect(raw).toMatchObject({ prompt_tokens: 4020, total_tokens: 4024 });
  });
});

describe('openai error captures', () => {
  it.each([true, false])(
    'openai-error-400-unsupported-value.json (stream %s): not retryable',
    async (stream) => {
      server.enqueue(capture('openai-error-400-unsupported-value.json'));
      const error = await failure(openai(stream).generate(request()));
      expect(error).toMatchObject({ status: 400, retryable: false, errorType: 'invalid_request_error' });
      expect((error as Error).message).toContain(
        "Unsupported value: 'messages[0].role' does not support 'system' with this model.",
      );
    },
  );

  it('openai-error-429-rate-limit.json: retryable, no header so no server-requested wait', async () => {
    server.enqueue(capture('openai-error-429-rate-limit.json'));
    const error = await failure(openai().generate(request()));
    expect(error).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: undefined,
      errorType: 'tokens',
    });
    expect((error as Error).message).toContain('Please try again in 6ms');
  });
});
