/**
 * Usage arithmetic beyond what the recorded captures exercise: Anthropic's one-hour cache writes (no public
 * recording has a non-zero one), streamed cache numbers, and the usage of calls that fail mid-stream.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPartialUsageTracker } from '../../src/provider/partial-usage.js';
import { normalizeUsage } from '../../src/provider/usage.js';
import { modelFor, request } from './support/models.js';
import { captureText, type ReplayServer, startReplayServer } from './support/replay-server.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('Anthropic cache usage over a stream', () => {
  it('reads cache reads, writes and the one-hour share from message_start and message_delta', async () => {
    // SYNTHETIC: anthropic-stream-text.sse with the cache figures of anthropic-nonstream-cache-write-and-read.json,
    // 100 of the 418 written tokens moved to the one-hour lifetime. Not a recording.
    const usage =
      '"usage":{"input_tokens":3,"cache_creation_input_tokens":418,"cache_read_input_tokens":1111,' +
      '"cache_creation":{"ephemeral_5m_input_tokens":318,"ephemeral_1h_input_tokens":100},"output_tokens":1,';
    const body = captureText('anthropic-stream-text.sse')
      .replace(/"usage":\{"input_tokens":17,"cache_creation_input_tokens":0,.*?"output_tokens":1,/, usage)
      .replace(
        '"usage":{"input_tokens":17,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":10}',
        '"usage":{"input_tokens":3,"cache_creation_input_tokens":418,"cache_read_input_tokens":1111,"output_tokens":33}',
      );
    expect(body).toContain('"ephemeral_1h_input_tokens":100');
    server.enqueue({ kind: 'inline', status: 200, headers: { 'content-type': 'text/event-stream' }, body });
    const response = await modelFor('anthropic', server.origin).generate(request());
    const { raw: _raw, ...normalized } = response.usage;
    expect(normalized).toEqual({
      inputNoCache: 3,
      cacheRead: 1111,
      cacheWrite: 418,
      cacheWrite1h: 100,
      output: 33,
      reasoning: 0,
    });
  });
});

describe('normalizeUsage', () => {
  it('falls back to input minus cache when the SDK gives no uncached figure, and keeps raw', () => {
    const raw = { prompt_tokens: 100 };
    expect(
      normalizeUsage(
        {
          inputTokens: { total: 100, noCache: undefined, cacheRead: 60, cacheWrite: 10 },
          outputTokens: { total: 7, text: undefined, reasoning: 3 },
          raw,
        },
        undefined,
      ),
    ).toEqual({ inputNoCache: 30, cacheRead: 60, cacheWrite: 10, output: 7, reasoning: 3, raw });
  });

  it('reports zeros, not NaN, when a provider sends no usage', () => {
    expect(normalizeUsage(undefined, undefined)).toEqual({
      inputNoCache: 0,
      cacheRead: 0,
      cacheWrite: 0,
      output: 0,
      reasoning: 0,
      raw: null,
    });
  });
});

describe('usage of a call that fails mid-stream', () => {
  it('OpenAI-shaped: the last cumulative usage wins (vLLM repeats it on every chunk)', () => {
    const tracker = createPartialUsageTracker();
    for (const line of captureText('vllm-stream-continuous-usage.sse').split('\n')) {
      if (line.startsWith('data: {')) tracker.observe(JSON.parse(line.slice(6)));
    }
    const { raw: _raw, ...usage } = tracker.usage() ?? {};
    expect(usage).toEqual({ inputNoCache: 46, cacheRead: 0, cacheWrite: 0, output: 26, reasoning: 0 });
  });

  it('OpenAI-shaped: cached and cache-written tokens are inside prompt_tokens', () => {
    const tracker = createPartialUsageTracker();
    tracker.observe({
      usage: {
        prompt_tokens: 4020,
        completion_tokens: 4,
        prompt_tokens_details: { cached_tokens: 4000, cache_write_tokens: 12 },
        completion_tokens_details: { reasoning_tokens: 2 },
      },
    });
    expect(tracker.usage()).toMatchObject({
      inputNoCache: 8,
      cacheRead: 4000,
      cacheWrite: 12,
      output: 4,
      reasoning: 2,
    });
  });

  it('Anthropic-shaped: message_delta updates what message_start reported', () => {
    const tracker = createPartialUsageTracker();
    expect(tracker.usage()).toBeUndefined();
    tracker.observe({
      type: 'message_start',
      message: {
        usage: {
          input_tokens: 3,
          cache_read_input_tokens: 1111,
          cache_creation_input_tokens: 418,
          cache_creation: { ephemeral_1h_input_tokens: 18 },
          output_tokens: 1,
        },
      },
    });
    tracker.observe({ type: 'message_delta', usage: { output_tokens: 20 } });
    expect(tracker.usage()).toMatchObject({
      inputNoCache: 3,
      cacheRead: 1111,
      cacheWrite: 418,
      cacheWrite1h: 18,
      output: 20,
      reasoning: 0,
    });
  });
});
