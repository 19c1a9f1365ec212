/**
 * Provider rate limits (`models.providers.<name>.rate_limit`): requests and tokens per window (a minute) and
 * calls in flight, per provider. A call is admitted before it is sent — waiting, abortably, until it fits — and
 * its slot released when it settles. Tokens are counted as estimated input + max output at admission and
 * corrected with the actual usage at release. Where the admissions are kept is an `AdmissionStore`: memory
 * for one process (`memory-admissions.ts`), Postgres for every process of a shared journal
 * (`journal/postgres-rate-limit.ts`). This module holds only the waiting, which both share.
 */
import type { RateLimitConfig } from '../config/types.js';

export const DEFAULT_RATE_WINDOW_MS = 60_000;
/** A wait this long is reported (`onLongWait`), once per admission. */
export const DEFAULT_LONG_WAIT_MS = 5_000;
/** The longest a waiting caller sleeps before asking again (slots freed by another process are not signalled). */
export const DEFAULT_POLL_MS = 250;

/** What a store answers to one request for admission. */
export type AdmissionAnswer =
  | { admitted: true; id: string }
  | {
      admitted: false /** when asking again could succeed, at the earliest */;
      retryInMs: number;
      reason: string;
    };

/** Where admissions are kept and counted; one decision per `tryAdmit`, atomic across its users. */
export interface AdmissionStore {
  tryAdmit(provider: string, limit: RateLimitConfig, tokens: number): Promise<AdmissionAnswer>;
  release(provider: string, id: string, actualTokens: number): Promise<void>;
  close(): Promise<void>;
}

export interface AdmitRequest {
  provider: string;
  /** Estimated input tokens + the call's max output tokens. */
  estimatedTokens: number;
  abortSignal?: AbortSignal;
}

export interface RateLimitSlot {
  /** Frees the slot and replaces the estimate with what the call really used (input of every kind + output). */
  release(usage: { actualTokens: number }): Promise<void>;
}

export interface RateLimiter {
  /** Resolves once the call may go (at once for a provider without limits); rejects when `abortSignal` fires. */
  admit(request: AdmitRequest): Promise<RateLimitSlot>;
  close(): Promise<void>;
}

/** A caller that has waited `DEFAULT_LONG_WAIT_MS` or more for admission, and why it still waits. */
export interface RateLimitWait {
  provider: string;
  waitedMs: number;
  reason: string;
}

export interface RateLimiterOptions {
  /** Provider name → its limits; providers not named here are not limited. */
  limits: Readonly<Record<string, RateLimitConfig | undefined>>;
  store: AdmissionStore;
  longWaitMs?: number;
  pollMs?: number;
  onLongWait?: (wait: RateLimitWait) => void;
}

/** Limits of every provider that has some (`ProviderConfig.rateLimit`). */
export function rateLimitsOf(
  providers: Readonly<Record<string, { rateLimit?: RateLimitConfig }>>,
): Record<string, RateLimitConfig> {
  return Object.fromEntries(
    Object.entries(providers).flatMap(([name, provider]) =>
      provider.rateLimit === undefined ? [] : [[name, provider.rateLimit]],
    ),
  );
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limits, store } = options;
  const longWaitMs = options.longWaitMs ?? DEFAULT_LONG_WAIT_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  /** Woken whenever a slot of this process is released, so local waiters need not sleep out their poll. */
  let released = new AbortController();
  const unlimited: RateLimitSlot = { release: async () => {} };

  async function admit(request: AdmitRequest): Promise<RateLimitSlot> {
    const limit = Object.hasOwn(limits, request.provider) ? limits[request.provider] : undefined;
    if (limit === undefined) return unlimited;
    const started = performance.now();
    let reported = false;
    for (;;) {
      request.abortSignal?.throwIfAborted();
      const wake = released.signal;
      const answer = await store.tryAdmit(request.provider, limit, request.estimatedTokens);
      if (answer.admitted) return slotOf(request.provider, answer.id);
      const waitedMs = performance.now() - started;
      if (!reported && waitedMs >= longWaitMs) {
        reported = true;
        options.onLongWait?.({
          provider: request.provider,
          waitedMs: Math.round(waitedMs),
          reason: answer.reason,
        });
      }
      const sleepMs = Math.max(
        1,
        Math.min(answer.retryInMs, pollMs, reported ? pollMs : longWaitMs - waitedMs),
      );
      await sleep(sleepMs, [wake, ...(request.abortSignal === undefined ? [] : [request.abortSignal])]);
    }
  }

  function slotOf(provider: string, id: string): RateLimitSlot {
    let done = false;
    return {
      async release({ actualTokens }) {
        if (done) return;
        done = true;
        try {
          await store.release(provider, id, actualTokens);
        } finally {
          const wake = released;
          released = new AbortController();
          wake.abort();
        }
      },
    };
  }

  return { admit, close: () => store.close() };
}

/** Resolves after `ms`, or as soon as one of `signals` fires. */
function sleep(ms: number, signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    if (signals.some((signal) => signal.aborted)) return resolve();
    const done = () => {
      clearTimeout(timer);
      for (const signal of signals) signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const signal of signals) signal.addEventListener('abort', done, { once: true });
  });
}
