/** Fault injection as the real clients see it: error statuses, in-stream errors, resets and stalls. */
import { APICallError, generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import type { FakeFault } from '../../src/testing/index.js';
import { type ClientKind, clientKinds, fakeServer, modelFor } from './fake-llm-support.js';

const answer = 'The answer arrives in several pieces, one after another, until the end.';

function scriptWith(fault: FakeFault, times?: number, delayMs?: number) {
  return {
    conversations: [
      {
        name: 'faulty',
        match: ['Do the work'],
        turns: [{ text: answer, delayMs, faults: [{ fault, times }] }],
      },
    ],
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call succeeded'),
    (error: unknown) => error,
  );
}

/** Consumes a stream; returns the text seen and the error parts (or the error thrown while iterating). */
async function drain(result: ReturnType<typeof streamText>): Promise<{ text: string; errors: unknown[] }> {
  let text = '';
  const errors: unknown[] = [];
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') text += part.text;
      if (part.type === 'error') errors.push(part.error);
    }
  } catch (error) {
    errors.push(error);
  }
  return { text, errors };
}

const call = (
  kind: ClientKind,
  server: Awaited<ReturnType<typeof fakeServer>>,
  abortSignal?: AbortSignal,
) => ({
  model: modelFor(kind, server),
  prompt: 'Do the work',
  maxRetries: 0,
  maxOutputTokens: 200,
  abortSignal,
});

/** streamText logs stream errors to the console unless told otherwise; these tests read them from the stream. */
const stream = (
  kind: ClientKind,
  server: Awaited<ReturnType<typeof fakeServer>>,
  abortSignal?: AbortSignal,
) => streamText({ ...call(kind, server, abortSignal), onError: () => {} });

describe.each(clientKinds)('faults via %s', (kind) => {
  it('answers 429 with retry-after, visible as an APICallError, then serves the answer', async () => {
    const server = await fakeServer(scriptWith({ kind: 'status', status: 429, retryAfterSeconds: 16 }));
    const error = await rejection(generateText(call(kind, server)));
    expect(APICallError.isInstance(error)).toBe(true);
    const apiError = error as APICallError;
    expect(apiError.statusCode).toBe(429);
    expect(apiError.isRetryable).toBe(true);
    expect(apiError.responseHeaders?.['retry-after']).toBe('16');
    expect(apiError.responseBody).toContain(
      kind === 'anthropic' ? 'rate_limit_error' : 'rate_limit_exceeded',
    );
    expect((await generateText(call(kind, server))).text).toBe(answer);
    expect(server.requests.map((request) => request.fault)).toEqual(['status 429', undefined]);
    server.assertAllUsed();
  });

  it('serves a fault as many times as scripted', async () => {
    const server = await fakeServer(scriptWith({ kind: 'status', status: 529 }, 2));
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = (await rejection(generateText(call(kind, server)))) as APICallError;
      expect(error.statusCode).toBe(529);
    }
    expect(() => server.assertAllUsed()).toThrow(/turn 1 \(2 request\(s\), only faults served\)/);
    expect((await generateText(call(kind, server))).text).toBe(answer);
  });

  it('does not mark 400 as retryable', async () => {
    const server = await fakeServer(scriptWith({ kind: 'status', status: 400 }));
    const error = (await rejection(generateText(call(kind, server)))) as APICallError;
    expect(error.statusCode).toBe(400);
    expect(error.isRetryable).toBe(false);
  });

  it('reports an error that arrives inside a 200 stream after some text', async () => {
    // Anthropic: message_start, content_block_start, ping, 2 text deltas; OpenAI: the role chunk, 2 text chunks.
    const afterEvents = kind === 'anthropic' ? 5 : 3;
    const server = await fakeServer(scriptWith({ kind: 'stream-error', afterEvents }));
    const { text, errors } = await drain(stream(kind, server));
    expect(text.length).toBeGreaterThan(0);
    expect(answer.startsWith(text)).toBe(true);
    expect(text).not.toBe(answer);
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as Error).message ?? errors[0])).toMatch(
      kind === 'anthropic' ? /Overloaded/ : /server had an error/,
    );
  });

  it('rejects a non-streaming call whose stream fault is an overload', async () => {
    const server = await fakeServer(scriptWith({ kind: 'stream-error', afterEvents: 0 }));
    const error = (await rejection(generateText(call(kind, server)))) as APICallError;
    expect(error.statusCode).toBe(kind === 'anthropic' ? 529 : 500);
  });

  it('drops the connection mid-stream on a reset', async () => {
    const server = await fakeServer(scriptWith({ kind: 'reset', afterEvents: 4 }));
    const { text, errors } = await drain(stream(kind, server));
    expect(errors.length).toBeGreaterThan(0);
    expect(text).not.toBe(answer);
    expect(server.requests[0]!.fault).toBe('reset after 4');
    await expect(generateText(call(kind, server))).resolves.toMatchObject({ text: answer });
  });

  it('drops the connection of a non-streaming call on a reset', async () => {
    const server = await fakeServer(scriptWith({ kind: 'reset', afterEvents: 0 }));
    await expect(generateText(call(kind, server))).rejects.toThrow();
  });

  it('stalls a stream until the client aborts', async () => {
    const server = await fakeServer(scriptWith({ kind: 'stall', afterEvents: 3 }));
    const controller = new AbortController();
    const result = stream(kind, server, controller.signal);
    const seen: string[] = [];
    const drained = (async () => {
      try {
        for await (const part of result.fullStream) {
          seen.push(part.type);
          if (part.type === 'text-delta' || part.type === 'start-step')
            setTimeout(() => controller.abort(), 50);
        }
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    await drained;
    expect(controller.signal.aborted).toBe(true);
    expect(seen).not.toContain('finish-step');
    expect(server.requests[0]!.fault).toBe('stall after 3');
  });

  it('stalls a non-streaming call until the client times out', async () => {
    const server = await fakeServer(scriptWith({ kind: 'stall', afterEvents: 0 }));
    await expect(generateText(call(kind, server, AbortSignal.timeout(100)))).rejects.toThrow();
    expect(server.unexpected).toEqual([]);
  });

  it('waits delayMs before a JSON answer, and gives up early when the client aborts', async () => {
    const server = await fakeServer({
      conversations: [{ name: 'slow', match: ['Do the work'], turns: [{ text: answer, delayMs: 60_000 }] }],
    });
    await expect(generateText(call(kind, server, AbortSignal.timeout(100)))).rejects.toThrow();
    expect(() => server.assertAllUsed()).toThrow(/turn 1/);
  });
});

describe('faults before any content', () => {
  it.each(clientKinds)(
    '%s: an in-stream error before any text is reported as the only error',
    async (kind) => {
      const server = await fakeServer(scriptWith({ kind: 'stream-error', afterEvents: 1 }));
      const { text, errors } = await drain(stream(kind, server));
      expect(text).toBe('');
      expect(errors).toHaveLength(1);
    },
  );

  it('anthropic: an overload after message_start carries the 529 status and is retryable', async () => {
    const server = await fakeServer(scriptWith({ kind: 'stream-error', afterEvents: 1 }));
    const { errors } = await drain(stream('anthropic', server));
    expect(errors[0]).toMatchObject({ type: 'overloaded_error', statusCode: 529, isRetryable: true });
  });

  it('anthropic: an overload as the very first event is the same APICallError as an HTTP 529', async () => {
    const server = await fakeServer(scriptWith({ kind: 'stream-error', afterEvents: 0 }));
    const { errors } = await drain(stream('anthropic', server));
    expect(APICallError.isInstance(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ statusCode: 529, isRetryable: true });
  });
});

describe('the OpenRouter-shaped in-stream error', () => {
  // The error sits beside `choices` (openrouter-stream-midstream-error.sse). @ai-sdk/openai-compatible reports it;
  // @ai-sdk/openai's chunk schema matches `choices` first and drops it, so the step only ends "interrupted" —
  // the provider layer must treat that as a failure, never as a short success.
  const routed = (kind: ClientKind) => async () => {
    const server = await fakeServer(
      scriptWith({ kind: 'stream-error', afterEvents: 2, shape: 'openrouter' }),
    );
    const result = stream(kind, server);
    const { text, errors } = await drain(result);
    return { text, errors, finishReason: await result.finishReason };
  };

  it('openai-compatible: an error part with the code and message', async () => {
    const { errors, finishReason } = await routed('openai-compatible')();
    expect(errors[0]).toMatchObject({ statusCode: 502, data: { message: 'Provider returned error' } });
    expect(finishReason).toBe('error');
  });

  it('openai: no error part, and the finish reason says interrupted', async () => {
    const { text, errors, finishReason } = await routed('openai')();
    expect(errors).toEqual([]);
    expect(text.length).toBeGreaterThan(0);
    expect(finishReason).toBe('interrupted');
  });
});

describe('pacing', () => {
  it('waits delayMs between the events of a stream', async () => {
    const server = await fakeServer({
      conversations: [{ name: 'paced', match: ['Do the work'], turns: [{ text: answer, delayMs: 25 }] }],
    });
    const started = performance.now();
    const { text } = await drain(stream('openai', server));
    expect(text).toBe(answer);
    // role chunk, 4 text chunks, finish, usage, [DONE]: 7 pauses of 25 ms (timers never fire early by more
    // than a millisecond, so this lower bound is safe).
    expect(performance.now() - started).toBeGreaterThanOrEqual(7 * 25 - 7);
  });
});

describe('stalls and server close', () => {
  it('close() ends a stalled stream instead of waiting for it', async () => {
    const server = await fakeServer(scriptWith({ kind: 'stall', afterEvents: 2 }));
    const result = stream('anthropic', server);
    const drained = drain(result);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.close();
    const { errors } = await drained;
    expect(errors.length).toBeGreaterThan(0);
  });
});
