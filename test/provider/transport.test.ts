/**
 * Failures of the connection rather than of the API: a server that goes silent (before its headers, mid-stream,
 * mid-JSON), a connection reset, a refused connection, and the caller aborting mid-call.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderCallError } from '../../src/provider/provider-call-error.js';
import { withRetries } from '../../src/provider/retry.js';
import { failure, modelFor, request } from './support/models.js';
import {
  type Answer,
  capture,
  captureText,
  type ReplayServer,
  startReplayServer,
} from './support/replay-server.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const STALL_MS = 150;
const textEvents = captureText('anthropic-stream-text.sse').split('\n\n');
/** message_start, content_block_start, ping, "-", " Captain": text has started. */
const partialText = `${textEvents.slice(0, 5).join('\n\n')}\n\n`;
const sseHeaders = { 'content-type': 'text/event-stream' };
const anthropic = (stallTimeoutMs = STALL_MS, stream = true) =>
  modelFor('anthropic', server.origin, { stallTimeoutMs, stream });

describe('stalls', () => {
  it.each<[string, Answer, boolean]>([
    ['before the headers', { kind: 'hang' }, true],
    ['after the headers', { kind: 'stall', status: 200, headers: sseHeaders, body: '' }, true],
    // A retry after content would pay for the same answer twice.
    ['after content started', { kind: 'stall', status: 200, headers: sseHeaders, body: partialText }, false],
  ])('a stream silent %s is abandoned as a stall (retryable: %s)', async (_when, answer, retryable) => {
    server.enqueue(answer);
    const started = performance.now();
    const error = await failure(anthropic().generate(request()));
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({ retryable, stalled: true, status: undefined });
    expect((error as Error).message).toMatch(/stalled: nothing received for 150 ms/);
    expect(performance.now() - started).toBeLessThan(STALL_MS + 1_500);
  });

  it('a JSON answer that stops halfway is a stall too', async () => {
    server.enqueue({
      kind: 'stall',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"id":',
    });
    const error = await failure(anthropic(STALL_MS, false).generate(request()));
    expect(error).toMatchObject({ retryable: true, stalled: true });
  });

  it('a slow stream that keeps sending is not a stall', async () => {
    // One event every 50 ms: about 0.6 s in all, twice the 300 ms limit, but never silent for that long.
    const events = captureText('anthropic-stream-text.sse').split('\n\n');
    const trickle = await startTrickleServer(
      events.map((event) => `${event}\n\n`),
      50,
    );
    try {
      const response = await modelFor('anthropic', trickle.origin, { stallTimeoutMs: 300 }).generate(
        request(),
      );
      expect(response.content).toEqual([{ type: 'text', text: '- Captain\n- Scoop' }]);
    } finally {
      await trickle.close();
    }
  });

  it('calls side by side on one model each have their own watchdog', async () => {
    // The model's SDK client is built once and shared; each request must still reach its own call's watchdog.
    server.enqueue(
      { kind: 'stall', status: 200, headers: sseHeaders, body: '' },
      capture('anthropic-stream-text.sse'),
    );
    const model = anthropic();
    const stalling = failure(model.generate(request()));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const answered = await model.generate(request());
    expect(answered.content).toEqual([{ type: 'text', text: '- Captain\n- Scoop' }]);
    expect(await stalling).toMatchObject({ stalled: true });
    expect(server.requests).toHaveLength(2);
  });

  it("a model's later call is watched by its own watchdog, not an earlier call's", async () => {
    server.enqueue(capture('anthropic-stream-text.sse'), {
      kind: 'stall',
      status: 200,
      headers: sseHeaders,
      body: '',
    });
    const model = anthropic();
    expect((await model.generate(request())).content).toEqual([{ type: 'text', text: '- Captain\n- Scoop' }]);
    const started = performance.now();
    expect(await failure(model.generate(request()))).toMatchObject({ stalled: true });
    expect(performance.now() - started).toBeLessThan(STALL_MS + 1_500);
  });

  it('the retry layer tries a stalled call again', async () => {
    server.enqueue(
      { kind: 'stall', status: 200, headers: sseHeaders, body: '' },
      capture('anthropic-stream-text.sse'),
    );
    const model = withRetries(anthropic(), { sleep: async () => {} });
    const response = await model.generate(request());
    expect(response.content).toEqual([{ type: 'text', text: '- Captain\n- Scoop' }]);
    expect(server.requests).toHaveLength(2);
  });
});

describe('dropped and refused connections', () => {
  it('a reset before any content is retryable', async () => {
    server.enqueue({ kind: 'reset', status: 200, headers: sseHeaders, body: `${textEvents[0]}\n\n` });
    const error = await failure(anthropic(5_000).generate(request()));
    expect(error).toMatchObject({ retryable: true, afterContent: false });
  });

  it('a reset after content streamed is not, and no partial text is returned', async () => {
    server.enqueue({ kind: 'reset', status: 200, headers: sseHeaders, body: partialText });
    const error = await failure(anthropic(5_000).generate(request()));
    expect(error).toMatchObject({ retryable: false, afterContent: true });
  });

  const openaiEvents = captureText('openai-stream-text-usage.sse').split('\n\n');
  const cut = (events: string[], count: number) =>
    count === 0 ? '' : `${events.slice(0, count).join('\n\n')}\n\n`;
  it.each([
    ['anthropic', 'message_start only', cut(textEvents, 1), false],
    ['anthropic', 'text started', cut(textEvents, 5), true],
    ['openai', 'an empty body', '', false],
    ['openai', 'the role chunk only', cut(openaiEvents, 1), false],
    ['openai', 'text started', cut(openaiEvents, 3), true],
    ['openai-compatible', 'text started', cut(openaiEvents, 3), true],
  ] as const)(
    '%s: a stream that ends cleanly after %s, with no finish, fails (retryable before content)',
    async (kind, _what, body, afterContent) => {
      server.enqueue({ kind: 'inline', status: 200, headers: sseHeaders, body });
      const error = await failure(modelFor(kind, server.origin).generate(request()));
      expect(error).toBeInstanceOf(ProviderCallError);
      expect(error).toMatchObject({ retryable: !afterContent, afterContent, status: undefined });
    },
  );

  it('a refused connection is retryable and says so', async () => {
    const port = await closedPort();
    const model = modelFor('openai', `http://127.0.0.1:${port}`);
    const error = await failure(model.generate(request()));
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({ retryable: true, status: undefined });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe('the caller aborting', () => {
  it('mid-stream: rejects at once with the caller’s reason and closes the connection', async () => {
    server.enqueue({ kind: 'stall', status: 200, headers: sseHeaders, body: partialText });
    const controller = new AbortController();
    const reason = new Error('interrupted');
    const pending = anthropic(60_000).generate(request({ abortSignal: controller.signal }));
    setTimeout(() => controller.abort(reason), 50);
    const started = performance.now();
    const error = await failure(pending);
    expect(performance.now() - started).toBeLessThan(1_000);
    // message_start had reported input tokens: the abort says why, and carries what was billed for the ledger.
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({ message: 'interrupted', retryable: false });
    expect((error as ProviderCallError).usage?.inputNoCache).toBeGreaterThan(0);
  });
});

/** Serves the given chunks of an SSE body one every `intervalMs`, to every request. */
async function startTrickleServer(chunks: string[], intervalMs: number) {
  const server = createHttpServer((incoming, response) => {
    incoming.resume();
    response.writeHead(200, sseHeaders);
    let index = 0;
    const timer = setInterval(() => {
      const chunk = chunks[index++];
      if (chunk === undefined) {
        clearInterval(timer);
        response.end();
      } else response.write(chunk);
    }, intervalMs);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
