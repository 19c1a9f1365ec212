/**
 * The rate limiter over memory admissions, on real timers with a short window: requests and tokens per window
 * and calls in flight hold, waiting callers go as soon as a slot frees, an abort ends a wait, a long wait is
 * reported, and a provider without limits is never held.
 */
import { describe, expect, it } from 'vitest';
import type { RateLimitConfig } from '../../src/config/types.js';
import {
  createRateLimiter,
  memoryAdmissions,
  type RateLimiter,
  type RateLimitWait,
} from '../../src/provider/index.js';

const WINDOW_MS = 600;

function limiter(
  limit: RateLimitConfig,
  extra: { onLongWait?: (wait: RateLimitWait) => void; longWaitMs?: number; pollMs?: number } = {},
  windowMs = WINDOW_MS,
): RateLimiter {
  return createRateLimiter({
    limits: { fake: limit },
    store: memoryAdmissions({ windowMs }),
    pollMs: 20,
    ...extra,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('memory rate limiter', () => {
  it('never lets more than max_concurrent calls run, and admits waiting ones as slots free', async () => {
    // Polls (and the window, and long-wait reports) so rare that only a release's wake-up admits the waiting calls.
    const limits = limiter({ maxConcurrent: 2 }, { pollMs: 60_000, longWaitMs: 60_000 }, 60_000);
    let inFlight = 0;
    let most = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const slot = await limits.admit({ provider: 'fake', estimatedTokens: 10 });
        inFlight += 1;
        most = Math.max(most, inFlight);
        await sleep(50);
        inFlight -= 1;
        await slot.release({ actualTokens: 10 });
      }),
    );
    expect(most).toBe(2);
    // Three rounds of two calls: freed slots are taken at once, not after a poll.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('admits no more than requests_per_minute calls in one window', async () => {
    const limits = limiter({ requestsPerMinute: 3 });
    const started = performance.now();
    const admittedAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      const slot = await limits.admit({ provider: 'fake', estimatedTokens: 1 });
      admittedAt.push(performance.now() - started);
      await slot.release({ actualTokens: 1 });
    }
    expect(admittedAt.slice(0, 3).every((at) => at < WINDOW_MS / 2)).toBe(true);
    expect(admittedAt[3]).toBeGreaterThanOrEqual(WINDOW_MS - 5);
    // No window of WINDOW_MS holds more than 3 admissions.
    for (let i = 3; i < admittedAt.length; i++)
      expect(admittedAt[i]! - admittedAt[i - 3]!).toBeGreaterThanOrEqual(WINDOW_MS - 5);
  });

  it('counts estimated tokens at admission and the actual ones after release against tokens_per_minute', async () => {
    const limits = limiter({ tokensPerMinute: 100 });
    const first = await limits.admit({ provider: 'fake', estimatedTokens: 60 });
    const started = performance.now();
    const second = limits.admit({ provider: 'fake', estimatedTokens: 60 });
    await sleep(50);
    // 60 + 60 > 100 while the first holds its estimate; it used only 10, so the second now fits.
    await first.release({ actualTokens: 10 });
    await (await second).release({ actualTokens: 60 });
    expect(performance.now() - started).toBeLessThan(WINDOW_MS - 200);
    // 10 + 60 in the window: another 60 must wait for the window to move.
    const waitedFrom = performance.now();
    await (await limits.admit({ provider: 'fake', estimatedTokens: 60 })).release({ actualTokens: 60 });
    expect(performance.now() - waitedFrom).toBeGreaterThanOrEqual(WINDOW_MS - 100);
  });

  it('admits a call larger than tokens_per_minute when the window holds no tokens, alone', async () => {
    const limits = limiter({ tokensPerMinute: 100 });
    const slot = await limits.admit({ provider: 'fake', estimatedTokens: 500 });
    await slot.release({ actualTokens: 500 });
  });

  it('ends a wait when the caller aborts, and reports a long wait once', async () => {
    const waits: RateLimitWait[] = [];
    const limits = limiter({ maxConcurrent: 1 }, { longWaitMs: 50, onLongWait: (wait) => waits.push(wait) });
    const held = await limits.admit({ provider: 'fake', estimatedTokens: 1 });
    const abort = new AbortController();
    const waiting = limits.admit({ provider: 'fake', estimatedTokens: 1, abortSignal: abort.signal });
    await sleep(150);
    abort.abort(new Error('run stopped'));
    await expect(waiting).rejects.toThrow('run stopped');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ provider: 'fake', reason: '1 call(s) in flight, max_concurrent 1' });
    expect(waits[0]!.waitedMs).toBeGreaterThanOrEqual(50);
    await held.release({ actualTokens: 1 });
    // The aborted caller took no slot.
    await (await limits.admit({ provider: 'fake', estimatedTokens: 1 })).release({ actualTokens: 1 });
  });

  it('never holds a provider without limits', async () => {
    const limits = limiter({ maxConcurrent: 1 });
    await limits.admit({ provider: 'fake', estimatedTokens: 1 });
    const other = await limits.admit({ provider: 'other', estimatedTokens: 1 });
    await other.release({ actualTokens: 1 });
  });
});
