/**
 * The stall watchdog on its own, in real time: a body that keeps sending within the timeout is never a stall,
 * however long it runs; silence is, no sooner than the timeout after the last chunk; a finished or cancelled
 * body leaves no timer behind.
 */
import { describe, expect, it } from 'vitest';
import { createStallWatchdog } from '../../src/provider/stall-watchdog.js';

const TIMEOUT_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fetch whose response body the test writes to, chunk by chunk. */
function controlledFetch() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(started) {
      controller = started;
    },
  });
  const fetch: typeof globalThis.fetch = async () => new Response(body, { status: 200 });
  return { fetch, send: (text: string) => controller.enqueue(new TextEncoder().encode(text)), controller };
}

function watch(fetch: typeof globalThis.fetch) {
  const stalls: number[] = [];
  const watchdog = createStallWatchdog({
    timeoutMs: TIMEOUT_MS,
    fetch,
    onStall: () => stalls.push(performance.now()),
  });
  return { watchdog, stalls };
}

async function readAll(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

describe('createStallWatchdog', () => {
  it('lets a body that keeps sending run past the timeout, then calls silence a stall no sooner than the timeout', async () => {
    const source = controlledFetch();
    const { watchdog, stalls } = watch(source.fetch);
    const response = await watchdog.fetch('http://test.invalid/');
    const reader = response.body!.getReader();
    let last = 0;
    for (let chunk = 0; chunk < 6; chunk++) {
      source.send(`chunk ${chunk}\n`);
      await reader.read();
      last = performance.now();
      await sleep(TIMEOUT_MS * 0.4);
    }
    expect(stalls).toEqual([]);
    expect(watchdog.stalled).toBe(false);
    await sleep(TIMEOUT_MS * 1.5);
    expect(watchdog.stalled).toBe(true);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]! - last).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    watchdog.dispose();
  });

  it('passes the bytes through unchanged and stops watching when the body ends', async () => {
    const source = controlledFetch();
    const { watchdog, stalls } = watch(source.fetch);
    const response = await watchdog.fetch('http://test.invalid/');
    source.send('data: one\n\n');
    source.send('data: two\n\n');
    source.controller.close();
    expect(await readAll(response)).toBe('data: one\n\ndata: two\n\n');
    await sleep(TIMEOUT_MS * 2);
    expect(stalls).toEqual([]);
  });

  it('stops watching a body its reader cancels', async () => {
    const source = controlledFetch();
    const { watchdog, stalls } = watch(source.fetch);
    const response = await watchdog.fetch('http://test.invalid/');
    source.send('partial');
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel(new Error('done with it'));
    await sleep(TIMEOUT_MS * 2);
    expect(stalls).toEqual([]);
  });

  it('carries an error of the body to its reader', async () => {
    const source = controlledFetch();
    const { watchdog } = watch(source.fetch);
    const response = await watchdog.fetch('http://test.invalid/');
    source.controller.error(new Error('connection reset'));
    await expect(readAll(response)).rejects.toThrow('connection reset');
    watchdog.dispose();
  });
});
