/**
 * The single retry layer over the real adapter and real HTTP: which failures are tried again, how long it
 * waits (the server's retry-after first), that attempts never exceed the cap, and that an abort ends a wait.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AttemptCacheLifetime } from '../../src/agent/cache-lifetime.js';
import { ProviderError } from '../../src/errors/errors.js';
import type { LanguageModel, ModelRetry } from '../../src/provider/model.js';
import { ProviderCallError } from '../../src/provider/provider-call-error.js';
import { type RetryInfo, type RetryOptions, retryDelayMs, withRetries } from '../../src/provider/retry.js';
import { failure, modelFor, request, TEST_KEY } from './support/models.js';
import {
  type Answer,
  capture,
  captureText,
  jsonAnswer,
  type ReplayServer,
  startReplayServer,
} from './support/replay-server.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** A retrying Anthropic model whose waits are recorded instead of slept. */
function retrying(options: RetryOptions = {}) {
  const delays: number[] = [];
  const retries: RetryInfo[] = [];
  const model = withRetries(modelFor('anthropic', server.origin), {
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    onRetry: (info) => retries.push(info),
    ...options,
  });
  return { model, delays, retries };
}

const anthropicError = (
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
) => jsonAnswer(status, { type: 'error', error: { type, message } }, headers);

/** The events of a recorded stream, to cut and splice. */
const events = (name: string) =>
  captureText(name)
    .split('\n\n')
    .filter((event) => event.trim() !== '');
const overloadEvent = events('anthropic-stream-error-overloaded.sse')[0]!;
const sse = (parts: string[]): Answer => ({
  kind: 'inline',
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  body: `${parts.join('\n\n')}\n\n`,
});

describe('the cache lifetime of a retried call', () => {
  it('is asked again for each try, as it is sent: a wait that outlasted five minutes is a gap', async () => {
    server.enqueue(capture('anthropic-error-529-overloaded.json'), capture('anthropic-stream-text.sse'));
    let now = 0;
    const lifetime = new AttemptCacheLifetime({ now: () => now });
    const model = withRetries(modelFor('anthropic', server.origin), {
      sleep: async () => {
        now += 6 * 60_000;
      },
      random: () => 0.5,
    });
    await model.generate(request({ cacheLifetime: () => lifetime.next() }));
    const ttls = server.requests.map((sent) => [...sent.rawBody.matchAll(/"ttl":"(\w+)"/g)].map((m) => m[1]));
    // The first try: five minutes (Anthropic's default, no ttl). The second, six minutes later: an hour, on both
    // breakpoints (the system prompt and the one message).
    expect(ttls).toEqual([[], ['1h', '1h']]);
  });
});

describe('retries over HTTP', () => {
  it('429 (retry-after: 1) → 529 → 200 succeeds on the third attempt, waiting as the server said', async () => {
    const rateLimited = capture('anthropic-error-429-rate-limit.json');
    server.enqueue(
      { ...rateLimited, headers: { ...rateLimited.headers, 'retry-after': '1' } },
      capture('anthropic-error-529-overloaded.json'),
      capture('anthropic-stream-text.sse'),
    );
    const { model, delays, retries } = retrying();
    const response = await model.generate(request());
    expect(response.content).toEqual([{ type: 'text', text: '- Captain\n- Scoop' }]);
    expect(server.requests).toHaveLength(3);
    // 1 s from retry-after; then no header, so backoff: 1 s × 2 (second attempt) × (0.5 + 0.5 × 0.5).
    expect(delays).toEqual([1_000, 1_500]);
    expect(retries.map((info) => [info.attempt, info.error.status, info.retryAfterMs])).toEqual([
      [1, 429, 1_000],
      [2, 529, undefined],
    ]);
    expect(JSON.stringify(retries.map((info) => ({ ...info, message: info.error.message })))).not.toContain(
      TEST_KEY,
    );
  });

  it("tells the request's own listener of each wait as it begins, in words, before sleeping it", async () => {
    const rateLimited = capture('anthropic-error-429-rate-limit.json');
    server.enqueue(
      { ...rateLimited, headers: { ...rateLimited.headers, 'retry-after': '16' } },
      capture('anthropic-error-529-overloaded.json'),
      capture('anthropic-stream-text.sse'),
    );
    const order: string[] = [];
    const heard: ModelRetry[] = [];
    const model = withRetries(modelFor('anthropic', server.origin), {
      sleep: async (ms) => void order.push(`slept ${ms}`),
      random: () => 0.5,
    });
    await model.generate(
      request({
        onRetry: (retry) => {
          heard.push(retry);
          order.push(`told ${retry.waitMs}`);
        },
      }),
    );
    expect(order).toEqual(['told 16000', 'slept 16000', 'told 1500', 'slept 1500']);
    expect(heard).toEqual([
      { try: 1, maxTries: 4, waitMs: 16_000, reason: 'rate limited by anthropic (HTTP 429)', status: 429 },
      { try: 2, maxTries: 4, waitMs: 1_500, reason: 'anthropic is overloaded (HTTP 529)', status: 529 },
    ]);
  });

  it('caps a long retry-after (16 s recorded) at retryAfterCapMs', async () => {
    server.enqueue(capture('anthropic-error-429-rate-limit.json'), capture('anthropic-stream-text.sse'));
    const { model, delays } = retrying({ retryAfterCapMs: 5_000 });
    await model.generate(request());
    expect(delays).toEqual([5_000]);
  });

  it('honours retry-after-ms (OpenAI) before retry-after', async () => {
    server.enqueue(
      jsonAnswer(
        429,
        { error: { message: 'slow down', type: 'requests' } },
        { 'retry-after-ms': '250', 'retry-after': '9' },
      ),
      capture('openai-stream-text-usage.sse'),
    );
    const delays: number[] = [];
    const model = withRetries(modelFor('openai', server.origin), {
      sleep: async (ms) => void delays.push(ms),
    });
    await model.generate(request());
    expect(delays).toEqual([250]);
  });

  it.each([408, 409, 500, 502, 503, 504])('retries HTTP %i', async (status) => {
    server.enqueue(anthropicError(status, 'api_error', 'try again'), capture('anthropic-stream-text.sse'));
    const { model } = retrying();
    await model.generate(request());
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
  ])('fails at once on HTTP %i', async (status, type) => {
    server.enqueue(anthropicError(status, type, `refused: ${type}`), capture('anthropic-stream-text.sse'));
    const { model, delays } = retrying();
    const error = await failure(model.generate(request()));
    expect(error).toMatchObject({ status, retryable: false, errorType: type });
    expect((error as Error).message).toContain(`refused: ${type}`);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("honours Anthropic's x-should-retry: false", async () => {
    server.enqueue(anthropicError(503, 'api_error', 'do not retry', { 'x-should-retry': 'false' }));
    const { model } = retrying();
    const error = await failure(model.generate(request()));
    expect(error).toMatchObject({ status: 503, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('retries an overload that arrives mid-stream before any content', async () => {
    const [messageStart, , ping] = events('anthropic-stream-text.sse');
    server.enqueue(
      capture('anthropic-stream-error-overloaded.sse'),
      sse([messageStart!, ping!, overloadEvent]),
      capture('anthropic-stream-text.sse'),
    );
    const { model, retries } = retrying();
    const response = await model.generate(request());
    expect(response.content).toEqual([{ type: 'text', text: '- Captain\n- Scoop' }]);
    expect(retries.map((info) => [info.error.status, (info.error as ProviderCallError).errorType])).toEqual([
      [529, 'overloaded_error'],
      [529, 'overloaded_error'],
    ]);
  });

  it('does not retry an overload after content streamed, and returns no partial text', async () => {
    // message_start, content_block_start, ping, "-", " Captain" — then the overload.
    const partial = events('anthropic-stream-text.sse').slice(0, 5);
    server.enqueue(sse([...partial, overloadEvent]), capture('anthropic-stream-text.sse'));
    const { model, delays } = retrying();
    const error = await failure(model.generate(request()));
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({
      status: 529,
      retryable: false,
      afterContent: true,
      errorType: 'overloaded_error',
    });
    expect((error as Error).message).toMatch(/after content had streamed: Overloaded/);
    // Input was reported in message_start before the failure; the error carries it for the ledger.
    expect((error as ProviderCallError).usage).toMatchObject({ inputNoCache: 17, output: 1 });
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it.each([
    [3, 3],
    [undefined, 4],
  ])('never makes more than maxAttempts (%s) attempts: %i', async (maxAttempts, expected) => {
    for (let index = 0; index < 6; index++) server.enqueue(capture('anthropic-error-529-overloaded.json'));
    const { model, delays } = retrying(maxAttempts === undefined ? {} : { maxAttempts });
    const error = await failure(model.generate(request()));
    expect(error).toMatchObject({ status: 529, retryable: true });
    expect(server.requests).toHaveLength(expected);
    expect(delays).toHaveLength(expected - 1);
    expect(server.pending()).toBe(6 - expected);
  });

  it('stops at once when the caller aborts during a backoff, with the caller’s reason', async () => {
    server.enqueue(capture('anthropic-error-429-rate-limit.json'), capture('anthropic-stream-text.sse'));
    const controller = new AbortController();
    const reason = new Error('phase timed out');
    // The real, abort-aware sleep: retry-after asks for 16 s.
    const model = withRetries(modelFor('anthropic', server.origin), {
      onRetry: () => setTimeout(() => controller.abort(reason), 20),
    });
    const started = performance.now();
    const error = await failure(model.generate(request({ abortSignal: controller.signal })));
    expect(error).toBe(reason);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('withRetries on any model', () => {
  const failing = (errors: unknown[]): LanguageModel & { calls: number } => {
    const model = {
      provider: 'fake',
      modelId: 'fake-1',
      calls: 0,
      generate: async () => {
        model.calls++;
        throw errors.shift();
      },
    };
    return model;
  };

  it('retries only ProviderErrors marked retryable', async () => {
    const plain = failing([new Error('bug'), new Error('bug')]);
    await failure(withRetries(plain, { sleep: async () => {} }).generate(request()));
    expect(plain.calls).toBe(1);
    const provider = failing([
      new ProviderError('busy', { provider: 'fake', model: 'fake-1', status: 503, retryable: true }),
      new ProviderError('bad', { provider: 'fake', model: 'fake-1', status: 400, retryable: false }),
    ]);
    const error = await failure(withRetries(provider, { sleep: async () => {} }).generate(request()));
    expect(provider.calls).toBe(2);
    expect((error as Error).message).toBe('bad');
  });

  it('does not start when the signal is already aborted', async () => {
    const model = failing([]);
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    const error = await failure(withRetries(model).generate(request({ abortSignal: controller.signal })));
    expect((error as Error).message).toBe('gone');
    expect(model.calls).toBe(0);
  });

  it('is one layer: wrapping a retrying model again changes nothing', () => {
    const once = withRetries(failing([]));
    expect(withRetries(once)).toBe(once);
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially with jitter between half and all of the step, up to maxDelayMs', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, undefined, {}, () => 0))).toEqual([
      500, 1_000, 2_000, 4_000,
    ]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, undefined, {}, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
    expect(retryDelayMs(20, undefined, { maxDelayMs: 10_000 }, () => 1)).toBe(10_000);
  });

  it('takes the server’s wait as given, up to the cap', () => {
    expect(retryDelayMs(3, 1_000, {}, () => 0)).toBe(1_000);
    expect(retryDelayMs(1, 600_000, {}, () => 0)).toBe(60_000);
    expect(retryDelayMs(1, 600_000, { retryAfterCapMs: 5_000 }, () => 0)).toBe(5_000);
  });
});
