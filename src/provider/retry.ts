/**
 * The one retry layer (DESIGN §2): the SDK is called with `maxRetries: 0`, and a model is retried here or not
 * at all. Only a ProviderError marked retryable is tried again (what is retryable is decided once, in
 * `classify-error.ts`); the wait honours the server's `retry-after` / `retry-after-ms` up to a cap, and is
 * otherwise exponential with jitter; the caller's abort ends a wait at once; attempts never exceed the cap. Each
 * wait is announced as it begins: to the factory's `onRetry`, and to the request's own (the run's live view).
 */
import { ProviderError } from '../errors/errors.js';
import { abortableDelay } from '../util/abort.js';
import type { LanguageModel, ModelRequest, ModelUsage } from './model.js';
import { addUsage, ProviderCallError, withUsage } from './provider-call-error.js';
import { retryReason } from './retry-reason.js';

export interface RetryInfo {
  provider: string;
  modelId: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  maxAttempts: number;
  /** How long before the next attempt. */
  delayMs: number;
  /** The server asked for this wait (before the cap), if it said. */
  retryAfterMs: number | undefined;
  error: ProviderError;
}

export interface RetryOptions {
  /** Total attempts, the first included; default 4. */
  maxAttempts?: number;
  /** First backoff step; default 1 s, doubling per attempt. */
  baseDelayMs?: number;
  /** Ceiling of the exponential backoff; default 30 s. */
  maxDelayMs?: number;
  /** Ceiling on a server-requested wait; default 60 s. */
  retryAfterCapMs?: number;
  /** Waits `ms` or rejects with the signal's reason when it aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export const RETRY_DEFAULTS = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  retryAfterCapMs: 60_000,
};

const retrying = new WeakSet<LanguageModel>();

export function withRetries(model: LanguageModel, options: RetryOptions = {}): LanguageModel {
  // Wrapping twice would multiply the attempts; one layer it is.
  if (retrying.has(model)) return model;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts));
  const sleep = options.sleep ?? abortableDelay;
  const random = options.random ?? Math.random;

  async function generate(request: ModelRequest) {
    // The listener is this layer's to call: the model below never sees it (nor retries of its own to tell).
    const { onRetry: _listener, ...inner } = request;
    // What failed attempts were billed for (usage reported before they failed): the caller pays for them too.
    let billed: ModelUsage | undefined;
    for (let attempt = 1; ; attempt++) {
      if (request.abortSignal.aborted) throw abortError(request.abortSignal, billed);
      try {
        const response = await model.generate(inner);
        return billed === undefined ? response : { ...response, usage: addUsage(billed, response.usage)! };
      } catch (caught) {
        const error =
          caught instanceof ProviderCallError ? withUsage(caught, addUsage(billed, caught.usage)) : caught;
        if (error instanceof ProviderCallError) billed = error.usage;
        if (request.abortSignal.aborted) throw abortError(request.abortSignal, billed, error);
        if (!(error instanceof ProviderError) || !error.retryable || attempt >= maxAttempts) throw error;
        const retryAfterMs = error instanceof ProviderCallError ? error.retryAfterMs : undefined;
        const delayMs = retryDelayMs(attempt, retryAfterMs, options, random);
        options.onRetry?.({
          provider: model.provider,
          modelId: model.modelId,
          attempt,
          maxAttempts,
          delayMs,
          retryAfterMs,
          error,
        });
        // Told as the wait begins, so nobody stares at a silent screen for the length of a `retry-after`.
        request.onRetry?.({
          try: attempt,
          maxTries: maxAttempts,
          waitMs: delayMs,
          reason: retryReason(error, model.provider),
          status: error.status,
        });
        await sleep(delayMs, request.abortSignal);
      }
    }
  }

  const wrapped: LanguageModel = { provider: model.provider, modelId: model.modelId, generate };
  retrying.add(wrapped);
  return wrapped;
}

/** The wait after failed attempt `attempt` (from 1): the server's word up to the cap, else backoff with jitter. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'retryAfterCapMs'> = {},
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) {
    return Math.min(retryAfterMs, options.retryAfterCapMs ?? RETRY_DEFAULTS.retryAfterCapMs);
  }
  const base = options.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs;
  const ceiling = options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  const exponential = Math.min(ceiling, base * 2 ** (attempt - 1));
  // Half fixed, half random: spreads clients that failed together without ever retrying at once.
  return Math.round(exponential * (0.5 + 0.5 * random()));
}

/**
 * Stopped by the caller: the caller's reason, unless something was billed — then a failure carrying that usage
 * (with the reason as its message), which the agent loop charges before it rethrows the caller's reason.
 */
function abortError(signal: AbortSignal, billed: ModelUsage | undefined, failure?: unknown): unknown {
  if (billed === undefined) return signal.reason;
  if (failure instanceof ProviderCallError) return failure;
  const message = signal.reason instanceof Error ? signal.reason.message : 'aborted';
  return new ProviderCallError(message, {
    provider: 'aborted',
    model: 'aborted',
    retryable: false,
    usage: billed,
  });
}
