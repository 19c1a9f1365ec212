/** The fake LLM server counts the requests it serves at once, as an accessor and over HTTP, with latency. */
import { generateText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { CONCURRENCY_PATH, type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { modelFor } from './fake-llm-support.js';

const script = {
  conversations: [{ name: 'work', match: ['Do the work'], turns: [{ text: 'Done.' }] }],
};

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const call = (fake: FakeLlmServer) =>
  generateText({
    model: modelFor('openai', fake),
    prompt: 'Do the work',
    maxRetries: 0,
    maxOutputTokens: 50,
  });

describe('fake LLM server concurrency', () => {
  it('reports the most requests served at once, over HTTP too, and resets', async () => {
    server = await startFakeLlmServer({ script, latencyMs: 150 });
    const started = performance.now();
    await Promise.all([call(server), call(server), call(server)]);
    // The latency holds each answer back; the three were in flight together.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.concurrency()).toEqual({ inFlight: 0, maxInFlight: 3 });
    const overHttp = await fetch(`${server.url}${CONCURRENCY_PATH}`);
    expect(await overHttp.json()).toEqual({ inFlight: 0, maxInFlight: 3 });
    // The counting request is not an API request: neither recorded nor unexpected.
    expect(server.requests).toHaveLength(3);
    expect(server.unexpected).toEqual([]);
    server.resetConcurrency();
    await call(server);
    await call(server);
    expect(server.concurrency()).toEqual({ inFlight: 0, maxInFlight: 1 });
  });
});
