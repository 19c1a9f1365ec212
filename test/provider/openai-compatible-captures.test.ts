/**
 * Recorded answers of OpenAI-compatible servers (Ollama, vLLM, OpenRouter) replayed to the real
 * @ai-sdk/openai-compatible client through our adapter, with no API key configured.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderCallError } from '../../src/provider/provider-call-error.js';
import { failure, modelFor, request, toolsNamed } from './support/models.js';
import { capture, type ReplayServer, startReplayServer } from './support/replay-server.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const compatible = (stream = true) => modelFor('openai-compatible', server.origin, { stream, env: {} });

describe('openai-compatible captures', () => {
  it('ollama-openai-compat-nonstream-tool-call.json: empty content, reasoning ignored, no cache details → 0', async () => {
    server.enqueue(capture('ollama-openai-compat-nonstream-tool-call.json'));
    const response = await compatible(false).generate(request({ tools: toolsNamed('final_result') }));
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'call_o2vnpxrw',
        toolName: 'final_result',
        input: { city: 'Paris', country: 'France' },
      },
    ]);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
    expect(response.modelId).toBe('gpt-oss:20b');
    const { raw, ...usage } = response.usage;
    expect(usage).toEqual({ inputNoCache: 206, cacheRead: 0, cacheWrite: 0, output: 194, reasoning: 0 });
    expect(raw).toMatchObject({ total_tokens: 400 });
    // No key configured, none sent.
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('vllm-stream-continuous-usage.sse: cumulative usage on every chunk is taken once, not summed', async () => {
    server.enqueue(capture('vllm-stream-continuous-usage.sse'));
    const response = await compatible().generate(request());
    expect(response.content).toEqual([
      {
        type: 'text',
        text: "Hello Sam. It's nice to meet you. Is there something I can help you with or would you like to chat?",
      },
    ]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
    expect(response.modelId).toBe('meta-llama/Meta-Llama-3.1-70B-Instruct');
    const { raw: _raw, ...usage } = response.usage;
    expect(usage).toEqual({ inputNoCache: 46, cacheRead: 0, cacheWrite: 0, output: 26, reasoning: 0 });
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('openrouter-stream-midstream-error.sse: an error chunk after finish_reason "length" fails the call', async () => {
    server.enqueue(capture('openrouter-stream-midstream-error.sse'));
    const error = await failure(compatible().generate(request()));
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({ provider: 'local', status: 400, retryable: false, afterContent: true });
    expect((error as Error).message).toContain('Token limit reached');
    // What the provider reported billing before it failed travels with the error, for the ledger.
    const { raw, ...usage } = (error as ProviderCallError).usage ?? { raw: undefined };
    expect(usage).toEqual({ inputNoCache: 43, cacheRead: 0, cacheWrite: 0, output: 10, reasoning: 11 });
    expect(raw).toMatchObject({ total_tokens: 53, cost: 0 });
  });
});
